"""Sign-up requires a verified e-mail address before the first sign-in."""

import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from support_portal.accounts.models import User
from tests.accounts.helpers import is_logged_in, post_login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "violet-anchor-lantern-42"
CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/accounts/confirm-email/[^/\s]+/)")


def _signup(client: Client, email: str, password1=NEW_PASSWORD, password2=NEW_PASSWORD):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": password1, "password2": password2},
    )


def _confirmation_path(message) -> str:
    match = CONFIRM_LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def test_signup_sends_a_verification_mail_and_does_not_log_in(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client, "New.Trader@Example.com")

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert not is_logged_in(client)
    user = User.objects.get(email__iexact="new.trader@example.com")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new.trader@example.com"]
    assert mailoutbox[0].subject.startswith("[Exchange Help Centre] ")
    assert CONFIRM_LINK.search(mailoutbox[0].body)


def test_signup_mail_is_sent_only_after_commit(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _signup(client, "later@example.com")

    assert mailoutbox == []
    assert callbacks  # the send is queued for after the transaction
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1


def test_unverified_user_cannot_log_in(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _signup(client, "pending@example.com")
    other = Client()

    with django_capture_on_commit_callbacks(execute=True):
        response = post_login(other, "pending@example.com", NEW_PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert not is_logged_in(other)


def test_confirmation_on_another_device_verifies_without_logging_in(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _signup(client, "confirm@example.com")
    path = _confirmation_path(mailoutbox[0])
    browser = Client()  # the mail is often opened on another device

    page = browser.get(path)
    assert page.status_code == 200
    assert not EmailAddress.objects.get(email="confirm@example.com").verified  # GET only shows
    response = browser.post(path)

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="confirm@example.com").verified
    # Only the session that signed up holds the pending login; a link alone
    # must not sign anyone in.
    assert not is_logged_in(browser)
    assert urlsplit(response.url).path == reverse("account_login")
    login = post_login(browser, "confirm@example.com", NEW_PASSWORD)
    assert login.url == reverse("home")
    assert is_logged_in(browser)


def test_confirmation_on_the_signup_device_logs_in(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _signup(client, "same-device@example.com")

    response = client.post(_confirmation_path(mailoutbox[0]))

    assert response.status_code == 302
    assert is_logged_in(client)
    assert (
        int(client.session["_auth_user_id"]) == User.objects.get(email="same-device@example.com").pk
    )


def test_tampered_confirmation_key_is_refused(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _signup(client, "tamper@example.com")
    path = _confirmation_path(mailoutbox[0])
    tampered = path[:-2] + ("A" if path[-2] != "A" else "B") + "/"

    response = client.post(tampered)

    assert response.status_code == 404
    assert not EmailAddress.objects.get(email="tamper@example.com").verified
    assert not is_logged_in(client)


def test_new_user_starts_in_the_language_they_were_reading(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {"email": "zh@example.com", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
            HTTP_ACCEPT_LANGUAGE="zh-Hans",
        )

    assert User.objects.get(email="zh@example.com").preferred_language == "zh-hans"


@pytest.mark.parametrize(
    ("email", "password1", "password2", "field"),
    [
        ("mismatch@example.com", NEW_PASSWORD, NEW_PASSWORD + "x", "password2"),
        ("short@example.com", "Ab1!xyz", "Ab1!xyz", "password1"),
        ("common@example.com", "password123", "password123", "password1"),
        ("numeric@example.com", "8451902736154", "8451902736154", "password1"),
        ("not-an-email", NEW_PASSWORD, NEW_PASSWORD, "email"),
        ("", NEW_PASSWORD, NEW_PASSWORD, "email"),
    ],
    ids=["mismatched", "short", "common", "numeric", "invalid-email", "empty-email"],
)
def test_bad_signup_input_shows_form_errors_and_creates_nobody(
    client, mailoutbox, django_capture_on_commit_callbacks, email, password1, password2, field
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client, email, password1, password2)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not User.objects.exists()
    assert mailoutbox == []


def test_signup_with_a_registered_email_looks_like_a_new_signup(
    mailoutbox, django_capture_on_commit_callbacks
):
    existing = UserFactory(email="taken@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        fresh = _signup(Client(), "fresh@example.com")
        taken = _signup(Client(), "taken@example.com")

    assert taken.status_code == fresh.status_code == 302
    assert taken.url == fresh.url
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1
    existing.refresh_from_db()
    assert existing.check_password("correct-horse-battery-9")
    # The owner hears about the attempt; the visitor learns nothing.
    taken_mail = [m for m in mailoutbox if m.to == ["taken@example.com"]]
    assert len(taken_mail) == 1
    assert not CONFIRM_LINK.search(taken_mail[0].body)


def test_signup_with_a_registered_email_in_other_case_creates_nobody(
    mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="case@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(Client(), "CASE@example.com")

    assert response.status_code == 302
    assert User.objects.filter(email__iexact="case@example.com").count() == 1
