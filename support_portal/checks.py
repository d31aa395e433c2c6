"""System checks for settings that are fine on a laptop but wrong in production."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.database, deploy=True)
def embedded_backends_in_production(app_configs, **kwargs):
    """Warn when the embedded SQLite or Whoosh backends run with DEBUG off.

    Both are single-machine stores: SQLite serialises writers and Whoosh lets
    only one process write its index, so neither survives a second app server.
    """
    if settings.DEBUG:
        return []
    warnings = []
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        warnings.append(
            Warning(
                "SQLite is the database while DEBUG is off.",
                hint="Set DATABASE_URL to a PostgreSQL server (postgres://…).",
                id="support_portal.W001",
            )
        )
    engine = settings.HAYSTACK_CONNECTIONS["default"]["ENGINE"]
    if "whoosh" in engine.lower():
        warnings.append(
            Warning(
                "Whoosh is the search backend while DEBUG is off.",
                hint="Set SEARCH_URL to Elasticsearch 7, OpenSearch or Solr.",
                id="support_portal.W002",
            )
        )
    return warnings


@register(Tags.security, deploy=True)
def exchange_webhook_secret(app_configs, **kwargs):
    """Warn when the exchange's webhook secret is missing or short in production.

    Without it every signed event from the exchange is refused; a short one
    can be guessed, and a guessed secret lets anyone forge KYC or freezes.
    """
    if settings.DEBUG:
        return []
    secret = getattr(settings, "EXCHANGE_WEBHOOK_SECRET", "")
    if len(secret) < 32:
        return [
            Warning(
                "EXCHANGE_WEBHOOK_SECRET is missing or shorter than 32 characters.",
                hint="Set it to the long random secret shared with the exchange.",
                id="support_portal.W003",
            )
        ]
    return []
