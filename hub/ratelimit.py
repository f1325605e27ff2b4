"""Rate limits for public forms, counted in the shared cache (Redis in production)."""

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache


def rate_limit_hit(*, scope: str, key: str, limit: int, period: int) -> bool:
    """Count one attempt; True when `key` has made more than `limit` in this `period` (seconds).

    Fixed windows: cheap (one Redis INCR) and exact enough for abuse control; a burst across a
    window edge may get up to twice the limit, so pair a short window with a long one.
    """
    window = int(time.time() // period)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"rl:{scope}:{period}:{window}:{digest}"
    # add() sets the window's expiry with its counter (SET NX); incr() is atomic and keeps it.
    cache.add(cache_key, 0, timeout=period + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:
        # The key expired between add() and incr(): this is the first attempt of a new window.
        cache.set(cache_key, 1, timeout=period + 1)
        count = 1
    # None is what an unreachable cache answers (django-redis IGNORE_EXCEPTIONS): limits let
    # people through while it is, rather than turning them away or answering 500.
    return count is not None and count > limit


def rate_limits_hit(*, limits, key: str) -> bool:
    """Count one attempt against each (scope, limit, period); True when any is past its limit.

    Every window is counted, even once one is past its limit, so the windows stay honest.
    """
    hits = [
        rate_limit_hit(scope=scope, key=key, limit=limit, period=period)
        for scope, limit, period in limits
    ]
    return any(hits)


def client_ip(request) -> str:
    """The client's address; behind `NUM_PROXIES` trusted proxies, read from X-Forwarded-For."""
    proxies = settings.NUM_PROXIES
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def ip_hash(ip: str) -> str:
    """A keyed hash of the IP: lets moderators see that submissions share an address, no more."""
    if not ip:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()[:16]
