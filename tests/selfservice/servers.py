"""A stand-in for the exchange's webhook endpoint on 127.0.0.1: records what it gets."""

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from selfservice.replay import ServerThread


class ExchangeEndpoint(ServerThread):
    """Answers POSTs with the queued statuses (then 200) and keeps each request."""

    def __init__(self, statuses: list[int] | None = None):
        self.statuses = list(statuses or [])
        self.requests: list[dict] = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                endpoint.requests.append(
                    {"headers": dict(self.headers), "body": self.rfile.read(length)}
                )
                status = endpoint.statuses.pop(0) if endpoint.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        super().__init__(ThreadingHTTPServer(("127.0.0.1", 0), Handler))
        self.url += "/exchange/events"
