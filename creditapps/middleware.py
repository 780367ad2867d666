from django.utils.functional import SimpleLazyObject

from creditapps.roles import member_for


class OrganizationMiddleware:
    """Attach `request.member` (organization and roles, or None) for views and templates."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.member = SimpleLazyObject(lambda: member_for(request.user))
        return self.get_response(request)
