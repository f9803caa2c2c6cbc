"""A missing system library never shows as an error page."""

import pytest
from django.urls import reverse

from carteblanche.core import pdf


def test_without_pango_a_pdf_link_answers_a_french_page_not_an_error(client, monkeypatch):
    def broken():
        raise pdf.PdfUnavailable("WeasyPrint ne se charge pas : installez libpango-1.0-0.")

    monkeypatch.setattr(pdf, "_weasyprint", broken)
    response = client.get(reverse("mobility:public_poster", args=["bassin-de-vie-de-cahors", "46148"]))
    assert response.status_code == 503
    page = response.content.decode()
    assert "Document PDF indisponible" in page and "une bibliothèque système manque" in page


def test_a_pdf_is_made_when_the_libraries_are_there(client):
    response = client.get(reverse("mobility:public_poster", args=["bassin-de-vie-de-cahors", "46148"]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_weasyprint_that_cannot_load_its_libraries_is_reported_as_unavailable(monkeypatch):
    monkeypatch.setattr("builtins.__import__", _fail_weasyprint_import)
    with pytest.raises(pdf.PdfUnavailable, match="libpango"):
        pdf._weasyprint()


_real_import = __import__


def _fail_weasyprint_import(name, *args, **kwargs):
    if name == "weasyprint":
        raise OSError("cannot load library 'libpango-1.0-0'")
    return _real_import(name, *args, **kwargs)
