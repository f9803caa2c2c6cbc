"""The production SMS backend talks HTTP to a real (local) server: what the gateway receives, and a refusal."""

import http.server
import json
import threading

import pytest

from carteblanche.core.messaging import HttpSmsBackend

pytestmark = pytest.mark.no_database  # plain data: CI runs it on SQLite only


@pytest.fixture
def gateway():
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        status = 202

        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.headers["Authorization"], json.loads(body)))
            self.send_response(Handler.status)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/envoi", received, Handler
    server.shutdown()
    server.server_close()


def test_the_gateway_receives_the_international_number_the_text_and_the_token(settings, gateway):
    url, received, _ = gateway
    settings.SMS_API_URL, settings.SMS_API_TOKEN = url, "jeton-de-test"
    HttpSmsBackend().send("06 12 34 56 78", "Votre code : 123456")
    assert received == [("Bearer jeton-de-test", {"to": "+33612345678", "text": "Votre code : 123456"})]


def test_a_refusal_of_the_gateway_raises_so_that_the_message_is_not_taken_as_sent(settings, gateway):
    url, _, handler = gateway
    settings.SMS_API_URL = url
    handler.status = 503
    with pytest.raises(Exception, match="503"):
        HttpSmsBackend().send("0612345678", "Bonjour")
