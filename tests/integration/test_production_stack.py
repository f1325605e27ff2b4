"""The production image's commands, run here as plain processes (there is no Docker engine)."""

import re
import secrets
import subprocess
import time
import urllib.error
import urllib.request
import uuid

import psycopg
import pytest
import yaml
from django.conf import settings

from tests.conftest import ROOT, database_url, free_port, venv_env

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url, headers=None):
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def scratch_database(django_db_blocker):
    """An empty database of its own, so the web command's migrations start from nothing."""
    name = f"fa_stack_{uuid.uuid4().hex[:8]}"
    admin = {**settings.DATABASES["default"], "NAME": "postgres"}
    with django_db_blocker.unblock():
        dsn = database_url(admin)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url({**admin, "NAME": name})
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_web_command_serves_a_page_and_a_static_file_with_production_settings(
    scratch_database, tmp_path
):
    port = free_port()
    env = venv_env(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_URL=scratch_database,
        REDIS_URL=settings.REDIS_URL,
        ALLOWED_HOSTS="127.0.0.1",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        PORT=str(port),
        WEB_CONCURRENCY="2",
    )
    build = subprocess.run(
        [str(ROOT / "bin/build-static")], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr

    command = COMPOSE["services"]["web"]["command"]
    log = (tmp_path / "web.log").open("w")
    web = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert web.poll() is None, (tmp_path / "web.log").read_text()
            try:
                if fetch(f"{base}/healthz/")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, (tmp_path / "web.log").read_text()
            time.sleep(0.5)

        status, headers, _ = fetch(f"{base}/")
        assert status == 301, "plain HTTP is redirected to HTTPS"
        assert headers["Location"].startswith("https://")

        status, headers, body = fetch(f"{base}/", {"X-Forwarded-Proto": "https"})
        assert status == 200, body[:2000]
        assert b"Free Association" in body
        assert "max-age=" in headers.get("Strict-Transport-Security", "")
        stylesheet = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body).group(1)

        status, headers, css = fetch(f"{base}{stylesheet.decode()}", {"X-Forwarded-Proto": "https"})
        assert status == 200
        assert headers["Content-Type"].startswith("text/css")
        assert "immutable" in headers.get("Cache-Control", "")
        assert b"--colour-brand" in css
    finally:
        web.terminate()
        web.wait(timeout=30)
        log.close()
