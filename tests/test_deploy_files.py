"""docker-compose.yml and the Dockerfile name entry points that exist in the project."""

import os
import re
import shutil
import subprocess

import pytest
import yaml

from tests.conftest import IN_CI, ROOT

COMPOSE_FILE = ROOT / "docker-compose.yml"
COMPOSE = yaml.safe_load(COMPOSE_FILE.read_text())
APP_SERVICES = ["web", "worker", "beat"]


def test_compose_runs_the_production_shape():
    assert set(COMPOSE["services"]) == {"web", "worker", "beat", "db", "redis"}
    for name in ["db", "redis", "web", "worker"]:
        assert "healthcheck" in COMPOSE["services"][name], name
    for name in ["db", "redis"]:
        assert COMPOSE["services"][name]["volumes"], name


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


def test_the_image_installs_only_from_the_lock():
    dockerfile = (ROOT / "Dockerfile").read_text()
    installs = re.findall(r"^RUN .*\b(?:pip|uv) (?:install|sync)\b.*$", dockerfile, re.M)
    assert installs == [
        "RUN pip install --require-hashes -r requirements/uv.txt",
        "RUN uv sync --locked --no-default-groups --no-cache",
    ]
    assert "COPY pyproject.toml uv.lock ./" in dockerfile
