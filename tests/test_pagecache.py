import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.urls import reverse

from support_portal.pagecache import cache_page_for_anonymous, page_cache_invalidate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HOME = reverse("home")


def _anonymous_get(path: str = "/page", **headers):
    request = RequestFactory().get(path, **headers)
    request.user = AnonymousUser()
    request.session = {}
    return request


def _counting_view(calls: list, body=lambda request: "page"):
    def view(request):
        calls.append(request.path)
        return HttpResponse(body(request))

    return view


def test_anonymous_home_is_served_from_cache_without_queries(client, django_assert_num_queries):
    first = client.get(HOME)

    with django_assert_num_queries(0):
        second = client.get(HOME)

    assert second.status_code == 200
    assert second.content == first.content


def test_invalidating_the_namespace_renders_again():
    calls = []
    view = cache_page_for_anonymous(namespace="probe")(_counting_view(calls))

    view(_anonymous_get())
    view(_anonymous_get())
    assert len(calls) == 1

    page_cache_invalidate("probe")
    view(_anonymous_get())
    assert len(calls) == 2


def test_urls_are_cached_separately():
    calls = []
    view = cache_page_for_anonymous(namespace="probe")(_counting_view(calls))

    view(_anonymous_get("/a"))
    view(_anonymous_get("/a?page=2"))

    assert calls == ["/a", "/a"]


def test_pages_for_signed_in_users_are_never_cached(client):
    client.get(HOME)  # an anonymous copy is now cached
    client.force_login(UserFactory(email="trader@example.com"))

    response = client.get(HOME)

    assert b"trader@example.com" in response.content


def test_each_language_gets_its_own_copy(client):
    english = client.get(HOME, HTTP_ACCEPT_LANGUAGE="en")
    chinese = client.get(HOME, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert english.content != chinese.content
    assert chinese["Content-Language"] == "zh-hans"


def test_a_page_that_asked_for_a_csrf_token_is_not_cached():
    calls = []
    view = cache_page_for_anonymous(namespace="probe")(_counting_view(calls, get_token))

    view(_anonymous_get())
    view(_anonymous_get())

    assert len(calls) == 2


def test_a_request_with_pending_messages_is_not_cached():
    calls = []
    view = cache_page_for_anonymous(namespace="probe")(_counting_view(calls))

    for _ in range(2):
        view(_anonymous_get(HTTP_COOKIE=f"{CookieStorage.cookie_name}=pending"))

    assert len(calls) == 2


def test_error_responses_are_not_cached():
    calls = []

    def failing(request):
        calls.append(1)
        return HttpResponse("gone", status=404)

    view = cache_page_for_anonymous(namespace="probe")(failing)
    view(_anonymous_get())
    view(_anonymous_get())

    assert len(calls) == 2


def test_anonymous_language_switcher_carries_no_csrf_token(client):
    response = client.get(HOME)

    assert b"csrfmiddlewaretoken" not in response.content
    assert "csrftoken" not in response.cookies
