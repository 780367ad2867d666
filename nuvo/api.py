"""Who the API caller is: the same organization scoping and roles as the HTML views."""

from rest_framework import permissions

from creditapps.roles import Member, member_for


def api_member(request) -> Member | None:
    """The caller's organization and roles (token or session auth happens inside DRF)."""
    if not hasattr(request, "_api_member"):
        request._api_member = member_for(request.user)
    return request._api_member


class IsOrganizationMember(permissions.BasePermission):
    message = "Your account is not a member of any organization."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and api_member(request))
