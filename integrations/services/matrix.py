"""The organization's exemption matrix: reason-by-region cells admins edit or import as CSV.

The CSV import goes through django-import-export (a dry run reports every row first); columns
`reason` (a reason name such as RESALE, or its letter A-R), `region` (e.g. TX) and `exempt`
(yes/no), and an optional `note`.
"""

import tablib
from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from certificates.reasons import ExemptionReason
from integrations.checks.rules import REASON_CODE_LETTERS
from integrations.models import ReasonRegionRule
from nuvo.regions import REGION_NAMES
from nuvo.roles import Member, Role

REASONS_BY_LETTER = {letter: name for name, letter in REASON_CODE_LETTERS.items()}
YES = {"yes", "y", "true", "t", "1", "exempt"}
NO = {"no", "n", "false", "f", "0", "not exempt"}


def reason_from(text: str) -> str:
    value = text.strip().upper()
    value = REASONS_BY_LETTER.get(value, value)
    if value not in ExemptionReason.values:
        raise ValidationError(
            f"Unknown exemption reason {text!r}: use a name such as RESALE or a letter A-R."
        )
    return value


def region_from(text: str) -> str:
    value = text.strip().upper()
    if value not in REGION_NAMES:
        raise ValidationError(f"Unknown region {text!r}: use a two-letter code such as TX or ON.")
    return value


def exempt_from(text: str) -> bool:
    value = str(text).strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValidationError(f"Exempt must be yes or no, not {text!r}.")


class _Checked(widgets.Widget):
    def __init__(self, parse):
        super().__init__()
        self.parse = parse

    def clean(self, value, row=None, **kwargs):
        return self.parse(str(value or ""))


class MatrixResource(resources.ModelResource):
    exemption_reason = fields.Field(
        attribute="exemption_reason", column_name="reason", widget=_Checked(reason_from)
    )
    region = fields.Field(attribute="region", column_name="region", widget=_Checked(region_from))
    exempt = fields.Field(attribute="exempt", column_name="exempt", widget=_Checked(exempt_from))
    note = fields.Field(attribute="note", column_name="note")

    class Meta:
        model = ReasonRegionRule
        fields = ("exemption_reason", "region", "exempt", "note")
        import_id_fields = ("exemption_reason", "region")
        use_transactions = True
        skip_unchanged = True
        report_skipped = True

    def __init__(self, *, member: Member):
        super().__init__()
        self.member = member

    def get_queryset(self):
        return ReasonRegionRule.objects.filter(organization=self.member.organization)

    def before_save_instance(self, instance, row, **kwargs):
        instance.organization = self.member.organization
        instance.source = ReasonRegionRule.Source.CSV
        instance.updated_by = self.member.user
        instance.note = (instance.note or "")[:500]


def import_matrix(*, member: Member, text: str, dry_run: bool):
    """Import the CSV (all or nothing); with `dry_run`, only report what would happen."""
    member.require(Role.ADMIN)
    dataset = tablib.Dataset().load(text.lstrip("\ufeff"), format="csv")
    dataset.headers = [(header or "").strip().lower() for header in dataset.headers or []]
    resource = MatrixResource(member=member)
    # import-export rolls back on errors but keeps the good rows beside invalid ones: check the
    # whole file first, and import only a file without a single bad row.
    checked = resource.import_data(dataset, dry_run=True, raise_errors=False)
    if dry_run or checked.has_errors() or checked.has_validation_errors():
        return checked
    return resource.import_data(dataset, dry_run=False, raise_errors=False)


def matrix_cell_save(*, member: Member, reason: str, region: str, exempt: bool, note: str = ""):
    member.require(Role.ADMIN)
    ReasonRegionRule.objects.update_or_create(
        organization=member.organization,
        exemption_reason=reason_from(reason),
        region=region_from(region),
        defaults={
            "exempt": exempt,
            "note": note[:500],
            "source": ReasonRegionRule.Source.MANUAL,
            "updated_by": member.user,
        },
    )


def matrix_cell_delete(*, member: Member, pk: int) -> bool:
    """Remove one cell of the organization's matrix; False when it has no such cell."""
    member.require(Role.ADMIN)
    deleted, _ = ReasonRegionRule.objects.filter(organization=member.organization, pk=pk).delete()
    return deleted > 0
