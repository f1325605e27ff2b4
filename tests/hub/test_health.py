"""Liveness (/healthz/: the process answers and reaches the database) and readiness (/readyz/:
the database, cache and broker, 503 when any is down)."""

import pytest

from tests.conftest import point_celery_at

DEAD_REDIS = "redis://127.0.0.1:1/0"

pytestmark = pytest.mark.django_db


def test_readiness_lists_each_service_and_answers_without_a_known_host(client):
    response = client.get("/readyz/", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok", "broker": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.redis
def test_with_the_cache_and_broker_down_readiness_says_so_and_liveness_holds(
    client, settings, real_broker
):
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": DEAD_REDIS}}
    point_celery_at(DEAD_REDIS)
    response = client.get("/readyz/")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "down", "broker": "down"}
    assert client.get("/healthz/").content == b"ok"


@pytest.mark.redis
def test_readiness_sees_a_live_broker(client, real_broker):
    assert client.get("/readyz/").json()["broker"] == "ok"
