"""The Redis cache (django-redis) keeps one client per pool instead of building one per call, and
answers a miss rather than an error when Redis is down or hangs, trying it again only a second
after a failure (hub.redis_client)."""

import socket
import time

import pytest
import redis
from django.core.cache import caches
from django_redis.cache import RedisCache

from hub.ratelimit import rate_limit_hit
from hub.redis_client import RETRY_AFTER

pytestmark = pytest.mark.redis


def test_the_cache_reuses_one_client_and_still_reads_and_writes():
    cache = caches["default"]
    assert isinstance(cache, RedisCache)
    client = cache.client.get_client()
    assert cache.client.get_client(write=True) is client
    cache.set("redis-cache-test", {"a": 1}, 5)
    assert cache.get_many(["redis-cache-test", "absent"]) == {"redis-cache-test": {"a": 1}}
    assert cache.client.get_client() is client


def _cache_at(settings, location):
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": location}}
    return caches["default"]


@pytest.fixture
def dead_cache(settings):
    """The cache pointed at a port where nothing listens."""
    return _cache_at(settings, "redis://127.0.0.1:1/0")


@pytest.fixture
def hung_cache(settings):
    """The cache pointed at a server that accepts connections and never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        yield _cache_at(settings, f"redis://127.0.0.1:{server.getsockname()[1]}/0")


def test_every_call_to_an_unreachable_cache_answers_a_miss_and_warns_once(dead_cache, caplog):
    started = time.monotonic()
    assert dead_cache.get("key", "default") == "default"
    assert dead_cache.get_many(["a", "b"]) == {}
    assert not dead_cache.add("key", 1)
    assert dead_cache.set("key", 1) is None
    assert dead_cache.set_many({"a": 1}) is None
    assert not dead_cache.has_key("key")
    assert not dead_cache.touch("key")
    assert not dead_cache.delete("key")
    assert dead_cache.delete_many(["a"]) is None
    assert dead_cache.incr("key") is None
    assert dead_cache.get_or_set("key", "built") == "built"
    assert time.monotonic() - started < 1
    warnings = [record for record in caplog.records if record.name == "hub.redis_client"]
    assert len(warnings) == 1, "left alone for a second after a failure"
    with pytest.raises(redis.ConnectionError):
        dead_cache.client.get_client().ping()


def test_a_hung_cache_costs_one_timeout_then_is_tried_again_after_a_second(hung_cache, settings):
    started = time.monotonic()
    assert hung_cache.get("key", "default") == "default"
    assert hung_cache.get_many(["a", "b"]) == {}
    assert not hung_cache.add("key", 1)
    assert hung_cache.set_many({"a": 1}) is None
    assert hung_cache.incr("key") is None
    spent = time.monotonic() - started
    timeout = settings.CACHES["default"]["OPTIONS"]["SOCKET_TIMEOUT"]
    assert timeout <= spent < 2 * timeout, "one socket timeout, not one per call"
    time.sleep(RETRY_AFTER)
    started = time.monotonic()
    assert hung_cache.get("key") is None
    assert time.monotonic() - started >= timeout, "tried again once the second is over"


@pytest.mark.django_db
def test_with_the_cache_down_pages_render_and_rate_limits_let_people_through(dead_cache, client):
    assert client.get("/").status_code == 200
    assert client.get("/accounts/login/").status_code == 200
    assert not any(
        rate_limit_hit(scope="test", key="198.51.100.7", limit=1, period=60) for _ in range(3)
    )
