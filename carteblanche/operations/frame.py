"""The page frame every phase of an operation uses: the operation a request may see, the breadcrumb from it, the
context every page of it gets (what the user may do there), and the one page that shows a form."""

from django.shortcuts import get_object_or_404, render

from .models import Operation
from .permissions import can_capture, can_manage, can_read_material, require


def operation_for(request, slug, *, open_to_jurors: bool = False) -> Operation:
    """The operation of this address, or a 404 outside the user's territories.

    Default deny: its pages show working material (``can_read_material``), refused to a juror unless the view says
    ``open_to_jurors`` (the calendar, the personas, the hackathons)."""
    operation = get_object_or_404(Operation.objects.for_user(request.user).select_related("territory"), slug=slug)
    if not open_to_jurors:
        require(can_read_material(request.user, operation))
    return operation


def crumbs(operation, current, *links):
    """A breadcrumb from the operation down to ``current``, through ``links`` ({"url", "title"})."""
    return {
        "links": [{"url": operation.get_absolute_url(), "title": operation.name}, *links],
        "current": current,
    }


def page_context(request, operation, title, **extra):
    """What every page of an operation gets: its title, the operation, and what the user may do in it."""
    return {
        "title": f"{title} — {operation.name}" if title != operation.name else title,
        "operation": operation,
        "can_manage": can_manage(request.user, operation),
        "can_capture": can_capture(request.user, operation),
        "can_read_material": can_read_material(request.user, operation),
        **extra,
    }


def form_page(
    request,
    operation,
    *,
    title: str,
    form,
    submit: str,
    heading: str | None = None,
    crumb: str | None = None,
    parent: dict | None = None,
):
    """The one page that shows a form of the operation: its title, heading (the title unless said), the form, the
    submit button, and the breadcrumb down to ``crumb`` (the title unless said), through ``parent`` if given."""
    trail = crumbs(operation, crumb or title, *([parent] if parent else []))
    return render(
        request,
        "layout/form_page.html",
        page_context(
            request, operation, title, form=form, heading=heading or title, submit=submit, breadcrumb_data=trail
        ),
    )
