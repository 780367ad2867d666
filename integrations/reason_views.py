"""Settings > Integrations > Exemption reasons: Nuvo's reasons in the account's own names."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from certificates.reasons import ExemptionReason
from integrations import selectors
from integrations.avalara import AvalaraError
from integrations.models import AvalaraDefinitions
from integrations.services.connection import avalara_client_get
from integrations.services.definitions import (
    account_reason_for,
    definitions_refresh,
    reason_mappings,
    reason_mappings_save,
)
from nuvo.roles import Role
from nuvo.web import member_required


class ReasonMappingForm(forms.Form):
    def __init__(self, *args, account_reasons: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        for reason in ExemptionReason:
            same = reason.value in {name.upper() for name in account_reasons}
            self.fields[reason.value] = forms.ChoiceField(
                label=reason.label,
                required=False,
                choices=[
                    ("", f"Same name ({reason.value})" if same else "Not in this account"),
                    *[(name, name) for name in account_reasons],
                ],
            )


def _definitions(request) -> AvalaraDefinitions | None:
    connection = selectors.avalara_connection_get(organization=request.member.organization)
    if connection is None or not connection.is_connected:
        return None
    return AvalaraDefinitions.objects.filter(connection=connection).first()


@member_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def exemption_reasons(request):
    definitions = _definitions(request)
    mappings = reason_mappings(organization=request.member.organization)
    form = None
    if definitions is not None:
        form = ReasonMappingForm(
            request.POST or None,
            initial=mappings,
            account_reasons=definitions.exemption_reasons,
        )
        if request.method == "POST" and form.is_valid():
            reason_mappings_save(member=request.member, choices=form.cleaned_data)
            messages.success(request, "Exemption reasons saved.")
            return redirect("integrations:avalara-reasons")
    rows = []
    if form is not None:
        for reason in ExemptionReason:
            rows.append(
                {
                    "field": form[reason.value],
                    "sent_as": account_reason_for(definitions, reason.value, mappings),
                }
            )
    return render(
        request,
        "integrations/exemption_reasons.html",
        {"definitions": definitions, "form": form, "rows": rows},
    )


@member_required(Role.ADMIN)
@require_POST
def exemption_reasons_refresh(request):
    try:
        client, connection = avalara_client_get(organization=request.member.organization)
        with client:
            definitions_refresh(connection=connection, client=client)
    except AvalaraError as error:
        messages.error(request, f"{error.code}: {error.summary} {error.resolution}")
    else:
        messages.success(request, "Exposure zones and exemption reasons read from Avalara.")
    return redirect("integrations:avalara-reasons")
