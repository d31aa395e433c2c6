from django.core.management.base import BaseCommand

from tickets.tasks import sla_check


class Command(BaseCommand):
    help = "Queue the SLA breach check (run it every minute from cron or a scheduler)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="Run in this process instead of queueing."
        )

    def handle(self, *args, **options) -> None:
        if options["now"]:
            count = sla_check.call()
            self.stdout.write(f"{count} ticket(s) newly breached.")
        else:
            sla_check.enqueue()
            self.stdout.write("SLA check queued.")
