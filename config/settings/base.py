"""Settings shared by every environment, read from the environment (DESIGN.md, runtime contract)."""

from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["localhost", "127.0.0.1", "[::1]"]),
    DATABASE_URL=(str, f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
    REDIS_URL=(str, ""),
    EMAIL_URL=(str, "consolemail://"),
    DEFAULT_FROM_EMAIL=(str, "Free Association <hello@free-association.localhost>"),
    BASE_URL=(str, "http://127.0.0.1:8000"),
    SITE_NAME=(str, "Free Association"),
    STATIC_ROOT=(str, str(BASE_DIR / "staticfiles")),
    MEDIA_ROOT=(str, str(BASE_DIR / "media")),
    CONN_MAX_AGE=(int, 60),
    CELERY_WORKER_CONCURRENCY=(int, 2),
    NUM_PROXIES=(int, 0),
    DIGEST_CLAIM_TIMEOUT=(int, 15 * 60),
    DIGEST_BATCH_SIZE=(int, 500),
    RSVP_OFFER_HOURS=(int, 48),
    CSP_REPORT_ONLY=(bool, False),
)

DEBUG = env("DEBUG")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
BASE_URL = env("BASE_URL").rstrip("/")
# The name emails and pages give the site (Django's Site follows it and BASE_URL: hub.sites).
SITE_NAME = env("SITE_NAME")
SITE_ID = 1
# How many trusted proxies sit in front of the app; client IPs are read from X-Forwarded-For.
NUM_PROXIES = env("NUM_PROXIES")

# --- Applications ---------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.sites",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",
]
THIRD_PARTY_APPS = [
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "allauth",
    "allauth.account",
    "anymail",
    "csp",
    "wagtail.api.v2",
]
LOCAL_APPS = [
    "hub",
    "networks",
    "events",
    "campaigns",
    "pledges",
    "surveys",
    "deliberation",
    "calendars",
    "targets",
    # Above the feature apps: they read across all of them (see the import contract in
    # pyproject.toml).
    "digests",
    "topics",
    "home",
]
INSTALLED_APPS = LOCAL_APPS + DJANGO_APPS + THIRD_PARTY_APPS

MIDDLEWARE = [
    "hub.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # After CSRF (which sets the token's cookie), before anything that reads the session.
    "hub.pagecache.AnonymousPageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hub.middleware.ContentSecurityPolicyMiddleware",
    "hub.middleware.SecurityHeadersMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "hub.middleware.AdminPageScopeMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

FORM_RENDERER = "hub.forms.SiteFormRenderer"

# --- Data -----------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env("CONN_MAX_AGE")
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default must hold a crowd signing at once: WAL lets readers go on beside the
    # one writer, and IMMEDIATE takes the write lock when a transaction starts, so a writer waits
    # (up to the timeout) instead of failing with "database is locked" when it upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The broker needs a Redis that never evicts; the cache one bounded by maxmemory, evicting the
# least recently used keys (docker-compose.yml). One Redis for both is fine on a laptop.
REDIS_URL = env("REDIS_URL")
REDIS_CACHE_URL = env("REDIS_CACHE_URL", default="") or REDIS_URL
if REDIS_CACHE_URL:
    # The cache only ever holds copies: when Redis is down or slow, every call answers as a miss
    # within a short timeout (a cache answers in a millisecond or two, or is treated as down), so
    # pages render uncached and rate limits let people through rather than answering 500.
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "KEY_PREFIX": "fa",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 1.0,
                "CLIENT_CLASS": "hub.redis_client.FailSoftClient",
                "REDIS_CLIENT_CLASS": "hub.redis_client.BackoffRedis",
            },
        }
    }
    # hub.redis_client logs one warning per failure; django-redis would log every call it
    # skips while Redis is left alone, each with a traceback.
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth and accounts (django-allauth) -------------------------------------------------------
AUTH_USER_MODEL = "hub.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

