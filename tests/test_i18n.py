"""Interface language and time zone: preference, session, cookie, Accept-Language."""

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from support_portal.middleware import LANGUAGE_SESSION_KEY, UserLanguageMiddleware
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HOME = reverse("home")
SWITCH = reverse("language-set")


def _lang_attribute(response) -> str:
    return response.content.decode().split("<html lang=", 1)[1].split(">", 1)[0].strip('"')


def _chinese(text: str) -> str:
    with translation.override("zh-hans"):
        return gettext(text)


def test_accept_language_zh_hans_selects_chinese(client):
    response = client.get(HOME, HTTP_ACCEPT_LANGUAGE="zh-Hans")

    assert response.status_code == 200
    assert _lang_attribute(response) == "zh-hans"
    assert response["Content-Language"] == "zh-hans"


def test_accept_language_zh_hans_renders_chinese_text(client):
    # Needs the compiled zh_Hans catalogue (locale/zh_Hans/LC_MESSAGES/django.mo).
    heading = _chinese("How can we help?")
    assert heading != "How can we help?", "the zh_Hans catalogue is missing or incomplete"

    response = client.get(HOME, HTTP_ACCEPT_LANGUAGE="zh-Hans")

    content = response.content.decode()
    assert heading in content
    assert _chinese("Sign in") in content
    assert "How can we help?" not in content


def test_english_is_the_default(client):
    response = client.get(HOME)

    assert _lang_attribute(response) == "en"
    assert response["Content-Language"] == "en"
    assert "How can we help?" in response.content.decode()


def test_unsupported_accept_language_falls_back_to_english(client):
    response = client.get(HOME, HTTP_ACCEPT_LANGUAGE="xx-YY, tlh;q=0.9")

    assert response.status_code == 200
    assert _lang_attribute(response) == "en"


def test_responses_vary_on_language_inputs(client):
    response = client.get(HOME)

    vary = {v.strip().lower() for v in response["Vary"].split(",")}
    assert {"accept-language", "cookie"} <= vary


def test_switch_sets_session_and_cookie_and_redirects_to_next(client):
    response = client.post(SWITCH, {"language": "zh-hans", "next": "/tickets/"})

    assert response.status_code == 302
    assert response.url == "/tickets/"
    assert client.session[LANGUAGE_SESSION_KEY] == "zh-hans"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "zh-hans"
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_switched_language_beats_accept_language_for_the_session(client):
    client.post(SWITCH, {"language": "zh-hans"})

    response = client.get(HOME, HTTP_ACCEPT_LANGUAGE="en")

    assert _lang_attribute(response) == "zh-hans"


def test_switch_for_a_signed_in_user_saves_the_preference(client):
    user = UserFactory(preferred_language="en")
    client.force_login(user)

    client.post(SWITCH, {"language": "zh-hans", "next": HOME})

    user.refresh_from_db()
    assert user.preferred_language == "zh-hans"


def test_saved_preference_follows_the_user_to_another_device(client):
    user = UserFactory(preferred_language="en")
    client.force_login(user)
    client.post(SWITCH, {"language": "zh-hans"})
    other_device = Client()
    other_device.force_login(user)

    response = other_device.get(HOME, HTTP_ACCEPT_LANGUAGE="en")

    assert _lang_attribute(response) == "zh-hans"


def test_user_preference_beats_session_and_accept_language(client):
    user = UserFactory(preferred_language="zh-hans")
    client.force_login(user)
    session = client.session
    session[LANGUAGE_SESSION_KEY] = "en"
    session.save()

    response = client.get(HOME, HTTP_ACCEPT_LANGUAGE="en")

    assert _lang_attribute(response) == "zh-hans"
    assert response["Content-Language"] == "zh-hans"


def test_user_without_preference_gets_accept_language(client):
    client.force_login(UserFactory(preferred_language=""))

    response = client.get(HOME, HTTP_ACCEPT_LANGUAGE="zh-Hans")

    assert _lang_attribute(response) == "zh-hans"


@pytest.mark.parametrize("language", ["xx", "", "en-us", "zh", "../../etc/passwd"])
def test_unsupported_language_is_a_400_and_changes_nothing(client, language):
    user = UserFactory(preferred_language="en")
    client.force_login(user)

    response = client.post(SWITCH, {"language": language, "next": "/tickets/"})

    assert response.status_code == 400
    assert LANGUAGE_SESSION_KEY not in client.session
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    user.refresh_from_db()
    assert user.preferred_language == "en"


def test_get_switch_changes_the_browser_but_never_the_account(client):
    user = UserFactory(preferred_language="en")
    client.force_login(user)

    response = client.get(SWITCH, {"language": "zh-hans", "next": "/tickets/"})

    assert response.status_code == 302
    assert response["Location"] == "/tickets/"
    assert client.session[LANGUAGE_SESSION_KEY] == "zh-hans"
    user.refresh_from_db()
    assert user.preferred_language == "en"


def test_switch_refuses_other_methods(client):
    response = client.put(SWITCH, {"language": "zh-hans"})

    assert response.status_code == 405
    assert LANGUAGE_SESSION_KEY not in client.session


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "http:/\\evil.example",
        "javascript:alert(1)",
    ],
)
def test_off_site_next_is_not_followed(client, next_url):
    response = client.post(SWITCH, {"language": "zh-hans", "next": next_url})

    assert response.status_code == 302
    assert response.url == "/"
    assert client.session[LANGUAGE_SESSION_KEY] == "zh-hans"


def test_missing_next_goes_home(client):
    response = client.post(SWITCH, {"language": "en"})

    assert response.url == "/"


def _zone_seen_by_view(user) -> str:
    """Run a request through the middleware and report the zone the view sees."""
    request = RequestFactory().get(HOME)
    request.user = user
    request.session = SessionStore()
    middleware = UserLanguageMiddleware(
        lambda request: HttpResponse(timezone.get_current_timezone_name())
    )
    try:
        return middleware(request).content.decode()
    finally:
        timezone.deactivate()
        translation.deactivate()


def test_time_zone_is_activated_from_the_user():
    assert _zone_seen_by_view(UserFactory(time_zone="Asia/Shanghai")) == "Asia/Shanghai"


def test_anonymous_visitor_sees_utc():
    from django.contrib.auth.models import AnonymousUser

    timezone.activate("Europe/Paris")  # left over from an earlier request in this thread
    assert _zone_seen_by_view(AnonymousUser()) == settings.TIME_ZONE


def test_invalid_stored_time_zone_falls_back_to_utc():
    user = UserFactory()
    user.time_zone = "Mars/Olympus_Mons"  # bypasses the field validator, as raw SQL could

    assert _zone_seen_by_view(user) == settings.TIME_ZONE


def test_time_zone_changes_rendered_times(client):
    user = UserFactory(time_zone="Asia/Tokyo")
    client.force_login(user)

    response = client.get(HOME)

    assert response.context["TIME_ZONE"] == "Asia/Tokyo"
