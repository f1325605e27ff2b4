"""Production: PostgreSQL, Redis, real email; refuses to start on development defaults."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, REDIS_URL, env

DEBUG = False

SECRET_KEY = env("SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure") or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured(
        "SECRET_KEY must be a long random value (50+ characters), not a development key."
    )
if "DATABASE_URL" not in env.ENVIRON or DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    raise ImproperlyConfigured("Production needs DATABASE_URL pointing at PostgreSQL, not SQLite.")
if not REDIS_URL:
    raise ImproperlyConfigured("Production needs REDIS_URL for Celery and the cache.")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# TLS is terminated by the proxy in front of gunicorn, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

ANYMAIL = env.json("ANYMAIL", default={})
if env("EMAIL_BACKEND", default=""):
    # Any Anymail provider, e.g. EMAIL_BACKEND=anymail.backends.postmark.EmailBackend.
    EMAIL_BACKEND = env("EMAIL_BACKEND")

DEMO_CONTENT_ALLOWED = env.bool("DEMO_CONTENT_ALLOWED", default=False)
