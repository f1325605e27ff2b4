import pytest
from django.core.cache import cache
from django.test import RequestFactory

from hub.ratelimit import client_ip, rate_limit_hit
from tests.conftest import run_in_threads


def test_rate_limit_counts_per_key_and_scope():
    hits = [rate_limit_hit(scope="t", key="1.2.3.4", limit=3, period=60) for _ in range(5)]
    assert hits == [False, False, False, True, True]
    assert not rate_limit_hit(scope="t", key="5.6.7.8", limit=3, period=60)
    assert not rate_limit_hit(scope="other", key="1.2.3.4", limit=3, period=60)


@pytest.mark.redis
def test_in_redis_a_window_counts_attempts_made_at_once_and_expires_after_its_period():
    run_in_threads(20, lambda _index: rate_limit_hit(scope="t", key="k", limit=100, period=3600))
    (key,) = cache.keys("rl:t:*")
    assert cache.get(key) == 20
    assert 0 < cache.ttl(key) <= 3601


def test_client_ip_trusts_only_the_configured_proxies(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4"
    )
    settings.NUM_PROXIES = 0
    assert client_ip(request) == "10.0.0.1"
    settings.NUM_PROXIES = 1
    assert client_ip(request) == "1.2.3.4", "the address the one trusted proxy saw"
    settings.NUM_PROXIES = 3
    assert client_ip(request) == "10.0.0.1", "too few hops: fall back to the socket address"
