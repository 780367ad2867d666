from django.db.models import QuerySet

from nuvo.models import Membership, Organization


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
