from django.conf import settings


def client_ip(request) -> str:
    """The client's address. Behind TRUSTED_PROXY_COUNT proxies that append to X-Forwarded-For, the
    address the nearest untrusted hop gave; otherwise REMOTE_ADDR (never a header a client can forge)."""
    if request is None:
        return ""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def render_fragment(request, template: str, context: dict, *, title: str):
    """An htmx fragment (a board, a progress bar polled by the page that holds it); asked for directly (a bookmark,
    the projector's full screen, a link opened in a new tab), the same fragment in a whole page, with its title,
    its language and the site's landmarks, so that it still works and reads as a page."""
    from django.shortcuts import render

    if getattr(request, "htmx", False):
        return render(request, template, context)
    return render(
        request,
        "layout/fragment_page.html",
        {**context, "fragment": template, "title": title, "breadcrumb_data": {"current": title}},
    )


class RefuseNullCharacters:
    """A request whose fields carry a NUL character gets a French 400, before any view reads them.

    No one types it; PostgreSQL refuses it in text (« A string literal cannot contain NUL »), so a view that saves
    a posted field as it is would answer 500 on PostgreSQL only. Django's forms refuse it field by field; this
    covers the views that read ``request.POST`` or ``request.GET`` directly. Found by the form fuzzer."""

    MESSAGE = "La demande contient un caractère nul (\\x00), que la plateforme refuse : retirez-le et renvoyez-la."

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.shortcuts import render

        for data in (request.GET, request.POST if request.method == "POST" else {}):
            for values in data.lists() if hasattr(data, "lists") else ():
                if any("\x00" in value for value in values[1]):
                    return render(request, "400.html", {"exception": self.MESSAGE}, status=400)
        return self.get_response(request)


class DatabaseUnavailable:
    """The database went away during the request (restarted, failed over, connection cut): a French 503 that
    says nothing was saved, instead of a 500. The request's transaction (ATOMIC_REQUESTS) is rolled back with
    the connection, and Django drops the broken connection at the end of the request: the next one reconnects.
    The page is rendered without the database (no context processor, no session)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        import logging

        from django.db import InterfaceError, OperationalError
        from django.http import HttpResponse
        from django.template.loader import render_to_string

        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logging.getLogger(__name__).error(
            "database_unavailable method=%s path=%s error=%s", request.method, request.path, type(exception).__name__
        )
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
