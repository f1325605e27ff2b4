"""The Redis cache backend keeps one client per pool instead of building one per call, and
answers a miss rather than an error when Redis is down."""

import time

import pytest
import redis
from django.core.cache import caches

from hub.ratelimit import rate_limit_hit
from hub.redis_cache import RedisCache

pytestmark = pytest.mark.redis


def test_the_cache_reuses_one_client_and_still_reads_and_writes():
    cache = caches["default"]
    assert isinstance(cache, RedisCache)
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client
    cache.set("redis-cache-test", {"a": 1}, 5)
    assert cache.get_many(["redis-cache-test", "absent"]) == {"redis-cache-test": {"a": 1}}
    assert cache._cache.get_client() is client


@pytest.fixture
def dead_cache(settings):
    """The cache pointed at a port where nothing listens."""
    settings.CACHES = {
        "default": {"BACKEND": "hub.redis_cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    return caches["default"]


def test_every_call_to_an_unreachable_cache_answers_a_miss_and_warns_once(dead_cache, caplog):
    started = time.monotonic()
    assert dead_cache.get("key", "default") == "default"
    assert dead_cache.get_many(["a", "b"]) == {}
    assert dead_cache.add("key", 1) is False
    assert dead_cache.set("key", 1) is None
    assert dead_cache.set_many({"a": 1}) == []
    assert dead_cache.has_key("key") is False
    assert dead_cache.touch("key") is False
    assert dead_cache.delete("key") is False
    assert dead_cache.delete_many(["a"]) is None
    with pytest.raises(ValueError):
        dead_cache.incr("key")
    assert dead_cache.get_or_set("key", "built") == "built"
    assert time.monotonic() - started < 1
    warnings = [record for record in caplog.records if record.name == "hub.redis_cache"]
    assert len(warnings) == 1, "left alone for a second after a failure"
    with pytest.raises(redis.ConnectionError):
        dead_cache.ping()


@pytest.mark.django_db
def test_with_the_cache_down_pages_render_and_rate_limits_let_people_through(dead_cache, client):
    assert client.get("/").status_code == 200
    assert client.get("/accounts/login/").status_code == 200
    assert not any(
        rate_limit_hit(scope="test", key="198.51.100.7", limit=1, period=60) for _ in range(3)
    )
