"""A server without Pango: the resident who asks for the bus poster reads why, in French, not an error page."""

import pytest
from django.urls import reverse

from carteblanche.core import pdf

from .conftest import assert_accessible

pytestmark = pytest.mark.browser


def _missing_pango():
    raise pdf.PdfUnavailable("WeasyPrint ne se charge pas : installez libpango-1.0-0.")


@pytest.mark.parametrize("width", [1280, 320])
def test_a_resident_reads_why_the_poster_is_not_available(page, monkeypatch, width):
    monkeypatch.setattr(pdf, "_weasyprint", _missing_pango)  # the live server runs in this process
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(page.base_url + reverse("mobility:public_poster", args=["bassin-de-vie-de-cahors", "46148"]))
    assert response.status == 503
    page.get_by_role("heading", level=1, name="Document PDF indisponible").wait_for()
    page.get_by_text("une bibliothèque système manque").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert_accessible(page)
