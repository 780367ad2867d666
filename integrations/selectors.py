from django.db.models import QuerySet

from creditapps.models import Membership, Organization
from integrations.models import AvalaraConnection, IntegrationEvent


def avalara_connection_for_display(*, organization: Organization) -> AvalaraConnection | None:
    """The connection without its secret, with who connected and disconnected."""
    return (
        AvalaraConnection.objects.filter(organization=organization)
        .select_related("connected_by", "disconnected_by")
        .defer("secret")
        .first()
    )


def integration_events(*, organization: Organization, limit: int = 20) -> list[IntegrationEvent]:
    return list(IntegrationEvent.objects.filter(organization=organization)[:limit])


def team_members(*, organization: Organization) -> list[dict]:
    """Each person in the organization once, with their role labels."""
    memberships: QuerySet[Membership] = (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("user__first_name", "user__username", "role")
    )
    people: dict[int, dict] = {}
    for membership in memberships:
        person = people.setdefault(membership.user_id, {"user": membership.user, "roles": []})
        person["roles"].append(membership.get_role_display())
    return list(people.values())
