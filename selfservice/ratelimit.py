"""A fixed-window counter in the cache, for forms outside allauth's own limits."""

import hashlib

from django.core.cache import cache

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate_limit_exceeded(*, scope: str, key: str, rate: str) -> bool:
    """Count one hit for (scope, key); True once more than the rate ("5/h") was used."""
    count, _, period = rate.partition("/")
    seconds = _PERIODS.get(period[-1:], 3600) * int(period[:-1] or 1)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]  # no personal data in cache keys
    cache_key = f"rl:{scope}:{digest}"
    cache.add(cache_key, 0, seconds)
    try:
        hits = cache.incr(cache_key)
    except ValueError:
        cache.set(cache_key, 1, seconds)
        hits = 1
    return hits > int(count)
