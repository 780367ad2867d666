"""Reports > Failed API Calls: filter, retry (one or a selection), dismiss, export as CSV."""

import csv

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from integrations.avalara import AvalaraError, ErrorCode
from integrations.services import failed_calls
from integrations.services.sending import SENDERS
from nuvo.errors import NuvoError
from nuvo.formatting import sentence
from nuvo.roles import Role
from nuvo.web import member_required, paginate


class FailedCallFilterForm(forms.Form):
    label_suffix = ""

    error_code = forms.ChoiceField(label="Error", required=False)
    since = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    customer = forms.CharField(label="Customer", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        from integrations.checks.rules import RULES

        self.fields["error_code"].choices = [
            ("", "Any error"),
            *[(code.value, code.value) for code in ErrorCode],
            *[(rule.code, rule.label) for rule in RULES],
        ]

    def filters(self) -> failed_calls.ReportFilters:
        if not self.is_valid():
            return failed_calls.ReportFilters()
        data = self.cleaned_data
        return failed_calls.ReportFilters(
            error_code=data["error_code"] or "",
            since=data["since"],
            until=data["until"],
            customer=data["customer"].strip(),
        )


@member_required(*SENDERS)
def failed_api_calls(request):
    form = FailedCallFilterForm(request.GET or None)
    if request.GET.get("format") == "csv":
        return _csv(failed_calls.failed_rows(member=request.member, filters=form.filters()))
    page = paginate(
        request, failed_calls.failed_report(member=request.member, filters=form.filters())
    )
    return render(
        request,
        "integrations/failed_api_calls.html",
        {"form": form, "page": page, "total": page.paginator.count, "query": request.GET.copy()},
    )


def _csv(rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="failed-api-calls.csv"'
    writer = csv.writer(response)
    writer.writerow(["When", "Customer", "What", "Error", "Message", "Fix"])
    for row in rows:
        writer.writerow(
            [
                failed_calls.csv_cell(value)
                for value in (
                    row.when.isoformat(),
                    row.customer_name,
                    row.what,
                    row.error_code,
                    row.message,
                    row.fix,
                )
            ]
        )
    return response


@member_required(*SENDERS)
@require_POST
def retry_failed(request):
    """Retry the chosen rows (or the one row's button)."""
    keys = request.POST.getlist("row")
    retried, refused = [], []
    for key in keys:
        try:
            retried.append(failed_calls.retry(member=request.member, key=key))
        except NuvoError as error:
            refused.append(error.message)
        except AvalaraError as error:
            refused.append(f"{error.code}: {error.summary} {error.resolution}")
    if retried:
        messages.success(request, f"Retried: {sentence(', '.join(retried))}")
    for reason in refused:
        messages.error(request, reason)
    if not keys:
        messages.error(request, "Choose at least one row to retry.")
    return redirect(reverse("avalara:failed-api-calls"))


@member_required(Role.ADMIN)
@require_POST
def dismiss_failed(request):
    try:
        done = failed_calls.dismiss(
            member=request.member,
            key=request.POST.get("row", ""),
            reason=request.POST.get("reason", ""),
        )
    except NuvoError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(reverse("avalara:failed-api-calls"))
