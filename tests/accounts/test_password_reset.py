"""Password reset: no account enumeration, a working link, and no 500 on bad keys."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.helpers import is_logged_in, post_login
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "quartz-meadow-harbour-77"
RESET_LINK = re.compile(r"https?://[^/\s]+(/accounts/password/reset/key/[^/\s]+/)")
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _request_reset(client: Client, email: str):
    return client.post(reverse("account_reset_password"), {"email": email})


def _reset_path(message) -> str:
    match = RESET_LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def _page_text(response) -> str:
    """The page without its per-request CSRF token."""
    return CSRF_TOKEN.sub("", response.content.decode())


@pytest.fixture
def user():
    return UserFactory(email="known@example.com")


def test_known_and_unknown_emails_get_identical_responses(
    user, mailoutbox, django_capture_on_commit_callbacks
):
    known_client, unknown_client = Client(), Client()
    with django_capture_on_commit_callbacks(execute=True):
        known = _request_reset(known_client, "known@example.com")
        unknown = _request_reset(unknown_client, "unknown@example.com")

    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == reverse("account_reset_password_done")
    known_page = known_client.get(known.url)
    unknown_page = unknown_client.get(unknown.url)
    assert known_page.status_code == unknown_page.status_code == 200
    assert _page_text(known_page) == _page_text(unknown_page)


def test_known_email_gets_a_reset_link(user, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _request_reset(Client(), "known@example.com")

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["known@example.com"]
    assert RESET_LINK.search(mailoutbox[0].body)


def test_unknown_email_gets_the_unknown_account_mail_without_a_link(
    user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _request_reset(Client(), "unknown@example.com")

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["unknown@example.com"]
    assert not RESET_LINK.search(mailoutbox[0].body)
    assert "known@example.com" not in mailoutbox[0].body
    assert "account" in mailoutbox[0].body.lower()


def test_invalid_email_shows_a_form_error(client, mailoutbox):
    response = _request_reset(client, "not-an-email")

    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert mailoutbox == []


def test_following_the_link_sets_the_new_password(
    user, mailoutbox, django_capture_on_commit_callbacks
):
    browser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        _request_reset(browser, "known@example.com")
    link = _reset_path(mailoutbox[0])

    # The key moves into the session and out of the URL (no Referer leaks).
    response = browser.get(link)
    assert response.status_code == 302
    form_url = response.url
    assert "set-password" in form_url
    assert browser.get(form_url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        done = browser.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)
    assert post_login(Client(), "known@example.com", NEW_PASSWORD).status_code == 302


def test_reset_link_works_only_once(user, mailoutbox, django_capture_on_commit_callbacks):
    browser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        _request_reset(browser, "known@example.com")
    link = _reset_path(mailoutbox[0])
    form_url = browser.get(link).url
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    again = Client().get(link)

    assert again.status_code == 200
    assert again.context["token_fail"]


def test_weak_new_password_is_refused(user, mailoutbox, django_capture_on_commit_callbacks):
    browser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        _request_reset(browser, "known@example.com")
    form_url = browser.get(_reset_path(mailoutbox[0])).url

    response = browser.post(form_url, {"password1": "short1", "password2": "short1"})

    assert response.status_code == 200
    assert "password1" in response.context["form"].errors
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_tampered_key_is_refused_without_an_error(
    user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _request_reset(Client(), "known@example.com")
    link = _reset_path(mailoutbox[0])
    tampered = link[:-2] + ("x" if link[-2] != "x" else "y") + "/"
    browser = Client()

    response = browser.get(tampered, follow=True)

    assert response.status_code == 200
    assert response.context["token_fail"]
    post = browser.post(tampered, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert post.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert not is_logged_in(browser)


@pytest.mark.parametrize(
    "key",
    ["zzzz-notakey", "1-" + "a" * 200, "0-set-password"],
    ids=["garbage", "long", "set-password-without-session"],
)
def test_malformed_reset_keys_show_the_bad_link_page(client, user, key):
    response = client.get(f"/accounts/password/reset/key/{key}/")

    assert response.status_code == 200
    assert response.context["token_fail"]


def test_reset_key_outside_the_url_pattern_is_a_plain_404(client, user):
    response = client.get("/accounts/password/reset/key/!!!-%25/")

    assert response.status_code == 404
    assert "Traceback" not in response.content.decode()
