"""`manage.py demo` loads the demo accounts, and running it again changes nothing."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from support_portal.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from support_portal.accounts.models import User
from support_portal.accounts.roles import Role

pytestmark = pytest.mark.django_db

DEMO_EMAILS = [row[0] for row in DEMO_ACCOUNTS]

# Rows that record activity rather than state: history and queues may grow.
_ACTIVITY = {"reversion", "sessions", "admin", "django_tasks_db", "usersessions"}


def _row_counts() -> dict[str, int]:
    counts = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in _ACTIVITY
    }
    counts["accounts.User.groups"] = User.groups.through.objects.count()
    counts["auth.Group.permissions"] = Group.permissions.through.objects.count()
    return counts


def _demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_twice_gives_the_same_row_counts():
    _demo()
    first = _row_counts()

    _demo()

    assert _row_counts() == first
    assert first["accounts.User"] == len(DEMO_ACCOUNTS)
    assert first["account.EmailAddress"] == len(DEMO_ACCOUNTS)
    assert first["auth.Group"] == len(Role.values)


def test_all_six_demo_accounts_exist_with_verified_primary_email():
    _demo()

    assert len(DEMO_EMAILS) == 6
    for email in DEMO_EMAILS:
        address = EmailAddress.objects.get(email=email)
        assert address.verified
        assert address.primary
        assert address.user.email == email


@pytest.mark.parametrize("email", DEMO_EMAILS)
def test_demo_account_logs_in_through_the_login_form(email):
    _demo()
    client = Client()

    response = client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert int(client.session["_auth_user_id"]) == User.objects.get(email=email).pk


def test_demo_account_refuses_a_wrong_password():
    _demo()
    client = Client()

    response = client.post(
        reverse("account_login"), {"login": DEMO_EMAILS[0], "password": "support-demo-2025"}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_demo_roles_and_profiles_are_applied():
    _demo()

    def roles(email: str) -> set[str]:
        return set(User.objects.get(email=email).groups.values_list("name", flat=True))

    assert roles("alice@example.com") == set()
    assert not User.objects.get(email="alice@example.com").is_staff
    assert roles("agent@example.com") == {Role.AGENT.value}
    assert roles("editor@example.com") == {Role.EDITOR.value}
    supervisor = User.objects.get(email="supervisor@example.com")
    assert roles(supervisor.email) == {Role.SENIOR_AGENT.value}
    assert supervisor.is_staff and supervisor.is_superuser
    bob = User.objects.get(email="bob@example.com")
    assert (bob.preferred_language, bob.time_zone, bob.exchange_uid) == (
        "zh-hans",
        "Asia/Shanghai",
        "51290467",
    )


def test_demo_again_restores_a_changed_password_and_profile():
    _demo()
    alice = User.objects.get(email="alice@example.com")
    alice.set_password("someone-changed-it-1")
    alice.time_zone = "UTC"
    alice.save()

    _demo()

    alice.refresh_from_db()
    assert alice.check_password(DEMO_PASSWORD)
    assert alice.time_zone == "Europe/Paris"


def test_demo_prints_the_accounts_and_password():
    output = _demo()

    assert "Demo data loaded." in output
    assert DEMO_PASSWORD in output
    for email in DEMO_EMAILS:
        assert email in output
    supervisor_line = next(line for line in output.splitlines() if "supervisor@" in line)
    assert "Senior agent + superuser" in supervisor_line
    alice_line = next(line for line in output.splitlines() if "alice@" in line)
    assert "Customer" in alice_line
