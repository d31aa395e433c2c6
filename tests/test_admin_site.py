"""The console's admin site: configured from settings, app list built only where shown."""

import pytest
from django.contrib import admin
from django.contrib.admin.sites import AdminSite
from django.urls import reverse

from support_portal.admin_site import PortalAdminSite
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def console(client, settings):
    settings.STAFF_MFA_REQUIRED = False
    client.force_login(StaffFactory(is_superuser=True))
    return client


@pytest.fixture
def app_list_builds(monkeypatch):
    calls = []
    build = AdminSite._build_app_dict

    def counting(self, request, label=None):
        calls.append(label)
        return build(self, request, label)

    monkeypatch.setattr(AdminSite, "_build_app_dict", counting)
    return calls


def test_admin_site_is_the_portal_s(settings):
    assert isinstance(admin.site, PortalAdminSite)
    assert admin.site.site_header == settings.SITE_NAME
    assert admin.site.enable_nav_sidebar is False


def test_index_lists_the_apps(console, app_list_builds):
    response = console.get(reverse("admin:index"))
    assert response.status_code == 200
    assert reverse("admin:tickets_ticket_changelist").encode() in response.content
    assert b"Agent console" in response.content
    assert app_list_builds == [None]


def test_other_console_pages_do_not_build_the_app_list(console, app_list_builds):
    assert console.get(reverse("admin:tickets_ticket_changelist")).status_code == 200
    assert console.get(reverse("admin:tickets_ticket_add")).status_code == 200
    assert app_list_builds == []
