"""Failed logins and password-reset requests are rate-limited per e-mail address.

The limits come from settings.ACCOUNT_RATE_LIMITS: login_failed "5/5m/key" and
reset_password "3/5m/key" (plus looser per-IP limits).
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.accounts.helpers import is_logged_in, post_login
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TOO_MANY = "Too many failed login attempts. Try again later."


def _per_key_limit(action: str) -> int:
    """The allowed count of the "…/key" rule, read from the settings under test."""
    for rule in settings.ACCOUNT_RATE_LIMITS[action].split(","):
        amount, _period, *kind = rule.split("/")
        if kind == ["key"]:
            return int(amount)
    raise AssertionError(f"no per-key limit for {action}")


def test_limits_are_configured_per_email():
    assert _per_key_limit("login_failed") == 5
    assert _per_key_limit("reset_password") == 3


def test_failed_logins_below_the_limit_still_allow_the_right_password(client):
    user = UserFactory()
    for _ in range(_per_key_limit("login_failed") - 1):
        post_login(client, user.email, password="wrong-password-1")

    response = post_login(client, user.email)

    assert response.status_code == 302
    assert is_logged_in(client)


def test_repeated_failed_logins_lock_the_email_even_for_the_right_password(client):
    user = UserFactory()
    for _ in range(_per_key_limit("login_failed")):
        response = post_login(client, user.email, password="wrong-password-1")
        assert TOO_MANY not in response.content.decode()

    wrong = post_login(client, user.email, password="wrong-password-1")
    right = post_login(Client(), user.email)

    assert wrong.status_code == 200
    assert TOO_MANY in wrong.context["form"].non_field_errors()
    assert right.status_code == 200
    assert TOO_MANY in right.context["form"].non_field_errors()
    assert not is_logged_in(client)


def test_login_limit_is_per_email_not_global(client):
    locked, other = UserFactory(), UserFactory()
    for _ in range(_per_key_limit("login_failed")):
        post_login(client, locked.email, password="wrong-password-1")

    response = post_login(client, other.email, PASSWORD)

    assert response.status_code == 302
    assert is_logged_in(client)


def test_login_limit_ignores_the_case_of_the_email(client):
    user = UserFactory(email="case.sensitive@example.com")
    for _ in range(_per_key_limit("login_failed")):
        post_login(client, user.email.upper(), password="wrong-password-1")

    response = post_login(client, user.email)

    assert TOO_MANY in response.context["form"].non_field_errors()


def test_unknown_email_is_limited_like_a_known_one(client):
    for _ in range(_per_key_limit("login_failed")):
        post_login(client, "ghost@example.com", password="wrong-password-1")

    response = post_login(client, "ghost@example.com", password="wrong-password-1")

    assert TOO_MANY in response.context["form"].non_field_errors()


def _reset(client: Client, email: str):
    return client.post(reverse("account_reset_password"), {"email": email})


def test_password_reset_requests_are_limited_per_email(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory()
    limit = _per_key_limit("reset_password")
    with django_capture_on_commit_callbacks(execute=True):
        allowed = [_reset(client, user.email) for _ in range(limit)]
        refused = _reset(client, user.email)

    assert [r.status_code for r in allowed] == [302] * limit
    assert refused.status_code == 429
    assert len(mailoutbox) == limit  # the refused request sent nothing


def test_password_reset_limit_for_one_email_leaves_others_alone(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    first, second = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(_per_key_limit("reset_password") + 1):
            _reset(client, first.email)
        response = _reset(client, second.email)

    assert response.status_code == 302
    assert mailoutbox[-1].to == [second.email]


def test_password_reset_limit_applies_to_unknown_emails_too(client):
    for _ in range(_per_key_limit("reset_password")):
        assert _reset(client, "ghost@example.com").status_code == 302

    assert _reset(client, "ghost@example.com").status_code == 429
