"""Critical settings, asserted so that a typo cannot switch a protection off unnoticed."""

import secrets
import subprocess
import sys

import pytest
from django.conf import settings

from tests.conftest import ROOT, venv_env

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "ALLOWED_HOSTS": "hub.example.org",
}


def run_manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=venv_env(**env), capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_security_critical_settings():
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE
    assert settings.AUTH_USER_MODEL == "hub.User"
    assert settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory"
    assert {"email"} == settings.ACCOUNT_LOGIN_METHODS
    assert settings.ACCOUNT_CONFIRM_EMAIL_ON_GET is False
    assert settings.ACCOUNT_ADAPTER == "hub.adapters.AccountAdapter"
    assert settings.WAGTAILIMAGES_IMAGE_MODEL == "hub.CustomImage"
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.TIME_ZONE == "Europe/London"


def test_workers_keep_reconnecting_however_long_the_broker_is_away():
    from config.celery import app

    # Celery's default gives up after 100 tries (about 50 minutes), and the worker exits.
    assert app.conf.broker_connection_retry is True
    assert app.conf.broker_connection_max_retries is None
    assert app.conf.broker_connection_retry_on_startup is True
    assert app.conf.worker_cancel_long_running_tasks_on_connection_loss is True
    assert settings.CELERY_BEAT_SCHEDULE["drain-outbox"]["schedule"] == 60.0


def test_beat_schedule_names_real_tasks():
    from config.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]


def test_production_check_deploy_is_clean():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"SECRET_KEY": "django-insecure-free-association-development-only"}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"DATABASE_URL": "sqlite:///db.sqlite3"}, "PostgreSQL"),
        ({"REDIS_URL": ""}, "REDIS_URL"),
    ],
)
def test_production_refuses_to_start_on_development_defaults(override, message):
    result = run_manage("check", **{**PRODUCTION_ENV, **override})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_refuses_a_missing_secret_key_or_database():
    env = venv_env(**PRODUCTION_ENV)
    for name in ["SECRET_KEY", "DATABASE_URL"]:
        partial = {k: v for k, v in env.items() if k != name}
        result = subprocess.run(
            [sys.executable, "manage.py", "check"],
            cwd=ROOT, env=partial, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert result.returncode != 0, name
        assert "ImproperlyConfigured" in result.stderr, name


def test_embedded_default_runs_tasks_in_process_and_sends_email_to_the_console():
    code = (
        "from django.conf import settings; "
        "print(settings.CELERY_TASK_ALWAYS_EAGER, settings.EMAIL_BACKEND, "
        "settings.DATABASES['default']['ENGINE'])"
    )
    env = venv_env(DJANGO_SETTINGS_MODULE="config.settings.dev")
    for name in ["REDIS_URL", "DATABASE_URL", "EMAIL_URL"]:
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "django.core.mail.backends.console.EmailBackend",
        "django.db.backends.sqlite3",
    ]
