"""Who the signed-in user is in their organization, and the role checks every entry point uses."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied

from nuvo.models import Membership, Organization

Role = Membership.Role
RECORD_EDITORS = (Role.CREDIT_ANALYST, Role.ADMIN)


@dataclass(frozen=True)
class Member:
    user: AbstractBaseUser
    organization: Organization
    roles: frozenset[str]

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    @property
    def is_credit_analyst(self) -> bool:
        return Role.CREDIT_ANALYST in self.roles

    @property
    def is_approver(self) -> bool:
        return Role.APPROVER in self.roles

    @property
    def can_edit_records(self) -> bool:
        """Customers' and certificates' details: what a failed check's "Fix it" opens."""
        return self.has_any(*RECORD_EDITORS)

    @property
    def role_labels(self) -> list[str]:
        labels = dict(Role.choices)
        return [labels[role] for role in Role.values if role in self.roles]

    def require(self, role: str) -> None:
        if role not in self.roles:
            raise PermissionDenied(f"This action needs the {Role(role).label.lower()} role.")

    def has_any(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    def require_any(self, *roles: str) -> None:
        if not self.has_any(*roles):
            labels = " or ".join(Role(role).label.lower() for role in roles)
            raise PermissionDenied(f"This action needs the {labels} role.")


def member_for(user: AbstractBaseUser) -> Member | None:
    """The user's organization and roles; a user belongs to one organization."""
    if not user.is_authenticated:
        return None
    memberships = list(
        Membership.objects.filter(user=user).select_related("organization").order_by("id")
    )
    if not memberships:
        return None
    organization = memberships[0].organization
    roles = frozenset(m.role for m in memberships if m.organization_id == organization.pk)
    return Member(user=user, organization=organization, roles=roles)


def user_display_name(user: AbstractBaseUser | None) -> str:
    if user is None:
        return "Nuvo"
    return user.get_full_name() or user.get_username()
