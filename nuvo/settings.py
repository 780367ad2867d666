"""Nuvo settings, read from the environment (documented in `.env.example`).

With no environment at all Nuvo runs for local use: DEBUG on, SQLite, Celery tasks run eagerly in
the web process, email printed to the console, and the bundled Avalara simulator on loopback.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from nuvo.env import env_bool, env_float, env_int, env_list, env_str
from nuvo.settings_security import *  # noqa: F403 - abuse limits, security headers, sessions
from nuvo.settings_security import API_THROTTLE_RATES, NUVO_PROXY_COUNT

BASE_DIR = Path(__file__).resolve().parent.parent


DEBUG = env_bool("DJANGO_DEBUG", True)

# Local-only fallbacks: refused below unless DEBUG is on.
_LOCAL_SECRET_KEY = "django-insecure-local-development-only-never-use-in-production"  # noqa: S105
_LOCAL_ENCRYPTION_KEY = "bG9jYWwtZGV2ZWxvcG1lbnQtb25seS1rZXktMzJieXQ="

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = _LOCAL_SECRET_KEY
elif not DEBUG and SECRET_KEY == _LOCAL_SECRET_KEY:
    # The fallback is public (it is in this file): copying it into the environment is no secret.
    raise ImproperlyConfigured("DJANGO_SECRET_KEY is the public local-only key; generate one.")

# Fernet keys for credentials at rest, newest first (see integrations/fields.py).
NUVO_ENCRYPTION_KEYS = env_list("NUVO_ENCRYPTION_KEYS")
if not NUVO_ENCRYPTION_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured("NUVO_ENCRYPTION_KEYS must be set when DJANGO_DEBUG is off.")
    NUVO_ENCRYPTION_KEYS = [_LOCAL_ENCRYPTION_KEY]
elif not DEBUG and _LOCAL_ENCRYPTION_KEY in NUVO_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("NUVO_ENCRYPTION_KEYS holds the public local-only key; remove it.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_htmx",
    "template_partials",
    "import_export",
    "django_ratelimit",
    "axes",
    "csp",
    "nuvo",
    "creditapps",
    "certificates",
    "integrations",
]

MIDDLEWARE = [
    "nuvo.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "nuvo.sessions.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "nuvo.middleware.OrganizationMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "nuvo.urls"
WSGI_APPLICATION = "nuvo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "nuvo.context_processors.membership",
                "creditapps.context_processors.approval_queue",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "nuvo.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "creditapps:application-list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Local runs serve static files straight from the app folders (WhiteNoise's finders).
STATIC_ROOT = (
    Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles"))) if not DEBUG else None
)
WHITENOISE_USE_FINDERS = DEBUG
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # The manifest storage needs collectstatic first; local runs and tests serve plain files.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}

# Certificate PDFs
NUVO_MAX_UPLOAD_BYTES = env_int("NUVO_MAX_UPLOAD_MB", 10) * 1024 * 1024
# A whole request: up to ten certificates on the public form, plus the form itself.
NUVO_MAX_REQUEST_BYTES = 10 * NUVO_MAX_UPLOAD_BYTES + 1024 * 1024
# Where customers reach Nuvo: the base of links in emails sent outside a request.
NUVO_PUBLIC_URL = env_str("NUVO_PUBLIC_URL", "http://127.0.0.1:8000")
# How long a customer's Request Info link stays valid.
NUVO_INFO_REQUEST_MAX_AGE_DAYS = env_int("NUVO_INFO_REQUEST_MAX_AGE_DAYS", 14)

# PDF intake limits (certificates/limits.py). All the certificate files of one request share one
# CPU budget, so ten crafted files cost what one may. Anonymous uploads (the public form and
# Request Info links) get lower limits than staff, who keep NUVO_MAX_UPLOAD_BYTES per file.
NUVO_PDF_CPU_SECONDS_PER_REQUEST = env_float("NUVO_PDF_CPU_SECONDS_PER_REQUEST", 8.0)
NUVO_PUBLIC_MAX_FILE_BYTES = env_int("NUVO_PUBLIC_MAX_FILE_MB", 5) * 1024 * 1024
NUVO_PUBLIC_MAX_TOTAL_BYTES = env_int("NUVO_PUBLIC_MAX_TOTAL_MB", 20) * 1024 * 1024
NUVO_PUBLIC_MAX_FILES = env_int("NUVO_PUBLIC_MAX_FILES", 10)
NUVO_PUBLIC_MAX_PAGES = env_int("NUVO_PUBLIC_MAX_PAGES", 50)

# Email
EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Nuvo <no-reply@nuvo.localhost>")

# Celery: without a broker, tasks run eagerly in-process (local use and the default test tier).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or env_str("REDIS_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    # Nothing is ever sent; an in-memory transport keeps kombu from looking for a server.
    CELERY_BROKER_URL = "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task taken by a worker that died (acks late) goes back to the queue after this long. Keep it
# above the longest retry countdown (AVALARA_SEND_RETRY_MAX_SECONDS): Redis redelivers a waiting
# retry after it too (the send's claim keeps a second delivery from doing anything).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT_SECONDS", 3600)
}
CELERY_BEAT_SCHEDULE = {
    "check-avalara-connections": {
        "task": "integrations.tasks.check_avalara_connections",
        "schedule": 24 * 60 * 60,
    },
    "refresh-avalara-definitions": {
        "task": "integrations.tasks.refresh_avalara_definitions",
        "schedule": 24 * 60 * 60,
    },
    "sync-certificate-status": {
        "task": "integrations.tasks.sync_certificate_statuses",
        "schedule": env_int("AVALARA_SYNC_MINUTES", 15) * 60,
    },
    "sync-certificate-status-full": {
        "task": "integrations.tasks.sync_certificate_statuses",
        "schedule": 24 * 60 * 60,
        "kwargs": {"full": True},
    },
    "delete-stale-pending-uploads": {
        "task": "certificates.tasks.delete_stale_pending_uploads",
        "schedule": 60 * 60,
    },
    "request-certificate-renewals": {
        "task": "creditapps.tasks.request_certificate_renewals",
        "schedule": 24 * 60 * 60,
    },
    "send-held-certificates": {
        "task": "integrations.tasks.send_held_certificates",
        "schedule": 60 * 60,
    },
    "resume-stalled-avalara-sends": {
        "task": "integrations.tasks.resume_stalled_avalara_sends",
        "schedule": 5 * 60,
    },
}

# Avalara. AVALARA_BASE_URL, when set, replaces Avalara's host for every connection (the simulator,
# tests). Local use with no environment talks to the bundled simulator.
# Set it to an empty value to reach Avalara's real hosts while DEBUG is on.
AVALARA_SIMULATOR_URL = "http://127.0.0.1:8765"
AVALARA_BASE_URL = os.environ.get(
    "AVALARA_BASE_URL", AVALARA_SIMULATOR_URL if DEBUG else ""
).strip()
AVALARA_TIMEOUT = env_float("AVALARA_TIMEOUT", 15.0)
AVALARA_CONNECT_TIMEOUT = env_float("AVALARA_CONNECT_TIMEOUT", 5.0)
# Retries of idempotent calls (GET/PUT) on timeouts, 429 and 5xx; POSTs are never retried blindly.
AVALARA_MAX_RETRIES = env_int("AVALARA_MAX_RETRIES", 3)
# Certificates created in parallel per send: the speed of a send, within Avalara's rate limits.
AVALARA_SEND_CONCURRENCY = env_int("AVALARA_SEND_CONCURRENCY", 4)
# Task retries of a send after a passing failure (429, 503, no connection), with backoff up to
# AVALARA_SEND_RETRY_MAX_SECONDS between tries.
AVALARA_SEND_MAX_RETRIES = env_int("AVALARA_SEND_MAX_RETRIES", 5)
AVALARA_SEND_RETRY_MAX_SECONDS = env_int("AVALARA_SEND_RETRY_MAX_SECONDS", 300)
# A send still running after this long lost its worker; another run takes it over. Keep it above
# the send task's 300 s hard time limit.
AVALARA_SEND_STALE_SECONDS = env_int("AVALARA_SEND_STALE_SECONDS", 330)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous call gets 401 with a WWW-Authenticate challenge.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["nuvo.api.IsOrganizationMember"],
    "DEFAULT_PARSER_CLASSES": [
        "nuvo.api.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "nuvo.api_errors.exception_handler",
    # The API, per signed-in user (token or session) and per IP for calls that need no login.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": API_THROTTLE_RATES,
    "NUM_PROXIES": NUVO_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Nuvo API",
    "DESCRIPTION": "Credit applications, customers and tax-exemption certificates.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "nuvo.api_schema.document_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "CreditTermsEnum": "creditapps.models.CreditApplication.Terms",
        "RegionEnum": "nuvo.regions.REGION_CODES",
        "ApplicationStatusEnum": "creditapps.models.CreditApplication.Status",
        "AvalaraConnectionStatusEnum": "integrations.models.AvalaraConnection.Status",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # pypdf warns about every repair it makes to a damaged upload; not actionable here.
        "pypdf": {"level": "ERROR"},
    },
}

# Production hardening (checked by `manage.py check --deploy` in CI).
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # The container health check calls gunicorn over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 30)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # as CSP frame-ancestors 'none', for browsers without CSP 2
