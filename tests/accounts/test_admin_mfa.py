"""The admin (agent console) signs in through allauth, and staff must use TOTP."""

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY as TOTP_SECRET_SESSION_KEY
from django.urls import reverse

from tests.accounts.helpers import (
    enable_totp,
    is_logged_in,
    post_login,
    post_mfa_code,
    totp_code,
    wrong_totp_code,
)
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

ADMIN = "/admin/"
TICKETS = "/admin/tickets/ticket/"


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_anonymous_admin_visit_ends_at_allauth_login_with_next(client):
    response = client.get(ADMIN, follow=True)

    final_url, status = response.redirect_chain[-1]
    assert status == 302
    assert urlsplit(final_url).path == reverse("account_login")
    assert _query(final_url)["next"] == [ADMIN]
    assert response.status_code == 200


def test_anonymous_deep_admin_link_keeps_its_target(client):
    response = client.get(TICKETS, follow=True)

    final_url, _ = response.redirect_chain[-1]
    assert urlsplit(final_url).path == reverse("account_login")
    assert _query(final_url)["next"] == [TICKETS]


def test_django_admin_login_form_is_not_served(client):
    staff = StaffFactory()

    # The admin's own form would skip allauth's rate limits and MFA stage.
    response = client.post(
        reverse("admin:login"), {"username": staff.email, "password": "correct-horse-battery-9"}
    )

    assert response.status_code == 302
    assert urlsplit(response.url).path == reverse("account_login")
    assert not is_logged_in(client)


def test_staff_without_totp_is_sent_to_totp_setup(client, settings):
    settings.STAFF_MFA_REQUIRED = True
    staff = StaffFactory()
    post_login(client, staff.email)
    assert is_logged_in(client)

    response = client.get(TICKETS)

    assert response.status_code == 302
    assert urlsplit(response.url).path == reverse("mfa_activate_totp")
    assert _query(response.url)["next"] == [TICKETS]
    # allauth asks for the password again before adding an authenticator;
    # the first page shown carries our explanation.
    explained = client.get(response.url, follow=True)
    assert "Staff accounts must turn on two-factor authentication" in explained.content.decode()


def test_staff_enrols_totp_and_then_reaches_console(client, settings):
    settings.STAFF_MFA_REQUIRED = True
    staff = StaffFactory()
    post_login(client, staff.email)
    client.post(reverse("account_reauthenticate"), {"password": "correct-horse-battery-9"})

    setup_page = client.get(reverse("mfa_activate_totp"))
    assert setup_page.status_code == 200
    secret = client.session[TOTP_SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    assert client.get(TICKETS).status_code == 200


def test_staff_enrolment_with_a_wrong_code_keeps_them_out(client, settings):
    settings.STAFF_MFA_REQUIRED = True
    staff = StaffFactory()
    post_login(client, staff.email)
    client.post(reverse("account_reauthenticate"), {"password": "correct-horse-battery-9"})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[TOTP_SECRET_SESSION_KEY]

    response = client.post(reverse("mfa_activate_totp"), {"code": wrong_totp_code(secret)})

    assert response.status_code == 200
    assert response.context["form"].errors["code"] == ["Incorrect code."]
    assert not Authenticator.objects.filter(user=staff).exists()
    assert urlsplit(client.get(TICKETS).url).path == reverse("mfa_activate_totp")


def test_staff_without_totp_keeps_the_rest_of_the_site(client, settings):
    settings.STAFF_MFA_REQUIRED = True
    staff = StaffFactory()
    client.force_login(staff)

    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("tickets:ticket-list")).status_code == 200


def test_staff_without_totp_reaches_console_when_mfa_not_required(client, settings):
    settings.STAFF_MFA_REQUIRED = False
    staff = StaffFactory()
    post_login(client, staff.email)

    response = client.get(ADMIN)

    assert response.status_code == 200
    assert "Agent console" in response.content.decode()


def test_staff_with_totp_passes_the_code_stage_then_reaches_console(client, settings):
    settings.STAFF_MFA_REQUIRED = True
    staff = StaffFactory()
    secret = enable_totp(staff)

    response = client.post(
        f"{reverse('account_login')}?next={ADMIN}",
        {"login": staff.email, "password": "correct-horse-battery-9", "next": ADMIN},
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_authenticate"))
    assert client.get(ADMIN).status_code == 302  # not signed in yet
    assert not is_logged_in(client)

    response = post_mfa_code(client, totp_code(secret))

    assert response.status_code == 302
    assert response.url == ADMIN
    console = client.get(ADMIN)
    assert console.status_code == 200
    assert "Agent console" in console.content.decode()


def test_staff_with_totp_and_a_wrong_code_stays_out(client, settings):
    settings.STAFF_MFA_REQUIRED = True
    staff = StaffFactory()
    secret = enable_totp(staff)
    post_login(client, staff.email)

    post_mfa_code(client, wrong_totp_code(secret))
    response = client.get(ADMIN, follow=True)

    assert not is_logged_in(client)
    final_path = urlsplit(response.redirect_chain[-1][0]).path
    assert final_path in {reverse("account_login"), reverse("mfa_authenticate")}
    assert "Agent console" not in response.content.decode()


def test_customer_gets_403_on_admin(client, settings):
    settings.STAFF_MFA_REQUIRED = True
    customer = UserFactory()
    post_login(client, customer.email)
    assert is_logged_in(client)

    response = client.get(ADMIN, follow=True)

    assert response.status_code == 403


def test_customer_is_not_asked_to_enrol_totp_for_admin(client, settings):
    settings.STAFF_MFA_REQUIRED = True
    client.force_login(UserFactory())

    response = client.get(ADMIN, follow=True)

    assert all(
        urlsplit(url).path != reverse("mfa_activate_totp") for url, _ in response.redirect_chain
    )
