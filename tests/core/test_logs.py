import io
import logging

from django.conf import settings
from django.urls import reverse

from carteblanche.core.logs import OneLineRefusals
from tests.demo import demo_user


def test_the_console_handler_writes_each_refusal_on_one_line():
    assert "one_line_refusals" in settings.LOGGING["handlers"]["console"]["filters"]


def test_a_refused_request_is_one_line_with_ids_and_no_name_nor_traceback(client):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(OneLineRefusals())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        agent = demo_user("agent.caf")
        client.force_login(agent)
        url = reverse("admin:index").replace("admin", "nulle-part") + "?q=Martin"
        client.get(url)  # 404
        client.get(reverse("territories:members", args=["departement-du-lot"]) + "?nom=Sarah+Martin")  # 403
    finally:
        logger.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert lines, "nothing was logged"
    assert all(line.startswith("request_refused status=") for line in lines), lines
    assert "Traceback" not in stream.getvalue() and "Martin" not in stream.getvalue()
    assert f"user={agent.pk}" in lines[-1]
