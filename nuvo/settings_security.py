"""Settings for abuse limits, security headers and sessions, read from the environment.

nuvo/settings.py takes everything here (and lists the apps and middleware these need).
"""

from datetime import timedelta

from nuvo.env import env_bool, env_int, env_list, env_rate, env_str

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
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"] + (
    [] if NUVO_CACHE_URL else ["django_ratelimit.E003"]
)
# Proxies in front that append the client's address to X-Forwarded-For; with 0 (gunicorn
# published directly) the header is ignored, since any client can send it.
NUVO_PROXY_COUNT = env_int("NUVO_PROXY_COUNT", 0)
RATELIMIT_IP_META_KEY = "nuvo.abuse.client_ip"
RATELIMIT_FAIL_OPEN = True  # a count the cache could not keep (see nuvo/cache.py)


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
API_THROTTLE_RATES = {
    "anon": env_rate("NUVO_API_RATE_ANON", "60/min", r"\d+/[smhd][a-z]*"),
    "user": env_rate("NUVO_API_RATE_USER", "600/min", r"\d+/[smhd][a-z]*"),
}

# Security headers and sessions
# Content-Security-Policy on every response (django-csp): no inline script or style anywhere, so
# templates keep their JavaScript in static/js and their styles in static/css, and base.html's
# htmx-config stops htmx writing styles of its own. Page images are served by Nuvo (no data:).
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
# X-Forwarded-Proto is a header any client can send: trust it only when a proxy that sets it (and
# drops the client's own) is in front. docker-compose publishes gunicorn directly.
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