ACCOUNT_ADAPTER = "hub.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "digests.forms.SignupForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# A member is told by email when their password or addresses change, so a change they did
# not make does not go unnoticed (templates/account/email/base_notification.txt).
ACCOUNT_EMAIL_NOTIFICATIONS = True
# No ACCOUNT_EMAIL_SUBJECT_PREFIX: allauth then puts the Site's name first, which follows
# SITE_NAME (hub/sites.py), as the bodies do.
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if BASE_URL.startswith("https") else "http"
# allauth's own rate limits (login, signup, password reset, resends) stay at their defaults, counted
# per client address read from X-Forwarded-For by the same rule as ours (hub.ratelimit.client_ip):
# left at 0, every visitor behind the proxy would share the proxy's one bucket.
ALLAUTH_TRUSTED_PROXY_COUNT = NUM_PROXIES

# --- Security headers -----------------------------------------------------------------------
# The public site runs no inline script or style: everything comes from our own static files.
_PUBLIC_CSP = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Wagtail's admin still writes inline scripts and style attributes, and shows page previews in
# a same-origin iframe; it gets a looser policy that still allows nothing from elsewhere.
ADMIN_CSP_PATH_PREFIX = "/admin/"
ADMIN_CSP_DIRECTIVES = {
    **_PUBLIC_CSP["DIRECTIVES"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
}
# CSP_REPORT_ONLY=true sends the same policies as Content-Security-Policy-Report-Only, to try a
# change on live traffic before enforcing it.
if env("CSP_REPORT_ONLY"):
    CONTENT_SECURITY_POLICY = None
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _PUBLIC_CSP
else:
    CONTENT_SECURITY_POLICY = _PUBLIC_CSP
    CONTENT_SECURITY_POLICY_REPORT_ONLY = None
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
# One English catalog of our own, ahead of the apps': allauth's words in the site's voice.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Digest ---------------------------------------------------------------------------------
# A delivery claimed this long ago and still not sent belongs to a worker that died: the next
# run takes it over.
DIGEST_CLAIM_TIMEOUT = env("DIGEST_CLAIM_TIMEOUT")
# Members per task sent through Redis to the workers; at least 100, one SMTP connection each.
DIGEST_BATCH_SIZE = max(100, env("DIGEST_BATCH_SIZE"))

# --- Events ---------------------------------------------------------------------------------
# How long a place that came up is held for the head of its waiting list (at least an hour).
RSVP_OFFER_HOURS = max(1, env("RSVP_OFFER_HOURS"))

# --- Email ----------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL"))
# A hung SMTP server must not hold a worker for ever; the outbox retries what timed out.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ---------------------------------------------------------------------------------
# Without Redis (the embedded default) tasks run in-process, so `make run` needs no broker.
# (memory://localhost/ names its host, or kombu warns that none was supplied.)
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_CONCURRENCY = env("CELERY_WORKER_CONCURRENCY")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Workers and beat outlive a broker outage: they keep reconnecting however long it lasts. A
# task cut off by the loss of its connection is cancelled and, acknowledged late, redelivered;
# every task here claims its work in PostgreSQL, so running it again sends nothing twice.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# A web request publishing to a broker that is down gives up at once, or within a few seconds
# when it hangs (hub.outbox.task_publish); what it could not hand over waits in PostgreSQL. The
# socket timeout must stay above kombu's 1-second BRPOP, which workers wait on.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
# A task taken by a worker that died (acknowledged late, so never acknowledged) goes to another
# worker once Redis's visibility timeout has passed: set a minute past DIGEST_CLAIM_TIMEOUT, so
# that a dead worker's digest batch comes back just after its claims go stale, and sends the rest.
# A task waiting for a retry's countdown is unacknowledged too, and would be handed to a second
# worker past that timeout: no task retries (a failed email waits in the outbox instead).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
    "visibility_timeout": DIGEST_CLAIM_TIMEOUT + 60,
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "publish-scheduled-pages": {
        "task": "hub.tasks.publish_scheduled_pages",
        "schedule": 60.0,
    },
    # Decisions are counted and applied in the minute their deadline passes.
    "close-due-decisions": {
        "task": "deliberation.tasks.close_due_decisions",
        "schedule": 60.0,
        "options": {"expires": 60},
    },
    "send-event-reminders": {
        "task": "events.tasks.send_event_reminders",
        "schedule": crontab(minute="*/5"),
    },
    # A held place passes on within a minute of its deadline; lapsing is claimed under each
    # event's lock, so a run still queued when the next is due is dropped.
    "lapse-place-offers": {
        "task": "events.tasks.lapse_place_offers",
        "schedule": 60.0,
        "options": {"expires": 60},
    },
    "fold-signature-counts": {
        "task": "campaigns.tasks.fold_signature_counts",
        "schedule": 5.0,
        # A fold still queued when the next is due is dropped: folding is idempotent.
        "options": {"expires": 5},
    },
    # Milestones reached and announcements whose task the broker never took or lost.
    "sweep-milestones": {
        "task": "campaigns.tasks.sweep_milestones",
        "schedule": 60.0,
        "options": {"expires": 60},
    },
    # Emails whose task the broker never took or lost, and retries that are due.
    "drain-outbox": {
        "task": "hub.tasks.drain_outbox",
        "schedule": 60.0,
        "options": {"expires": 60},
    },
    "purge-outbox": {
        "task": "hub.tasks.purge_outbox",
        "schedule": crontab(minute=45),
    },
    # Working days overdue are counted once a day, after midnight, for the demand pages.
    "count-days-overdue": {
        "task": "targets.tasks.count_days_overdue",
        "schedule": crontab(hour=0, minute=17),
    },
    # Deliveries and responses whose announcing task the broker lost.
    "announce-deliveries": {
        "task": "targets.tasks.announce_missed",
        "schedule": crontab(minute="*/10"),
        "options": {"expires": 600},
    },
    "purge-unconfirmed-signatures": {
        "task": "campaigns.tasks.purge_unconfirmed_signatures",
        "schedule": crontab(minute=41),
    },
    "purge-unconfirmed-subscribers": {
        "task": "digests.tasks.purge_unconfirmed_subscribers",
        "schedule": crontab(minute=43),
    },
    "recount-signatures": {
        "task": "campaigns.tasks.recount_signatures",
        "schedule": crontab(hour=2, minute=47),
    },
    # The weekly run goes on Monday morning; a member chooses one frequency, so none gets both.
    "send-daily-digest": {
        "task": "digests.tasks.start_digest_run",
        "schedule": crontab(hour=7, minute=0),
        "kwargs": {"frequency": "daily"},
    },
    "send-weekly-digest": {
        "task": "digests.tasks.start_digest_run",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon"),
        "kwargs": {"frequency": "weekly"},
    },
    # Each feed is fetched about once an interval (CALENDAR_IMPORT_INTERVAL), in a task of its own.
    "sync-due-calendars": {
        "task": "calendars.tasks.sync_due_calendars",
        "schedule": crontab(minute="*/10"),
        "options": {"expires": 10 * 60},
    },
    # Lapses pledges whose deadline passed, and announces any bound or lapsed pledge whose
    # announcement task was lost.
    "sweep-pledges": {
        "task": "pledges.tasks.sweep_pledges",
        "schedule": crontab(minute=7),
        "options": {"expires": 3600},
    },
    "purge-unconfirmed-pledgers": {
        "task": "pledges.tasks.purge_unconfirmed_pledgers",
        "schedule": crontab(minute=42),
    },
    # Survey answers are deleted or anonymised on the day their retention period ends.
    "retire-survey-responses": {
        "task": "surveys.tasks.retire_survey_responses",
        "schedule": crontab(hour=3, minute=23),
        "options": {"expires": 3600},
    },
    "clear-expired-sessions": {
        "task": "hub.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=17),
    },
}

