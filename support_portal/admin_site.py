"""The agent console's admin site: Django's, configured from settings."""

from typing import Any, cast

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _


class PortalAdminSite(admin.AdminSite):
    site_header = settings.SITE_NAME
    site_title = settings.SITE_NAME
    index_title = _("Agent console")
    # The ticket changelist needs the width more than agents need the side menu.
    enable_nav_sidebar = False

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[Any]:
        # `each_context` asks for the app list on every console page, for the
        # nav sidebar this site turns off; building it checks permissions and
        # reverses URLs for every registered model. Only the index page reads it
        # here, so it is built when read.
        parent = super().get_app_list
        return cast(list[Any], SimpleLazyObject(lambda: parent(request, app_label)))
