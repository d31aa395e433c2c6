from django.core.management.base import BaseCommand
from django.db import transaction

from selfservice.services import outbound_webhooks_retry_due


class Command(BaseCommand):
    help = "Queue every outbound webhook whose next attempt is due (run it periodically)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            count = outbound_webhooks_retry_due()
        self.stdout.write(f"Queued {count} webhook(s).")
