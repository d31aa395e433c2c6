from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from .accounts.services import user_set_language
from .health import service_health
from .middleware import LANGUAGE_SESSION_KEY
from .pagecache import cache_page_for_anonymous


@cache_page_for_anonymous(namespace="kb")
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


@require_http_methods(["GET", "POST"])
def language_set(request: HttpRequest) -> HttpResponse:
    """Switch the interface language for this browser; a POST from a signed-in
    user (CSRF-checked) also saves it to their account.

    Anonymous visitors switch with a GET form, which carries no CSRF token, so
    public pages can be cached whole; the worst a forged GET can do is change
    the display language of one browser.
    """
    data = request.POST if request.method == "POST" else request.GET
    code = data.get("language", "")
    next_url = data.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    if not translation.check_for_language(code) or code not in dict(settings.LANGUAGES):
        return HttpResponse(
            _("Unsupported language."), status=400, content_type="text/plain; charset=utf-8"
        )
    request.session[LANGUAGE_SESSION_KEY] = code
    if request.method == "POST" and request.user.is_authenticated:
        try:
            user_set_language(user=request.user, language=code)
        except ValidationError:
            return HttpResponse(
                _("Unsupported language."), status=400, content_type="text/plain; charset=utf-8"
            )
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        httponly=True,
    )
    return response


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = service_health()
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )


def favicon(request: HttpRequest) -> HttpResponse:
    # Resolved per request: with the manifest storage the hashed name exists
    # only after collectstatic, which import time may precede.
    return HttpResponsePermanentRedirect(static("img/logo.svg"))
