"""A replay server for recorded chain-provider responses (tests and the offline demo).

Each recording file ``<name>.json`` is served under ``/<name>/``:
``{"get": {"/tx/<txid>": {"status": 200, "body": ...}}, "rpc": {"<method> <param>": result},
"delay": seconds}``. Unknown GET paths answer 404; unknown RPC calls answer a
JSON-RPC ``null`` result, as a node does for an unknown transaction.
``POST /exchange/events`` plays the exchange's webhook endpoint for the demo
and answers ``200 {"received": true}``.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def load_recordings(directory: Path) -> dict[str, dict]:
    return {path.stem: json.loads(path.read_text()) for path in sorted(directory.glob("*.json"))}


def make_server(recordings: dict[str, dict], port: int = 0) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def _recording(self) -> tuple[dict | None, str]:
            name, _, rest = self.path.lstrip("/").partition("/")
            return recordings.get(name), "/" + rest

        def _send(self, status: int, body) -> None:
            raw = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header(
                "Content-Type", "text/plain" if isinstance(body, str) else "application/json"
            )
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def do_GET(self):
            recording, path = self._recording()
            if recording is None:
                return self._send(404, "Not found")
            time.sleep(recording.get("delay", 0))
            answer = recording.get("get", {}).get(path)
            if answer is None:
                return self._send(404, "Transaction not found")
            return self._send(answer.get("status", 200), answer["body"])

        def do_POST(self):
            recording, _path = self._recording()
            try:
                length = min(max(int(self.headers.get("Content-Length", 0) or 0), 0), 100_000)
            except ValueError:
                length = 0
            if self.path.split("?")[0].rstrip("/") == "/exchange/events":
                # The demo's exchange: acknowledge the portal's signed webhooks.
                self.rfile.read(length)
                return self._send(200, {"received": True})
            try:
                call = json.loads(self.rfile.read(length))
                key = " ".join([call["method"], *[str(p) for p in call.get("params", [])]])
            except (ValueError, KeyError, TypeError):
                return self._send(400, {"error": "bad request"})
            if recording is None:
                return self._send(404, {"error": "unknown provider"})
            time.sleep(recording.get("delay", 0))
            result = recording.get("rpc", {}).get(key)
            return self._send(200, {"jsonrpc": "2.0", "id": call.get("id", 1), "result": result})

        def log_message(self, *args):
            pass

    return ThreadingHTTPServer(("127.0.0.1", port), Handler)


class ServerThread:
    """Context manager: an HTTP server on 127.0.0.1, served from a daemon thread."""

    def __init__(self, server: ThreadingHTTPServer):
        self.server = server
        self.url = f"http://127.0.0.1:{server.server_port}"
        self.thread = threading.Thread(target=server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class ReplayServer(ServerThread):
    """A replay server on a free 127.0.0.1 port, in a thread."""

    def __init__(self, recordings: dict[str, dict], port: int = 0):
        super().__init__(make_server(recordings, port))
