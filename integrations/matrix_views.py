"""Settings > Integrations > Exemption matrix: which reasons are exempt where, as the
organization knows it (and as Avalara's refusals taught it)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from certificates.reasons import ExemptionReason
from integrations.models import ReasonRegionRule
from integrations.services.matrix import import_matrix, matrix_cell_delete, matrix_cell_save
from nuvo.regions import REGION_CHOICES
from nuvo.roles import Role
from nuvo.web import member_required, paginate


class MatrixCellForm(forms.Form):
    reason = forms.ChoiceField(label="Exemption reason", choices=ExemptionReason.choices)
    region = forms.ChoiceField(label="State / province", choices=REGION_CHOICES)
    exempt = forms.TypedChoiceField(
        label="In this region",
        choices=[("no", "Not exempt (Avalara refuses it)"), ("yes", "Exempt")],
        coerce=lambda value: value == "yes",
    )
    note = forms.CharField(label="Note", required=False, max_length=500)


class MatrixImportForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="Columns: reason, region, exempt, note.")


MAX_CSV_BYTES = 1024 * 1024


@member_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def exemption_matrix(request):
    cell_form = MatrixCellForm(request.POST if "reason" in request.POST else None)
    import_form = MatrixImportForm()
    report = None
    if request.method == "POST" and "reason" in request.POST and cell_form.is_valid():
        data = cell_form.cleaned_data
        matrix_cell_save(
            member=request.member,
            reason=data["reason"],
            region=data["region"],
            exempt=data["exempt"],
            note=data["note"],
        )
        messages.success(request, "Saved.")
        return redirect("integrations:avalara-matrix")
    if request.method == "POST" and "file" in request.FILES:
        import_form = MatrixImportForm(request.POST, request.FILES)
        if import_form.is_valid():
            upload = import_form.cleaned_data["file"]
            if upload.size > MAX_CSV_BYTES:
                import_form.add_error("file", "The file is larger than 1 MB.")
            else:
                try:
                    text = upload.read().decode("utf-8")
                except UnicodeDecodeError:
                    import_form.add_error("file", "Save the file as UTF-8 CSV and upload it again.")
                else:
                    report = _import(request, text, dry_run="import" not in request.POST)
                    if report["imported"]:
                        messages.success(request, f"Imported {report['changed']} cell(s).")
                        return redirect("integrations:avalara-matrix")
    cells = ReasonRegionRule.objects.filter(organization=request.member.organization)
    return render(
        request,
        "integrations/exemption_matrix.html",
        {
            "page": paginate(request, cells),
            "cell_form": cell_form,
            "import_form": import_form,
            "report": report,
        },
    )


def _import(request, text: str, *, dry_run: bool) -> dict:
    try:
        result = import_matrix(member=request.member, text=text, dry_run=dry_run)
    except (ValidationError, ValueError, KeyError) as exc:
        return {"fatal": str(exc), "imported": False}
    problems = [
        (
            row.number,
            "; ".join(f"{name}: {' '.join(errors)}" for name, errors in row.error_dict.items()),
        )
        for row in result.invalid_rows
    ] + [(None, str(error.error)) for error in result.base_errors]
    counts = result.totals
    changed = counts.get("new", 0) + counts.get("update", 0)
    return {
        "dry_run": dry_run,
        "problems": problems,
        "counts": counts,
        "changed": changed,
        "imported": not dry_run and not problems,
        "text_ok": not problems,
    }


@member_required(Role.ADMIN)
@require_POST
def exemption_matrix_delete(request, pk):
    if not matrix_cell_delete(member=request.member, pk=pk):
        raise Http404("That cell is not in your organization's exemption matrix.")
    messages.success(request, "Removed: that reason and region are unknown again.")
    return redirect("integrations:avalara-matrix")
