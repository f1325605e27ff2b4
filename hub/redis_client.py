"""What django-redis lacks for the cache to fail soft: its settings (IGNORE_EXCEPTIONS) answer a
miss when Redis cannot be reached, and these classes cover the rest.

django-redis tries Redis again on every call, so while Redis is down or hanging each cache call
would wait out its socket timeout (a page makes several). After a failure BackoffRedis fails at
once for RETRY_AFTER seconds instead: an outage costs a request at most one timeout, not one per
cache call, and the log one warning a second.
"""

import logging
import time

from django_redis.client import DefaultClient
from django_redis.exceptions import ConnectionInterrupted
from redis import Redis
from redis.client import Pipeline
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)

RETRY_AFTER = 1.0


class _Backoff:
    def __init__(self):
        self.until = 0.0

    def call(self, command, *args, **kwargs):
        if time.monotonic() < self.until:
            raise ConnectionError("Redis failed less than RETRY_AFTER seconds ago; not tried.")
        try:
            return command(*args, **kwargs)
        except (ConnectionError, TimeoutError) as error:
            self.until = time.monotonic() + RETRY_AFTER
            logger.warning("Cache unreachable, answering a miss: %r", error)
            raise


class BackoffRedis(Redis):
    """django-redis's REDIS_CLIENT_CLASS: one per connection pool in each thread's cache."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.backoff = _Backoff()

    def execute_command(self, *args, **options):
        return self.backoff.call(super().execute_command, *args, **options)

    def pipeline(self, transaction=True, shard_hint=None):
        pipeline = BackoffPipeline(
            self.connection_pool, self.response_callbacks, transaction, shard_hint
        )
        pipeline.backoff = self.backoff
        return pipeline


class BackoffPipeline(Pipeline):
    """A pipeline (set_many) shares the back-off of the client that made it."""

    def execute(self, raise_on_error=True):
        return self.backoff.call(super().execute, raise_on_error)


class FailSoftClient(DefaultClient):
    """django-redis's CLIENT_CLASS. Its touch() alone of Django's cache calls lets Redis errors
    through, past IGNORE_EXCEPTIONS, where the others raise what the backend turns into a miss."""

    def touch(self, *args, **kwargs):
        try:
            return super().touch(*args, **kwargs)
        except (ConnectionError, TimeoutError) as error:
            raise ConnectionInterrupted(connection=None) from error
