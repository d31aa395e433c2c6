"""Active sessions: a user sees where they are signed in and can end the others."""

import pytest
from allauth.usersessions.models import UserSession
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.accounts.helpers import is_logged_in, post_login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SESSIONS = reverse("usersessions_list")
LAPTOP = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Mobile/15E148"


def _signed_in(user, user_agent: str) -> Client:
    client = Client(HTTP_USER_AGENT=user_agent)
    response = post_login(client, user.email)
    assert response.status_code == 302
    return client


def test_user_sees_both_sessions():
    user = UserFactory()
    laptop = _signed_in(user, LAPTOP)
    _signed_in(user, PHONE)

    response = laptop.get(SESSIONS)

    assert response.status_code == 200
    assert response.context["session_count"] == 2
    agents = {session.user_agent for session in response.context["sessions"]}
    assert agents == {LAPTOP, PHONE}
    this_one = laptop.session.session_key
    current = [s for s in response.context["sessions"] if s.session_key == this_one]
    assert [s.user_agent for s in current] == [LAPTOP]


def test_user_sees_only_their_own_sessions():
    user, stranger = UserFactory(), UserFactory()
    client = _signed_in(user, LAPTOP)
    _signed_in(stranger, PHONE)

    response = client.get(SESSIONS)

    assert {s.user_id for s in response.context["sessions"]} == {user.pk}


def test_signing_out_the_other_session_keeps_this_one():
    user = UserFactory()
    laptop = _signed_in(user, LAPTOP)
    phone = _signed_in(user, PHONE)

    response = laptop.post(SESSIONS)

    assert response.status_code == 302
    assert is_logged_in(laptop)
    assert not is_logged_in(phone)
    assert phone.get(reverse("tickets:ticket-list")).status_code == 302
    assert list(UserSession.objects.filter(user=user).values_list("user_agent", flat=True)) == [
        LAPTOP
    ]


def test_sessions_page_requires_login(client):
    response = client.get(SESSIONS)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_anonymous_post_cannot_end_sessions(client):
    user = UserFactory()
    phone = _signed_in(user, PHONE)

    response = client.post(SESSIONS)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert is_logged_in(phone)


def test_activity_is_recorded_at_most_every_few_minutes(client):
    user = UserFactory()
    client.force_login(user)
    client.get("/")  # first request of the session: recorded
    seen = UserSession.objects.get(user=user).last_seen_at

    client.get("/tickets/")

    assert UserSession.objects.get(user=user).last_seen_at == seen
    cache.clear()  # as if five minutes had passed
    client.get("/tickets/")
    assert UserSession.objects.get(user=user).last_seen_at > seen
