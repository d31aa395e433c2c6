"""Whole-page cache for anonymous readers of public pages.

Most help-centre traffic is anonymous and reads the same pages, so a rendered
page is kept per (generation, language, URL). Writers bump the namespace's
generation (cache invalidation is one of the two places the style guide lets
signals act), and a short timeout bounds staleness where the cache is per
process (local memory) and for time-based content such as announcements.

Pages are cached only when they carry nothing personal: the request is
anonymous with no pending messages, and rendering neither set a cookie nor
asked for a CSRF token.
"""

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.response import SimpleTemplateResponse
from django.utils.translation import get_language

DEFAULT_TIMEOUT = 60


def _generation_key(namespace: str) -> str:
    return f"pagecache:generation:{namespace}"


def page_generation(namespace: str) -> int:
    # With a default, get_or_set never returns None: the stub's Optional is too wide.
    return cast(int, cache.get_or_set(_generation_key(namespace), 1, timeout=None))


def page_cache_invalidate(namespace: str) -> None:
    """Make every cached page of the namespace stale."""
    try:
        cache.incr(_generation_key(namespace))
    except ValueError:
        cache.set(_generation_key(namespace), 2, timeout=None)


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
        return False
    if "messages" in request.COOKIES:
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.get("_messages"))


def _cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.cookies
        and not getattr(response, "streaming", False)
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in response.get("Cache-Control", "")
    )


def _page_key(request: HttpRequest, namespace: str) -> str:
    url = hashlib.blake2b(request.get_full_path().encode(), digest_size=16).hexdigest()
    return f"pagecache:{namespace}:{page_generation(namespace)}:{get_language()}:{url}"


def cache_page_for_anonymous(
    *, namespace: str, timeout: int = DEFAULT_TIMEOUT
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _cacheable_request(request):
                return view(request, *args, **kwargs)
            key = _page_key(request, namespace)
            cached = cache.get(key)
            if cached is not None:
                return cached
            response = view(request, *args, **kwargs)
            if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
                response.render()
            if _cacheable_response(request, response):
                cache.set(key, response, timeout)
            return response

        return wrapper

    return decorator
