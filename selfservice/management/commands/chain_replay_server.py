from pathlib import Path

from django.core.management.base import BaseCommand

from selfservice.replay import load_recordings, make_server

RECORDINGS = Path(__file__).resolve().parents[2] / "recordings"


class Command(BaseCommand):
    help = "Serve the recorded chain-provider responses of the demo on 127.0.0.1 (offline demo)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8765)

    def handle(self, *args, port: int, **options) -> None:
        server = make_server(load_recordings(RECORDINGS), port)
        self.stdout.write(f"Chain replay server on http://127.0.0.1:{port}/")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
