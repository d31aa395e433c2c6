import importlib
import importlib.util
import os

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.management.base import BaseCommand
from django.db import transaction

from support_portal.accounts.demo import DEMO_PASSWORD

# Each module has load(*, stdout) and is run in this order; a later one may
# use what an earlier one created (tickets need articles, and so on).
DEMO_MODULES = [
    "support_portal.accounts.demo",
    "knowledge.demo",
    "tickets.demo",
    "selfservice.demo",
]


class Command(BaseCommand):
    help = "Load the demo data. Safe to run again: it updates what exists."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        # Links in demo e-mails point at the server `make run` starts.
        domain = f"127.0.0.1:{os.environ.get('PORT', '8000')}"
        Site.objects.update_or_create(
            pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.SITE_NAME}
        )
        for name in DEMO_MODULES:
            if importlib.util.find_spec(name) is None:
                continue
            importlib.import_module(name).load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
        from support_portal.accounts.demo import account_rows

        for email, role in account_rows():
            self.stdout.write(f"  {email:<26} {role}")
