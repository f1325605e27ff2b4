"""The test suite: PostgreSQL and Redis when DATABASE_URL and REDIS_URL are set (CI sets both)."""

from urllib.parse import urlsplit, urlunsplit

from .base import *  # noqa: F403
from .base import CACHES, REDIS_URL, env

SECRET_KEY = env("SECRET_KEY", default="django-insecure-free-association-tests-only")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
BASE_URL = "http://testserver"
WAGTAILADMIN_BASE_URL = BASE_URL
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

# Tests send tasks in-process; tests that need a real worker switch this off themselves.
CELERY_TASK_ALWAYS_EAGER = True

# Calendars to import are served from loopback: the tests' own server, the demo's own site.
CALENDAR_IMPORT_HTTPS_ONLY = False
CALENDAR_IMPORT_ALLOW_PRIVATE_ADDRESSES = True

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

if REDIS_URL:
    # The cache gets the next Redis database of its own, flushed before every test
    # (tests/conftest.py); the Celery broker keeps the one in REDIS_URL. Each pytest-xdist
    # worker (gw0, gw1, ...) moves both two databases along, so that one worker's flush never
    # empties the cache under another's test.
    _redis = urlsplit(REDIS_URL)
    _worker = int(env("PYTEST_XDIST_WORKER", default="gw0").removeprefix("gw") or 0)
    _broker_db = int(_redis.path.strip("/") or 0) + 2 * _worker
    REDIS_URL = urlunsplit(_redis._replace(path=f"/{_broker_db}"))
    CELERY_BROKER_URL = CELERY_RESULT_BACKEND = REDIS_URL
    CACHES["default"]["LOCATION"] = urlunsplit(_redis._replace(path=f"/{_broker_db + 1}"))

# A test's own Celery worker may deliver to an SMTP server on loopback instead (digest tests).
if env("TEST_EMAIL_URL", default=""):
    vars().update(env.email_url("TEST_EMAIL_URL"))
