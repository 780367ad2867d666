from django.shortcuts import redirect, render

from creditapps.models import Membership
from creditapps.roles import Role
from nuvo.web import member_required


@member_required()
def settings_index(request):
    if request.member.is_admin:
        return redirect("integrations:integrations")
    return redirect("integrations:team")


@member_required()
def team(request):
    memberships = (
        Membership.objects.filter(organization=request.member.organization)
        .select_related("user")
        .order_by("user__first_name", "user__username", "role")
    )
    people: dict[int, dict] = {}
    for membership in memberships:
        person = people.setdefault(membership.user_id, {"user": membership.user, "roles": []})
        person["roles"].append(membership.get_role_display())
    return render(request, "integrations/team.html", {"people": people.values()})


@member_required(Role.ADMIN)
def integrations(request):
    return render(request, "integrations/integrations.html", {})
