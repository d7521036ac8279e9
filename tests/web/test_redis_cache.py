"""REDIS_URL: the rate limits counted in a shared Redis, and a clear error when the ``redis``
extra is missing."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import override_settings

from grassroots.web.people.ratelimit import RateLimit, rate_limit_hit
from tests.web.test_settings import _run

REDIS_URL = "redis://127.0.0.1:6379/0"


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def test_redis_url_without_the_package_names_the_extra(tmp_path: Path) -> None:
    # As if the redis package were not installed: importing it raises ImportError.
    code = "import sys; sys.modules['redis'] = None; import django; django.setup()"

    result = _run(
        ["-c", code], {"GRASSROOTS_DATA_DIR": str(tmp_path), "REDIS_URL": REDIS_URL}, tmp_path
    )

    assert result.returncode != 0
    assert "REDIS_URL is set but the redis package is not installed" in result.stderr
    assert "pip install 'grassroots[redis]'" in result.stderr


def test_no_redis_url_needs_no_redis_package(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['redis'] = None; import django; django.setup(); "
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    )

    result = _run(["-c", code], {"GRASSROOTS_DATA_DIR": str(tmp_path)}, tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.core.cache.backends.locmem.LocMemCache"]


def _redis() -> redis.Redis:
    return redis.Redis.from_url(REDIS_URL)


@pytest.fixture
def redis_cache() -> Iterator[str]:
    """The default cache in the Redis at 127.0.0.1:6379, under a prefix of this test's own; its
    keys are deleted afterwards (never the whole database, which others may share)."""
    if not _redis_answers():
        pytest.skip("no Redis answering at 127.0.0.1:6379")
    prefix = f"grassroots-test-{uuid.uuid4().hex}"
    config = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    with override_settings(CACHES={"default": config | {"KEY_PREFIX": prefix}}):
        try:
            yield prefix
        finally:
            client = _redis()
            keys = list(client.scan_iter(match=f"{prefix}:*"))
            if keys:
                client.delete(*keys)
            client.close()


def test_rate_limit_counts_in_redis_shared_between_clients(redis_cache: str) -> None:
    rate = RateLimit("redis-test", limit=2, window_seconds=60)
    # Another process's view of the same Redis: its own client and connection pool.
    other = RedisCache(REDIS_URL, {"KEY_PREFIX": redis_cache})

    hits = [rate_limit_hit(rate, key="nia@example.org", now=0) for _ in range(3)]

    assert isinstance(caches["default"], RedisCache)
    assert hits == [False, False, True]
    stored = [key.decode() for key in _redis().scan_iter(match=f"{redis_cache}:*")]
    assert len(stored) == 1
    assert "nia" not in stored[0]  # hashed: no address in the cache
    assert other.get(stored[0].split(":", 2)[2]) == 3  # "<prefix>:<version>:<key>"
