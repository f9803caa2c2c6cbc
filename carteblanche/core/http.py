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
