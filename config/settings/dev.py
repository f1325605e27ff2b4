"""Local development: the embedded default of `make run` (SQLite, eager tasks, console email)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env("DEBUG", default=True)
# A fixed, visibly unsafe key: production.py refuses it (and any key it does not get from the env).
SECRET_KEY = env("SECRET_KEY", default="django-insecure-free-association-development-only")

# Calendars to import are served from loopback: the tests' own server, the demo's own site.
CALENDAR_IMPORT_HTTPS_ONLY = False
CALENDAR_IMPORT_ALLOW_PRIVATE_ADDRESSES = True

# `make run` serves the demo with DEBUG off, so visitors see the site's own error pages; WhiteNoise
# then serves static files straight from the apps, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
