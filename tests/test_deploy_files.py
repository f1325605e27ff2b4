"""docker-compose.yml and the Dockerfile name entry points that exist in the project."""

import json
import os
import re
import shutil
import subprocess

import pytest
import yaml

from tests.conftest import IN_CI, ROOT
from tests.test_settings import PRODUCTION_ENV, run_manage

COMPOSE_FILE = ROOT / "docker-compose.yml"
COMPOSE = yaml.safe_load(COMPOSE_FILE.read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = ["web", "worker", "beat"]
CADDYFILE = ROOT / "deploy/Caddyfile"


def test_compose_runs_the_production_shape():
    assert set(SERVICES) == {"proxy", "web", "worker", "beat", "db", "redis", "redis-cache"}
    for name in ["db", "redis", "redis-cache", "web", "worker"]:
        assert "healthcheck" in SERVICES[name], name
    for name in ["db", "redis"]:
        assert SERVICES[name]["volumes"], name


def test_only_the_proxy_publishes_ports():
    """A client reaching gunicorn directly could write its own X-Forwarded-For."""
    published = {name: service["ports"] for name, service in SERVICES.items() if "ports" in service}
    assert set(published) == {"proxy"}
    assert {"80:80", "443:443"} <= set(published["proxy"])
    assert SERVICES["web"]["expose"] == ["8000"]
    assert SERVICES["web"]["environment"]["NUM_PROXIES"] == "1", "one proxy in front"


def test_the_proxy_terminates_tls_for_the_domain_and_forwards_to_web_only():
    proxy = SERVICES["proxy"]
    assert proxy["image"].startswith("caddy:")
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    lines = [
        line.strip()
        for line in CADDYFILE.read_text().splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    # One site, the domain (automatic HTTPS), handed whole to gunicorn: no files, no other hosts,
    # and no trusted_proxies, so clients' own X-Forwarded-For headers are discarded.
    assert lines == ["{$DOMAIN} {", "reverse_proxy web:8000", "}"]
    assert proxy["environment"]["DOMAIN"]


def redis_options(service: str) -> dict:
    command = SERVICES[service]["command"]
    assert command[0] == "redis-server"
    return dict(zip(command[1::2], command[2::2], strict=True))


def test_the_cache_and_the_broker_have_redis_servers_of_their_own():
    broker, cache = redis_options("redis"), redis_options("redis-cache")
    assert broker["--maxmemory-policy"] == "noeviction", "a queued task is never evicted"
    assert broker["--appendonly"] == "yes"
    assert cache["--maxmemory-policy"] == "allkeys-lru"
    assert cache["--maxmemory"]
    environment = SERVICES["web"]["environment"]
    assert environment["REDIS_URL"].startswith("redis://redis:")
    assert environment["REDIS_CACHE_URL"].startswith("redis://redis-cache:")


def assert_entry_point_exists(command):
    program, *args = command
    if program.startswith("bin/"):
        path = ROOT / program
        assert path.is_file(), program
        assert os.access(path, os.X_OK), f"{program} is not executable"
    elif program == "celery":
        app = args[args.index("-A") + 1]
        assert (ROOT / app / "celery.py").is_file(), app
        assert args[args.index("-A") + 2] in {"worker", "beat"}
    else:
        pytest.fail(f"unknown entry point {program}")


@pytest.mark.parametrize("service", APP_SERVICES)
def test_every_app_service_command_names_an_entry_point_that_exists(service):
    config = COMPOSE["services"][service]
    assert config["build"] == "."
    assert config["environment"]["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert_entry_point_exists(config["command"])


def test_every_command_in_the_dockerfile_exists():
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = re.search(r"^CMD (\[.*\])$", dockerfile, re.M).group(1)
    assert_entry_point_exists(yaml.safe_load(cmd))
    for script in re.findall(r"\b(bin/[\w-]+)", dockerfile):
        assert (ROOT / script).is_file(), script


def test_the_wsgi_module_gunicorn_serves_exists():
    start_web = (ROOT / "bin/start-web").read_text()
    module = re.search(r"gunicorn (\S+):application", start_web).group(1)
    assert (ROOT / (module.replace(".", "/") + ".py")).is_file()


def test_docker_compose_accepts_the_file():
    binary = shutil.which("docker-compose")
    if binary is None:
        if IN_CI:
            pytest.fail("docker-compose is missing: `make system-deps` installs it")
        pytest.skip("docker-compose is not installed")
    result = subprocess.run(
        [binary, "-f", str(COMPOSE_FILE), "config", "-q"],
        env={**os.environ, "SECRET_KEY": "x" * 64, "POSTGRES_PASSWORD": "secret"},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_caddy_accepts_the_caddyfile_and_proxies_the_domain_to_web():
    binary = shutil.which("caddy")
    if binary is None:
        if IN_CI:
            pytest.fail("caddy is missing: `make system-deps` installs it")
        pytest.skip("caddy is not installed")
    env = {**os.environ, "DOMAIN": "hub.example.org"}
    caddyfile = str(ROOT / "deploy/Caddyfile")
    command = [binary, "validate", "--adapter", "caddyfile", "--config", caddyfile]
    validated = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert validated.returncode == 0, validated.stderr
    command = [binary, "adapt", "--adapter", "caddyfile", "--config", caddyfile]
    adapted = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    (server,) = json.loads(adapted.stdout)["apps"]["http"]["servers"].values()
    assert server["listen"] == [":443"]
    (route,) = server["routes"]
    assert route["match"] == [{"host": ["hub.example.org"]}]
    assert '"dial": "web:8000"' in json.dumps(route["handle"])


def test_the_image_installs_only_from_the_lock():
    dockerfile = (ROOT / "Dockerfile").read_text()
    installs = re.findall(r"^RUN .*\b(?:pip|uv) (?:install|sync)\b.*$", dockerfile, re.M)
    assert installs == [
        "RUN pip install --require-hashes -r requirements/uv.txt",
        "RUN uv sync --locked --no-default-groups --no-cache",
    ]
    assert "COPY pyproject.toml uv.lock ./" in dockerfile


@pytest.mark.parametrize(
    ("cache_url", "expected_cache"),
    [("redis://redis-cache:6379/0", "redis://redis-cache:6379/0"), ("", "redis://redis:6379/0")],
)
def test_settings_send_the_cache_and_the_tasks_to_their_own_redis(cache_url, expected_cache):
    """Unset, REDIS_CACHE_URL falls back to REDIS_URL: one Redis still does on a laptop."""
    script = (
        "import json; from django.conf import settings; print(json.dumps("
        "[settings.CACHES['default']['LOCATION'], settings.CELERY_BROKER_URL]))"
    )
    env = {**PRODUCTION_ENV, "REDIS_URL": "redis://redis:6379/0", "REDIS_CACHE_URL": cache_url}
    result = run_manage("shell", "-c", script, **env)
    assert result.returncode == 0, result.stderr
    cache, broker = json.loads(result.stdout.strip().splitlines()[-1])
    assert (cache, broker) == (expected_cache, "redis://redis:6379/0")
