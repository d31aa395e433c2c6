"""Site-wide request handling: the reader's language and time zone, staff MFA."""

import hashlib
import zoneinfo
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from support_portal.accounts.models import User

LANGUAGE_SESSION_KEY = "portal_language"


def _supported(code: str | None) -> str | None:
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


class UserLanguageMiddleware:
    """Pick the language from the user's saved preference, then the session,
    then the language cookie and Accept-Language, and activate the user's zone.

    Django's LocaleMiddleware knows only the last two; a signed-in trader who
    chose 中文 on their phone expects it on every device.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Requests that skipped AuthenticationMiddleware have no user.
        user: User | AnonymousUser | None = getattr(request, "user", None)
        account = user if user is not None and user.is_authenticated else None
        language = (
            (_supported(account.preferred_language) if account else None)
            or _supported(request.session.get(LANGUAGE_SESSION_KEY))
            or translation.get_language_from_request(request)
        )
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        zone = account.time_zone if account else None
        if zone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()

        response = self.get_response(request)

        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class StaffMFAMiddleware:
    """Keep staff without TOTP out of the agent console until they enrol.

    Agents see customers' accounts and money movements; a phished staff
    password alone must not be enough. STAFF_MFA_REQUIRED=0 is for the demo.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.STAFF_MFA_REQUIRED and self._needs_enrolment(request):
            messages.warning(
                request,
                _(
                    "Staff accounts must turn on two-factor authentication "
                    "before using the console."
                ),
            )
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('mfa_activate_totp')}?{query}")
        return self.get_response(request)

    @staticmethod
    def _needs_enrolment(request: HttpRequest) -> bool:
        user = request.user
        if not (user.is_authenticated and user.is_staff):
            return False
        if not request.path.startswith(reverse("admin:index")):
            return False
        from allauth.mfa.utils import is_mfa_enabled

        return not is_mfa_enabled(user)


class UserSessionActivityMiddleware:
    """Record a signed-in session's activity (IP, browser, last seen) at most
    once every few minutes.

    allauth's own middleware rewrites the session's row on every request: four
    queries and a write per page, which on SQLite serialises all signed-in
    traffic behind one lock. A cache entry per session spaces the writes out;
    the sessions page and the security check still see recent activity.
    """

    INTERVAL_SECONDS = 300

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session_key = request.session.session_key
        if session_key and request.user.is_authenticated:
            digest = hashlib.blake2b(session_key.encode(), digest_size=16).hexdigest()
            if cache.add(f"usersession:seen:{digest}", 1, timeout=self.INTERVAL_SECONDS):
                from allauth.usersessions.models import UserSession

                UserSession.objects.create_from_request(request)
        return self.get_response(request)
