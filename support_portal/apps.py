from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportPortalConfig(AppConfig):
    """The project package as an app: site-wide checks, commands and template tags."""

    name = "support_portal"
    verbose_name = _("Support portal")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
