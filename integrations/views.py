from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST

from integrations import selectors, services
from integrations.avalara import AvalaraError
from integrations.forms import AvalaraCredentialsForm
from nuvo.roles import Role
from nuvo.web import member_required, redirect_after_action, render_page


def _avalara_context(request, **extra) -> dict:
    connection = selectors.avalara_connection_get(organization=request.member.organization)
    return {
        "connection": connection,
        "last_sync": selectors.last_sync_run(connection=connection),
        "base_url_override": settings.AVALARA_BASE_URL,
        **extra,
    }


@member_required(Role.ADMIN)
def integrations(request):
    events = selectors.integration_events(organization=request.member.organization)
    return render(
        request, "integrations/integrations.html", _avalara_context(request, events=events)
    )


@sensitive_variables()
@sensitive_post_parameters("password")
@member_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def avalara_connect(request):
    connection = selectors.avalara_connection_get(organization=request.member.organization)
    reconnecting = connection is not None and connection.is_connected
    initial = (
        {"username": connection.username, "environment": connection.environment}
        if connection
        else {}
    )
    form = AvalaraCredentialsForm(request.POST or None, initial=initial)
    error = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            connection = services.avalara_connect(
                member=request.member,
                environment=data["environment"],
                username=data["username"],
                password=data["password"],
            )
        except AvalaraError as exc:
            error = exc
        else:
            messages.success(
                request,
                f"Avalara connected as {connection.username}. "
                f"Company: {connection.company_name} (ID {connection.company_id}).",
            )
            return redirect_after_action(request, reverse("integrations:integrations"))
    return render_page(
        request,
        "integrations/avalara_connect.html",
        "dialog",
        {
            "form": form,
            "error": error,
            "resolution": error and services.connect_resolution(error, reconnecting=reconnecting),
            "reconnecting": reconnecting,
            "base_url_override": settings.AVALARA_BASE_URL,
        },
    )


@member_required(Role.ADMIN)
@require_POST
def avalara_test(request):
    result = services.avalara_test_connection(
        organization=request.member.organization, actor=request.user
    )
    if request.htmx:
        # The row, and the result for the page's live region (announced once, out of band).
        context = _avalara_context(request, test_result=result)
        row, announcement = (
            render_to_string(f"integrations/integrations.html#{partial}", context, request)
            for partial in ("avalara-row", "avalara-announcement")
        )
        return HttpResponse(row + announcement)
    (messages.success if result.ok else messages.error)(request, result.message)
    return redirect("integrations:integrations")


@member_required(Role.ADMIN)
@require_POST
def avalara_request_setup(request):
    try:
        services.avalara_request_setup(member=request.member)
    except AvalaraError as error:
        messages.error(request, f"{error.code}: {error.summary} {error.resolution}")
    else:
        messages.success(
            request,
            "Exemption Certificate Management setup requested. "
            "Use Test Connection to check its progress.",
        )
    return redirect_after_action(request, reverse("integrations:integrations"))


@member_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def avalara_disconnect(request):
    if request.method == "POST":
        services.avalara_disconnect(member=request.member)
        messages.success(request, "Avalara disconnected. The saved credentials were removed.")
        return redirect_after_action(request, reverse("integrations:integrations"))
    return render_page(
        request,
        "integrations/avalara_disconnect.html",
        "dialog",
        _avalara_context(request),
    )


@member_required(Role.ADMIN)
@require_POST
def avalara_sync_now(request):
    """Read certificate status from Avalara now (in the background when a worker runs)."""
    from integrations.tasks import sync_certificate_status_for

    connection = selectors.avalara_connection_get(organization=request.member.organization)
    if connection is None or not connection.is_connected:
        messages.error(request, "Connect Avalara in Settings > Integrations first.")
    else:
        sync_certificate_status_for.delay(connection.pk)
        messages.success(request, "Certificate status sync started.")
    return redirect_after_action(request, reverse("integrations:integrations"))