# Signatures from these domains are not rate-limited per domain: a surge from them is just a
# surge of people. Per-IP limits still apply.
CAMPAIGNS_WEBMAIL_DOMAINS = env.list(
    "CAMPAIGNS_WEBMAIL_DOMAINS",
    default=[
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk", "live.com",
        "live.co.uk", "msn.com", "yahoo.com", "yahoo.co.uk", "icloud.com", "me.com", "mac.com",
        "aol.com", "protonmail.com", "proton.me", "btinternet.com", "sky.com", "virginmedia.com",
        "talktalk.net", "gmx.com", "mail.com", "nhs.net",
    ],
)  # fmt: skip

# Parts of cached pages rendered afresh for every visitor (hub.pagecache).
PAGE_CACHE_FRAGMENTS = {"demand-progress": "campaigns.views.demand_progress_fragment"}
# Every query parameter a cached page reads (the finder's and the directory's filters): the
# page cache's keys hold these and no others (hub.pagecache).
PAGE_CACHE_PARAMETERS = frozenset(
    ["page", "q", "when", "date_from", "date_to", "type", "format", "region", "network", "topic",
     "access", "free", "query", "kind"]
)  # fmt: skip

# --- Imported calendars (calendars.fetching) ---------------------------------------------------
# Fetched from the public internet over https only; the tests and the embedded demo allow
# loopback and http, for a calendar served on this machine.
CALENDAR_IMPORT_HTTPS_ONLY = True
CALENDAR_IMPORT_ALLOW_PRIVATE_ADDRESSES = False
CALENDAR_IMPORT_MAX_BYTES = 2 * 1024 * 1024
# Seconds for the whole download, redirects included.
CALENDAR_IMPORT_TIMEOUT = 20
# Seconds between two syncs of one feed; events are imported this many days ahead.
CALENDAR_IMPORT_INTERVAL = 60 * 60
CALENDAR_IMPORT_HORIZON_DAYS = 92
CALENDAR_IMPORT_MAX_EVENTS = 500

