"""The server's log: one line per refused request, with ids, never names nor a traceback."""

import logging


class OneLineRefusals(logging.Filter):
    """Django logs every 403 and 404 at WARNING with the whole traceback (hundreds of lines for a probe, and the
    query string may carry a name typed in a search). They become ``request_refused status=403 path=/… user=12``:
    the path without its query, the account's id."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if record.name.startswith(("django.request", "django.security")) and status in (400, 403, 404, 405, 410):
            request = getattr(record, "request", None)
            user = getattr(request, "user", None)
            record.msg = "request_refused status=%s method=%s path=%s user=%s"
            record.args = (
                status,
                getattr(request, "method", "-"),
                getattr(request, "path", "-"),
                getattr(user, "pk", None) or "-",
            )
            record.exc_info = record.exc_text = record.stack_info = None
        return True
