"""Rate limits on sign-up, login-link requests and relayed messages, counted in Django's cache.

Each limit counts requests per key (an email address or a client IP) in fixed windows: the
count for the current window lives under a cache key that expires with it. Keys are hashed, so
the cache holds no email addresses. With the default local-memory cache each server process
counts on its own; production with several processes sets ``REDIS_URL`` so they share one
count (docs/web.md, "Settings").
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class RateLimit:
    name: str
    limit: int
    window_seconds: int


HOUR = 60 * 60
LOGIN_LINKS_PER_EMAIL = RateLimit("login-email", limit=5, window_seconds=HOUR)
LOGIN_LINKS_PER_IP = RateLimit("login-ip", limit=20, window_seconds=HOUR)
SIGNUPS_PER_IP = RateLimit("signup-ip", limit=20, window_seconds=HOUR)
# Relayed messages, per sender: enough to get in touch with a CLP's activists, too few to spam.
MESSAGES_PER_SENDER_HOUR = RateLimit("message-hour", limit=10, window_seconds=HOUR)
MESSAGES_PER_SENDER_DAY = RateLimit("message-day", limit=30, window_seconds=24 * HOUR)


def client_ip(request: HttpRequest) -> str:
    """The client's address as the WSGI server gives it, never from a forwarded header.

    A client can send any X-Forwarded-For it likes, so only the server may read it, and only
    from the proxy it was told to trust (``grassroots serve --trusted-proxy``, which makes
    waitress put the forwarded address in ``REMOTE_ADDR``). Without that, behind a proxy every
    client shares the proxy's address and its count."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def rate_limit_hit(rate: RateLimit, *, key: str, now: float | None = None) -> bool:
    """Count one request for ``key``; True if it goes over the limit in this window (then the
    caller refuses it)."""
    window = int((time.time() if now is None else now) // rate.window_seconds)
    digest = hashlib.sha256(key.strip().lower().encode()).hexdigest()[:32]
    cache_key = f"ratelimit:{rate.name}:{window}:{digest}"
    # add() then incr() keeps the count atomic in a shared cache (Redis INCR).
    cache.add(cache_key, 0, timeout=rate.window_seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the key expired between add() and incr()
        cache.set(cache_key, 1, timeout=rate.window_seconds)
        count = 1
    return count > rate.limit
