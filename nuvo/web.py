"""Small helpers shared by the HTML views of every app."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect

PAGE_SIZE = 25


def member_required(*roles: str):
    """Signed-in member of an organization, holding one of `roles` if given; otherwise 403."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if not request.member:
                raise PermissionDenied("Your account is not a member of any organization.")
            if roles:
                request.member.require_any(*roles)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def redirect_after_action(request: HttpRequest, url: str) -> HttpResponse:
    """After a successful POST: a full redirect, or a client-side one when htmx made the request."""
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The `next` a form carries back to (POST, else the query string), if it stays on this
    site; else `fallback`."""
    back = request.POST.get("next") or request.GET.get("next") or ""
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return fallback


def paginate(request: HttpRequest, queryset, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def render_page(
    request: HttpRequest, template: str, partial: str, context: dict, status: int = 200
) -> HttpResponse:
    """The whole page, or only its named partial when htmx asks for a fragment.

    htmx's history restore wants the whole page; `Vary` keeps caches from mixing the two.
    """
    fragment = request.htmx and not request.htmx.history_restore_request
    response = render(
        request, f"{template}#{partial}" if fragment else template, context, status=status
    )
    patch_vary_headers(response, ["HX-Request"])
    return response
