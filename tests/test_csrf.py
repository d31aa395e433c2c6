import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from support_portal.csrf import csrf_protect_signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@csrf_protect_signed_in
def _vote(request):
    return HttpResponse("counted")


def _post(user):
    request = RequestFactory().post("/vote", {"helpful": "1"})
    request.user = user
    request._dont_enforce_csrf_checks = False
    return request


def test_anonymous_post_needs_no_token():
    assert _vote(_post(AnonymousUser())).status_code == 200


def test_signed_in_post_without_token_is_refused():
    assert _vote(_post(UserFactory())).status_code == 403


def test_signed_in_post_with_a_valid_token_passes():
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret

    secret = _get_new_csrf_string()
    request = RequestFactory().post(
        "/vote",
        {"csrfmiddlewaretoken": _mask_cipher_secret(secret)},
        HTTP_COOKIE=f"csrftoken={secret}",
    )
    request.user = UserFactory()

    assert _vote(request).status_code == 200
