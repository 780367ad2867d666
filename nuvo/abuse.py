"""What one client may make Nuvo do: post rates counted on the shared cache, and the 429 pages.

The rates are settings (NUVO_*_RATE_*), read on each request; django-ratelimit counts them in
fixed windows on the default cache (Redis when configured, see settings "Abuse limits").
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the one NUVO_PROXY_COUNT proxies saw.

    Mirrors DRF's `NUM_PROXIES`, so the page limits, login lockout and API throttles agree.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.NUVO_PROXY_COUNT and forwarded:
        addresses = [address.strip() for address in forwarded.split(",")]
        return addresses[-min(settings.NUVO_PROXY_COUNT, len(addresses))]
    return request.META.get("REMOTE_ADDR", "")


def url_argument(name: str) -> Callable[[str, HttpRequest], str]:
    """A rate-limit key: the value of the URL's `name` argument (a public form's key)."""

    def key(group: str, request: HttpRequest) -> str:
        return str(request.resolver_match.kwargs.get(name, ""))

    return key


def posted_email(group: str, request: HttpRequest) -> str:
    """A rate-limit key: the posted `email`, as the password-reset form matches it (any case)."""
    return request.POST.get("email", "").strip().lower()


@dataclass(frozen=True)
class Limit:
    """One counter: requests sharing `group` and `key` share it, at the rate in `setting`."""

    group: str
    key: str | Callable[[str, HttpRequest], str]
    setting: str

    def count(self, request: HttpRequest) -> int | None:
        """Count this request; the seconds until the window ends when it is over the limit."""
        usage = get_usage(
            request,
            group=self.group,
            key=self.key,
            rate=lambda group, request: getattr(settings, self.setting),
            increment=True,
        )
        if usage is None or not usage["should_limit"]:
            return None
        return max(usage["time_left"], 1)


def over_limit(request: HttpRequest, limits: tuple[Limit, ...]) -> int | None:
    """Count the request against every limit; the longest wait among those it exceeds."""
    waits = [wait for limit in limits if (wait := limit.count(request)) is not None]
    return max(waits, default=None)


def limit_posts(*limits: Limit):
    """Answer a POST over any of `limits` with the 429 page; other methods are not counted."""

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if request.method == "POST" and (wait := over_limit(request, limits)) is not None:
                return too_many_requests(request, wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def request_size_limit(setting: str):
    """Refuse requests larger than the bytes in `setting` before anything reads them.

    RequestSizeLimitMiddleware applies it ahead of the CSRF check, which would read the body.
    """

    def decorator(view):
        view.max_request_bytes_setting = setting
        return view

    return decorator


def too_many_requests(
    request: HttpRequest, retry_after: int, template: str = "429.html", **context
) -> HttpResponse:
    response = render(
        request, template, {"wait": wait_in_words(retry_after), **context}, status=429
    )
    response["Retry-After"] = str(retry_after)
    return response


def login_locked_out(request: HttpRequest, *_) -> HttpResponse:
    """django-axes' lockout answer (AXES_LOCKOUT_CALLABLE), in the login page's style.

    Axes 8.0 passes (request, credentials), later releases (request, response, credentials).
    """
    retry_after = int(settings.AXES_COOLOFF_TIME.total_seconds())
    return too_many_requests(request, retry_after, "registration/locked_out.html")


def wait_in_words(seconds: int) -> str:
    minutes = math.ceil(seconds / 60)
    if minutes <= 1:
        return "a minute"
    if minutes < 90:
        return f"{minutes} minutes"
    return f"{math.ceil(minutes / 60)} hours"
