import logging
import signal
import time

from django.core.management.base import BaseCommand

from support_portal.periodic import periodic_tasks

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Enqueue the periodic tasks (SLA checks, search-index repair, …) when they are due. "
        "Run one scheduler per installation, beside the task workers."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Enqueue every periodic task once and exit (cron)."
        )
        parser.add_argument(
            "--tick", type=float, default=1.0, help="Seconds between checks (default 1)."
        )

    def handle(self, *args, once: bool, tick: float, **options) -> None:
        entries = periodic_tasks()
        if once:
            for entry in entries:
                entry.task.enqueue(**entry.kwargs)
                self.stdout.write(f"enqueued {entry.name}")
            return
        self._running = True
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        due = {entry.name: time.monotonic() for entry in entries}
        self.stdout.write(f"scheduler: {len(entries)} periodic task(s)")
        while self._running:
            now = time.monotonic()
            for entry in entries:
                if now >= due[entry.name]:
                    try:
                        entry.task.enqueue(**entry.kwargs)
                    except Exception:
                        # A queue outage must not kill the scheduler; retry next tick.
                        logger.exception("could not enqueue %s", entry.name)
                        continue
                    due[entry.name] = now + entry.every.total_seconds()
            time.sleep(tick)

    def _stop(self, signum, frame) -> None:
        self._running = False
