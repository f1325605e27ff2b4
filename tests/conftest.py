"""Shared fixtures. Tests marked `postgres` or `redis` need those services: they skip on a
laptop without them, and fail under CI, where a missing service is a broken build."""

import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def service_unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"{reason}; CI must run this test against the real service", pytrace=False)
    pytest.skip(reason)


def redis_answers(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


# Django keeps a database connection per thread, but per asyncio context while an event loop runs
# in the thread, as pytest-playwright's does from its first browser test to the end of the session.
# A connection made in that context lacks the snapshot taken when the test database was set up, and
# `serialized_rollback` then silently restores nothing (and the flush after the test, not knowing a
# restore is coming, recreates content types the restore then clashes with); so the snapshot is
# put on the connections' class, where a connection made in any context finds it.
def share_serialized_contents() -> None:
    from django.db import connections

    for alias in connections:
        connection = connections[alias]
        contents = connection.__dict__.get("_test_serialized_contents")
        if contents is not None:
            type(connection)._test_serialized_contents = contents


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        # Under pytest-xdist (make test), a class's tests that share its seeded demo go to one
        # worker, so that it is seeded once.
        if item.cls is not None and "demo_seeded" in fixtures:
            item.add_marker(pytest.mark.xdist_group(f"{item.module.__name__}.{item.cls.__name__}"))
        # Every transactional test restores the snapshot of what migrations made, and so its
        # flush leaves the tables empty for the next one's restore: a flush without it makes the
        # content types again, which the next restore would clash with. Which test comes next
        # depends on how xdist shares them out.
        marker = item.get_closest_marker("django_db")
        options = dict(marker.kwargs) if marker else {}
        transactional = options.get("transaction") or {"transactional_db", "live_server"} & set(
            fixtures
        )
        if transactional and not options.get("serialized_rollback"):
            options.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**options), append=False)


def pytest_runtest_teardown(item):
    share_serialized_contents()


def pytest_runtest_setup(item):
    share_serialized_contents()
    if item.get_closest_marker("postgres") and settings.DATABASES["default"]["ENGINE"] != (
        "django.db.backends.postgresql"
    ):
        service_unavailable("needs PostgreSQL: set DATABASE_URL=postgres://...")
    if item.get_closest_marker("redis"):
        if not settings.REDIS_URL:
            service_unavailable("needs Redis: set REDIS_URL=redis://...")
        if not redis_answers(settings.REDIS_URL):
            service_unavailable(f"Redis at {settings.REDIS_URL} does not answer")


@pytest.fixture(scope="class")
def demo_seeded(django_db_setup, django_db_blocker):
    """The demo seeded once for a class of tests (it takes about ten seconds), in a transaction
    rolled back after the class's last test; each test's own transaction is a savepoint in it,
    so what a test changes is undone before the next. None of them may commit (transactional
    tests use `demo_site`)."""
    from django.db import transaction
    from django.test import TestCase

    module_transaction = transaction.atomic()
    with django_db_blocker.unblock():
        module_transaction.__enter__()
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            module_transaction.__exit__(None, None, None)


@pytest.fixture
def demo_site(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture
def demo_site_shared(demo_seeded, db):
    """The demo site as `demo_site`, seeded once for the test's class (`demo_seeded`)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_port(settings):
    """Email goes over real SMTP to a port on loopback: refused until a sink is started on it."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    return port


def run_in_threads(count, target):
    """Run `target(index)` in `count` threads released at once; fail on any error."""
    from django.db import connection

    barrier = threading.Barrier(count)
    errors = []

    def run(index):
        try:
            barrier.wait()
            target(index)
        except Exception as error:  # noqa: BLE001 -- reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def database_url(settings_dict: dict) -> str:
    """The URL of the database the test process is using (the test database, once set up)."""
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


def venv_env(**overrides) -> dict:
    """The environment for a child process that runs this project's commands."""
    env = {**os.environ, **overrides}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    # The test settings move an xdist worker's Redis databases along; a child given this
    # process's REDIS_URL, already moved, must not move it again.
    env.pop("PYTEST_XDIST_WORKER", None)
    return env


def point_celery_at(url: str) -> None:
    """Send tasks to `url` from now on, dropping the connections made to the old broker."""
    from config.celery import app

    app.conf.broker_url = url
    # kombu keeps one pool per broker URL, so the old one is left open for the next user.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def real_broker():
    """Tasks go through the broker instead of running in-process; put back at the end."""
    from config.celery import app

    app.conf.task_always_eager = False
    yield
    point_celery_at(settings.CELERY_BROKER_URL)
    app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


@pytest.fixture
def celery_worker_factory(transactional_db):
    """Starts real Celery workers on Redis against the test database: `start(queue=None, **env)`
    returns `(queue, process)`; extra `env` (e.g. EMAIL_URL, or REDIS_URL for a broker the test
    pointed Celery at with `point_celery_at`) goes to the worker. All are stopped at the end."""
    from django.db import connection

    from config.celery import app

    processes = []

    def start(queue: str | None = None, **extra_env):
        queue = queue or f"test-{uuid.uuid4().hex[:8]}"
        name = f"{queue}-{len(processes)}@localhost"
        env = venv_env(
            **{
                "DJANGO_SETTINGS_MODULE": "config.settings.test",
                "DATABASE_URL": database_url(connection.settings_dict),
                "REDIS_URL": settings.REDIS_URL,
                **extra_env,
            }
        )
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo",
             "--queues", queue, "--hostname", name, "--loglevel", "info", "--without-mingle",
             "--without-gossip"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        processes.append(process)
        app.conf.task_always_eager = False
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[name], timeout=1):
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read() if process.poll() is not None else ""
                pytest.fail(f"the Celery worker did not start:\n{output}")
        return queue, process

    try:
        yield start
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
        for process in processes:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def celery_worker(celery_worker_factory):
    """A real Celery worker on Redis, consuming a queue of its own, against the test database."""
    queue, _process = celery_worker_factory()
    return queue


@pytest.fixture(autouse=True)
def clear_cache():
    """Rate limits and cached pages must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
