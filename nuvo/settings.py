"""Nuvo settings, read from the environment (documented in `.env.example`).

With no environment at all Nuvo runs for local use: DEBUG on, SQLite, Celery tasks run eagerly in
the web process, email printed to the console, and the bundled Avalara simulator on loopback.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    """The variable's value; unset and empty both mean the default."""
    return os.environ.get(name, "").strip() or default


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}.")


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}.") from exc


def env_float(name: str, default: float) -> float:
    value = env_str(name)
    if not value:
        return default
    try:
        return float(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, got {value!r}.") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = env_str(name)
    if not value:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


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
    "nuvo",
    "creditapps",
    "certificates",
    "integrations",
]

MIDDLEWARE = [
    "nuvo.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "nuvo.middleware.OrganizationMiddleware",
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

# Abuse limits: rates on the shared cache, request sizes, login lockout, API throttles.
# Redis when NUVO_CACHE_URL (or REDIS_URL) is set, so all web processes count together; else
# each process counts alone in local memory (local use, tests). django-ratelimit warns about
# Django's RedisCache (it increments atomically) and refuses local memory (the fallback).
NUVO_CACHE_URL = env_str("NUVO_CACHE_URL") or env_str("REDIS_URL")
_TIMEOUTS = {"socket_connect_timeout": 2, "socket_timeout": 2}
_REDIS_CACHE = {"BACKEND": "nuvo.cache.FailOpenRedisCache", "KEY_PREFIX": "nuvo"}
CACHES = {
    "default": {**_REDIS_CACHE, "LOCATION": NUVO_CACHE_URL, "OPTIONS": _TIMEOUTS}
    if NUVO_CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
INSTALLED_APPS += ["django_ratelimit"]
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"] + (
    [] if NUVO_CACHE_URL else ["django_ratelimit.E003"]
)
# Proxies in front that append the client's address to X-Forwarded-For; with 0 (gunicorn
# published directly) the header is ignored, since any client can send it.
NUVO_PROXY_COUNT = env_int("NUVO_PROXY_COUNT", 0)
RATELIMIT_IP_META_KEY = "nuvo.abuse.client_ip"
RATELIMIT_FAIL_OPEN = True  # a count the cache could not keep (see nuvo/cache.py)


def env_rate(name: str, default: str, pattern: str = r"\d+/\d*[smhd]") -> str | None:
    """A rate such as `20/h` or `5/15m`; `off` turns the limit off."""
    value = env_str(name, default)
    if value.lower() != "off" and not re.fullmatch(pattern, value):
        raise ImproperlyConfigured(f"{name} must be a rate such as 20/h, or off; got {value!r}.")
    return None if value.lower() == "off" else value


# Posts to the anonymous pages (application form, Request Info answer) per client IP, and
# posts to one public form from any IP; the size of one anonymous request, files included.
NUVO_PUBLIC_RATE_PER_IP = env_rate("NUVO_PUBLIC_RATE_PER_IP", "20/h")
NUVO_PUBLIC_RATE_PER_FORM = env_rate("NUVO_PUBLIC_RATE_PER_FORM", "30/h")
NUVO_PUBLIC_MAX_REQUEST_BYTES = env_int("NUVO_PUBLIC_MAX_REQUEST_MB", 25) * 1024 * 1024
# Password-reset emails per client IP and per address; over the limit the page answers as
# always but sends nothing, so it tells no one which addresses have accounts.
NUVO_PASSWORD_RESET_RATE_PER_IP = env_rate("NUVO_PASSWORD_RESET_RATE_PER_IP", "5/h")
NUVO_PASSWORD_RESET_RATE_PER_EMAIL = env_rate("NUVO_PASSWORD_RESET_RATE_PER_EMAIL", "3/h")
# Uploads stream to temporary files, not memory; form fields and JSON bodies stay small.
FILE_UPLOAD_MAX_MEMORY_SIZE = 0
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# django-axes: after NUVO_LOGIN_FAILURE_LIMIT failures a username from one IP is refused, right
# password or not, until NUVO_LOGIN_COOLOFF_MINUTES pass. NUVO_LOGIN_LOCKOUT_PARAMETERS: groups
# separated by commas, `+` within one (username, ip_address, user_agent).
INSTALLED_APPS += ["axes"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("NUVO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("NUVO_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [
    group.split("+") for group in env_list("NUVO_LOGIN_LOCKOUT_PARAMETERS", ["username+ip_address"])
]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = RATELIMIT_IP_META_KEY
AXES_LOCKOUT_CALLABLE = "nuvo.abuse.login_locked_out"
AXES_VERBOSE = False
# The API, per signed-in user (token or session) and per IP for calls that need no login.
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = [
    "rest_framework.throttling.AnonRateThrottle",
    "rest_framework.throttling.UserRateThrottle",
]
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "anon": env_rate("NUVO_API_RATE_ANON", "60/min", r"\d+/[smhd][a-z]*"),
    "user": env_rate("NUVO_API_RATE_USER", "600/min", r"\d+/[smhd][a-z]*"),
}
REST_FRAMEWORK["NUM_PROXIES"] = NUVO_PROXY_COUNT

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

# Security headers and sessions
# Content-Security-Policy on every response (django-csp): no inline script or style anywhere, so
# templates keep their JavaScript in static/js and their styles in static/css, and base.html's
# htmx-config stops htmx writing styles of its own. Page images are served by Nuvo (no data:).
INSTALLED_APPS.append("csp")
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    },
}
# Variables marked with sensitive_variables / sensitive_post_parameters stay hidden in error
# reports and DEBUG's technical 500 page alike.
DEFAULT_EXCEPTION_REPORTER_FILTER = "nuvo.error_reports.SensitiveExceptionReporterFilter"
# Scripts send the CSRF token from the page (hx-headers in base.html), never from the cookie.
CSRF_COOKIE_HTTPONLY = True
# A session ends after this many seconds without a request (nuvo/sessions.py renews it).
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_COOKIE_AGE", 12 * 60 * 60)
SESSION_ENGINE = "nuvo.sessions"
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware") + 1,
    "nuvo.sessions.IdleSessionMiddleware",
)
# X-Forwarded-Proto is a header any client can send: trust it only when a proxy that sets it (and
# drops the client's own) is in front. docker-compose publishes gunicorn directly.
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

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
