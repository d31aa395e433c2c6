from django.conf import settings
from django.contrib.sites.models import Site
from django.core.management.base import BaseCommand
from django.db import transaction

from support_portal.accounts import demo as accounts_demo
from support_portal.accounts.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load the demo data. Safe to run again: it updates what exists."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        Site.objects.update_or_create(
            pk=settings.SITE_ID, defaults={"domain": "127.0.0.1:8000", "name": settings.SITE_NAME}
        )
        accounts = accounts_demo.load()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
        for email, role in accounts:
            self.stdout.write(f"  {email:<26} {role}")
