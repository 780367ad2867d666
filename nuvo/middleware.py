from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from nuvo.roles import member_for


class RequestSizeLimitMiddleware:
    """Refuse request bodies larger than NUVO_MAX_REQUEST_BYTES before anything reads them.

    Django caps form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but not uploaded files, and the public
    application form takes several certificate PDFs without a login; views marked with
    `nuvo.abuse.request_size_limit` get a lower cap, checked before the CSRF check reads the body.
    A body without Content-Length is never read (WSGI), so the header is what to check.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _content_length(request) > settings.NUVO_MAX_REQUEST_BYTES:
            return _too_large(request, settings.NUVO_MAX_REQUEST_BYTES)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        setting = getattr(view_func, "max_request_bytes_setting", None)
        if setting and _content_length(request) > getattr(settings, setting):
            return _too_large(request, getattr(settings, setting))
        return None


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _too_large(request, limit: int) -> HttpResponse:
    return render(request, "413.html", {"limit_mb": limit // (1024 * 1024)}, status=413)


class OrganizationMiddleware:
    """Attach `request.member` (organization and roles, or None) for views and templates."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.member = SimpleLazyObject(lambda: member_for(request.user))
        return self.get_response(request)
