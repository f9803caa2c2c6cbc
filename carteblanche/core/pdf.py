"""PDF documents from HTML (WeasyPrint): the one place that renders them, and says so when it cannot.

WeasyPrint needs Debian's Pango and HarfBuzz libraries at run time (`scripts/system-deps`). Where they are missing,
`html_to_pdf` raises `PdfUnavailable`, which the middleware turns into a French page (503) rather than an error.
"""

import logging
import warnings

from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

LIBRARIES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
MESSAGE = (
    "Les documents PDF ne peuvent pas être produits sur ce serveur pour l'instant : une bibliothèque système "
    "manque. L'équipe technique est prévenue ; les autres formats restent disponibles."
)


class PdfUnavailable(Exception):
    """The PDF engine cannot run here (a system library is missing)."""


def _weasyprint():
    try:
        with warnings.catch_warnings():
            # Without HarfBuzz-Subset, WeasyPrint warns at import and subsets fonts with fontTools instead: the PDF
            # is the same, a little larger. The warning must not turn into an error page (it does where warnings
            # are errors, as under the test settings).
            warnings.filterwarnings("ignore", message="HarfBuzz-Subset", category=DeprecationWarning)
            import weasyprint
    except OSError as error:  # Pango missing: WeasyPrint cannot load at all
        logger.error("pdf_unavailable error=%s", error)
        raise PdfUnavailable(f"WeasyPrint ne se charge pas ({error}) : installez {LIBRARIES}.") from error
    return weasyprint


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    return _weasyprint().HTML(string=html, base_url=base_url).write_pdf()


def pdf_unavailable_response(request) -> HttpResponse:
    html = render_to_string("core/pdf_unavailable.html", {"title": "PDF indisponible", "message": MESSAGE}, request)
    return HttpResponse(html, status=503)


class PdfUnavailableMiddleware:
    """A missing system library never shows as an error page: the person reads what happened, in French."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PdfUnavailable):
            return pdf_unavailable_response(request)
        return None
