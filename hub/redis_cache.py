"""Django's Redis cache, keeping one redis-py client per connection pool, and failing soft.

Django builds a new `redis.Redis` for every cache call, and its constructor (response callbacks,
option parsing) cost more than the round trip itself on a cached page. A client is only a thin
front for its pool and is safe to share between threads, so one per pool is kept.

The cache only ever holds copies: when Redis is down or slow, every call answers as a miss
(nothing found, nothing stored, a counter that does not exist) within a short socket timeout,
so pages render uncached and rate limits let people through rather than answering 500. After
a failure Redis is left alone for RETRY_AFTER seconds, so an outage costs a request one
timeout, not one per cache call, and the log one warning a second.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER = 1.0
# Seconds: a cache answers in a millisecond or two, or is treated as down.
SOCKET_TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}


def _missing_counter(*args, **kwargs):
    # What Django's backends do for a counter that is not there.
    raise ValueError("Key not found (the cache is unreachable).")


def _fail_soft(miss):
    """Answer `miss(*args, **kwargs)` instead of raising when Redis cannot be reached."""

    def decorate(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            if time.monotonic() < self._down_until:
                return miss(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                self._down_until = time.monotonic() + RETRY_AFTER
                logger.warning("Cache unreachable, answering a miss: %r", error)
                return miss(*args, **kwargs)

        return call

    return decorate


def _nothing(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._down_until = 0.0

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    add = _fail_soft(_false)(DjangoRedisCacheClient.add)
    get = _fail_soft(lambda key, default=None: default)(DjangoRedisCacheClient.get)
    set = _fail_soft(_nothing)(DjangoRedisCacheClient.set)
    touch = _fail_soft(_false)(DjangoRedisCacheClient.touch)
    delete = _fail_soft(_false)(DjangoRedisCacheClient.delete)
    get_many = _fail_soft(lambda keys: {})(DjangoRedisCacheClient.get_many)
    has_key = _fail_soft(_false)(DjangoRedisCacheClient.has_key)
    incr = _fail_soft(_missing_counter)(DjangoRedisCacheClient.incr)
    set_many = _fail_soft(_nothing)(DjangoRedisCacheClient.set_many)
    delete_many = _fail_soft(_nothing)(DjangoRedisCacheClient.delete_many)
    clear = _fail_soft(_false)(DjangoRedisCacheClient.clear)


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
        self._options = {**SOCKET_TIMEOUTS, **self._options}

    def ping(self) -> None:
        """Raise if Redis does not answer (for readiness checks, which must see past the soft
        failures)."""
        DjangoRedisCacheClient.get_client(self._cache, write=True).ping()
