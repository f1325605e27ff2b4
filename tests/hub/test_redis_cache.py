"""The Redis cache backend keeps one client per pool instead of building one per call."""

import pytest
from django.core.cache import caches

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
