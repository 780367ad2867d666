"""Writes to the tenancy core: an organization's own settings."""

from nuvo.models import Organization
from nuvo.roles import Member, Role


def organization_approval_settings_update(
    *, member: Member, separate_approval_duties: bool
) -> Organization:
    member.require(Role.ADMIN)
    organization = member.organization
    organization.separate_approval_duties = separate_approval_duties
    organization.save(update_fields=["separate_approval_duties"])
    return organization
