from django.contrib import messages
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from nuvo.forms import ApprovalSettingsForm
from nuvo.roles import Role
from nuvo.selectors import team_members
from nuvo.services import organization_approval_settings_update
from nuvo.settings_pages import settings_pages_for
from nuvo.web import member_required


@never_cache
def healthz(request):
    """Liveness and database reachability, for load balancers and docker-compose."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def home(request):
    if request.user.is_authenticated:
        return redirect("creditapps:application-list")
    return redirect("login")


@member_required()
def settings_index(request):
    """The first Settings page the member may see (Integrations for admins, else Team)."""
    return redirect(settings_pages_for(request.member)[0].url)


@member_required()
def team(request):
    people = team_members(organization=request.member.organization)
    form = ApprovalSettingsForm(instance=request.member.organization)
    return render(request, "nuvo/team.html", {"people": people, "approval_form": form})


@member_required(Role.ADMIN)
@require_http_methods(["POST"])
def team_approval_settings(request):
    """Settings > Team, Approvals: separation of duties between sending and approving."""
    form = ApprovalSettingsForm(request.POST, instance=request.member.organization)
    if form.is_valid():
        organization_approval_settings_update(member=request.member, **form.cleaned_data)
        messages.success(request, "Approval settings saved.")
    return redirect("team")
