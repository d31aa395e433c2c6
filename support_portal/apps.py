from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class SupportPortalConfig(AppConfig):
    """The project package as an app: site-wide checks, commands and template tags."""

    name = "support_portal"
    verbose_name = _("Support portal")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the console's own site as `admin.site`."""

    default = False  # named in INSTALLED_APPS; SupportPortalConfig stays this module's default

    default_site = "support_portal.admin_site.PortalAdminSite"
