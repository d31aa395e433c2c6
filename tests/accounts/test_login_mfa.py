"""Signing in with a password and a TOTP code (allauth.mfa)."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.accounts.helpers import (
    enable_recovery_codes,
    enable_totp,
    is_logged_in,
    post_login,
    post_mfa_code,
    totp_code,
    wrong_totp_code,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return UserFactory()


def test_password_alone_logs_in_a_user_without_mfa(client, user):
    response = post_login(client, user.email)

    assert response.status_code == 302
    assert response.url == reverse(settings.LOGIN_REDIRECT_URL)
    assert is_logged_in(client)


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(client, user):
    response = post_login(client, user.email, password="not-the-password-1")

    assert response.status_code == 200
    assert not is_logged_in(client)
    assert "The email address and/or password you specified are not correct." in (
        response.content.decode()
    )


def test_unknown_email_gets_the_same_refusal_as_a_wrong_password(client, user):
    wrong_password = post_login(client, user.email, password="not-the-password-1")
    unknown = post_login(Client(), "nobody@example.com")

    assert unknown.status_code == wrong_password.status_code == 200
    assert unknown.context["form"].errors == wrong_password.context["form"].errors


def test_password_of_a_totp_user_leads_to_the_code_stage(client, user):
    enable_totp(user)

    response = post_login(client, user.email)

    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert not is_logged_in(client)
    page = client.get(response.url)
    assert page.status_code == 200
    assert 'name="code"' in page.content.decode()


def test_right_totp_code_completes_the_login(client, user):
    secret = enable_totp(user)
    post_login(client, user.email)

    response = post_mfa_code(client, totp_code(secret))

    assert response.status_code == 302
    assert response.url == reverse(settings.LOGIN_REDIRECT_URL)
    assert is_logged_in(client)
    assert int(client.session["_auth_user_id"]) == user.pk


def test_wrong_totp_code_is_refused(client, user):
    secret = enable_totp(user)
    post_login(client, user.email)

    response = post_mfa_code(client, wrong_totp_code(secret))

    assert response.status_code == 200
    assert not is_logged_in(client)
    assert response.context["form"].errors["code"] == ["Incorrect code."]


def test_malformed_totp_code_is_refused(client, user):
    enable_totp(user)
    post_login(client, user.email)

    response = post_mfa_code(client, "abc")

    assert response.status_code == 200
    assert not is_logged_in(client)


def test_code_stage_is_not_reachable_without_the_password(client, user):
    enable_totp(user)

    response = client.get(reverse("mfa_authenticate"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not is_logged_in(client)


def test_replayed_totp_code_is_refused_for_a_second_login(user):
    secret = enable_totp(user)
    code = totp_code(secret)
    first, second = Client(), Client()
    post_login(first, user.email)
    post_mfa_code(first, code)
    assert is_logged_in(first)

    post_login(second, user.email)
    response = post_mfa_code(second, code)

    assert response.status_code == 200
    assert not is_logged_in(second)
    assert response.context["form"].errors["code"] == ["Incorrect code."]


def test_recovery_code_logs_in_once(user):
    enable_totp(user)
    recovery_code = enable_recovery_codes(user)[0]
    first, second = Client(), Client()

    post_login(first, user.email)
    response = post_mfa_code(first, recovery_code)

    assert response.status_code == 302
    assert is_logged_in(first)

    post_login(second, user.email)
    replay = post_mfa_code(second, recovery_code)

    assert replay.status_code == 200
    assert not is_logged_in(second)


def test_other_recovery_codes_still_work_after_one_is_used(user):
    enable_totp(user)
    codes = enable_recovery_codes(user)
    first, second = Client(), Client()
    post_login(first, user.email)
    post_mfa_code(first, codes[0])

    post_login(second, user.email)
    response = post_mfa_code(second, codes[1])

    assert response.status_code == 302
    assert is_logged_in(second)