# --- Deliveries to targets ------------------------------------------------------------------
# A target is expected to answer this many working days after a delivery (moderators may change
# a delivery's date): 20, as public bodies answer a freedom of information request.
DEFAULT_RESPONSE_WORKING_DAYS = 20

# --- Surveys ------------------------------------------------------------------------------
# A survey's default smallest published count; surveys.models.MIN_CELL_FLOOR (5) is the floor.
SURVEY_MIN_CELL_SIZE = env.int("SURVEY_MIN_CELL_SIZE", default=10)

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = SITE_NAME
# The main menu's links to routes that are not pages, after the pages marked for menus: (title,
# URL name).
MAIN_NAV_ROUTES = [("Pledges", "pledges:index")]
WAGTAILADMIN_BASE_URL = BASE_URL
WAGTAILIMAGES_IMAGE_MODEL = "hub.CustomImage"
# The database backend picks PostgreSQL full-text search when running on PostgreSQL.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
# Documents only through Wagtail's view, which applies their collection's privacy; never a link to
# the file in MEDIA_ROOT (config/urls.py serves only image folders from there).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# Avatars from gravatar.com would leak editors' email hashes to a third party and need the
# admin's CSP opened to it.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    # Wagtail runs its search-index and reference-index updates as tasks; one line each is noise.
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        # runserver says once that it watches for changes; this logger says it again.
        "django.utils.autoreload": {"level": "WARNING"},
    },
}

# `manage.py seed_demo` creates an admin with a known password; production switches it off.
DEMO_CONTENT_ALLOWED = True
DEMO_ADMIN_EMAIL = env("DEMO_ADMIN_EMAIL", default="admin@free-association.example")
DEMO_ADMIN_PASSWORD = env("DEMO_ADMIN_PASSWORD", default="free-association-demo")
# Each app's demo content, in order: later seeders build on what earlier ones made. Named here
# because the command lives in the kernel, which imports no feature app.
DEMO_SEEDERS = [
    "hub.demo.seed_hub",
    "networks.demo.seed_networks",
    "events.demo.seed_events",
    "calendars.demo.seed_calendars",
    "campaigns.demo.seed_campaigns",
    "targets.demo.seed_targets",
    "pledges.demo.seed_pledges",
    "surveys.demo.seed_surveys",
    "deliberation.demo.seed_deliberation",
    "digests.demo.seed_digest",
]
