"""API plumbing shared by every app: who the caller is, a JSON parser that refuses abuse."""

from rest_framework import permissions
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from nuvo.roles import Member, member_for


def api_member(request) -> Member | None:
    """The caller's organization and roles (token or session auth happens inside DRF)."""
    if not hasattr(request, "_api_member"):
        request._api_member = member_for(request.user)
    return request._api_member


class IsOrganizationMember(permissions.BasePermission):
    message = "Your account is not a member of any organization."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and api_member(request))


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, but a body nested too deep for Python's parser is a 400, not a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError("JSON parse error - the body is nested too deeply.") from exc
