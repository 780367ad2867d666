from django.conf import settings
from django.http import HttpResponse
from django.utils.functional import SimpleLazyObject

from nuvo.roles import member_for


class RequestSizeLimitMiddleware:
    """Refuse request bodies larger than NUVO_MAX_REQUEST_BYTES before anything reads them.

    Django caps form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but not uploaded files, and the public
    application form takes several certificate PDFs without a login.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.NUVO_MAX_REQUEST_BYTES:
            limit_mb = settings.NUVO_MAX_REQUEST_BYTES // (1024 * 1024)
            return HttpResponse(
                f"The upload is too large (more than {limit_mb} MB in one request).",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class OrganizationMiddleware:
    """Attach `request.member` (organization and roles, or None) for views and templates."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.member = SimpleLazyObject(lambda: member_for(request.user))
        return self.get_response(request)
