"""The Failed API Calls report: what Avalara refused (or Nuvo held back) and is not resolved yet.

A certificate leaves the report when a later attempt sends it; a customer when it is created. An
admin may dismiss a row with a reason, which its History keeps.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from integrations.avalara import ErrorCode
from integrations.checks.problems import fix_url_for
from integrations.checks.rules import RULES_BY_CODE
from integrations.models import AvalaraCertificate, AvalaraCustomer, CertificateEvent
from integrations.services import history
from nuvo.errors import NuvoError
from nuvo.roles import Member, Role

State = AvalaraCertificate.State
OPEN_STATES = (State.FAILED, State.BLOCKED)


@dataclass(frozen=True)
class ReportFilters:
    error_code: str = ""
    since: date | None = None
    until: date | None = None
    customer: str = ""


@dataclass(frozen=True)
class FailedRow:
    kind: str  # "certificate" or "customer"
    pk: int
    customer_id: int
    customer_name: str
    what: str
    error_code: str
    message: str
    when: datetime
    certificate_id: int | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.pk}"

    @property
    def fix_url(self) -> str:
        return fix_url_for(
            self.error_code, customer_id=self.customer_id, certificate_id=self.certificate_id
        )

    @property
    def fix(self) -> str:
        rule = RULES_BY_CODE.get(self.error_code)
        if rule is not None:
            return rule.fix
        try:
            return ErrorCode(self.error_code).resolution
        except ValueError:
            return "Retry the operation. Contact support if the issue continues."


def _open_rows(*, member: Member, filters: ReportFilters):
    """The report's certificate rows and customer records, filtered, as two querysets."""
    certificates = AvalaraCertificate.objects.filter(
        organization=member.organization, state__in=OPEN_STATES, dismissed_at__isnull=True
    )
    customers = AvalaraCustomer.objects.filter(
        organization=member.organization, failed_at__isnull=False, dismissed_at__isnull=True
    )
    if filters.error_code:
        certificates = certificates.filter(error_code=filters.error_code)
        customers = customers.filter(last_error_code=filters.error_code)
    if filters.since:
        certificates = certificates.filter(updated_at__date__gte=filters.since)
        customers = customers.filter(failed_at__date__gte=filters.since)
    if filters.until:
        certificates = certificates.filter(updated_at__date__lte=filters.until)
        customers = customers.filter(failed_at__date__lte=filters.until)
    if filters.customer:
        certificates = certificates.filter(
            Q(certificate__customer__legal_name__icontains=filters.customer)
        )
        customers = customers.filter(customer__legal_name__icontains=filters.customer)
    return certificates, customers


def _certificate_row(row: AvalaraCertificate) -> FailedRow:
    return FailedRow(
        kind="certificate",
        pk=row.pk,
        customer_id=row.certificate.customer_id,
        customer_name=row.certificate.customer.legal_name,
        what=f"{row.certificate.display_name} ({row.region})",
        error_code=row.error_code,
        message=row.error_message,
        when=row.updated_at,
        certificate_id=row.certificate_id,
    )


def _customer_row(record: AvalaraCustomer) -> FailedRow:
    return FailedRow(
        kind="customer",
        pk=record.pk,
        customer_id=record.customer_id,
        customer_name=record.customer.legal_name,
        what=f"Customer {record.customer_code}",
        error_code=record.last_error_code,
        message=record.last_error_message,
        when=record.failed_at,
    )


def failed_rows(*, member: Member, filters: ReportFilters = ReportFilters()) -> list[FailedRow]:
    """Every row of the report, newest first (the CSV export)."""
    certificates, customers = _open_rows(member=member, filters=filters)
    rows = [_certificate_row(row) for row in certificates.select_related("certificate__customer")]
    rows += [_customer_row(record) for record in customers.select_related("customer")]
    return sorted(rows, key=lambda row: row.when, reverse=True)


class FailedReport:
    """The report's rows, newest first, as a sequence a paginator reads one page at a time.

    Each kind's newest keys come from its index, in order; the merged page's rows are then
    loaded by primary key, so a page costs the same queries at any size of the report (one
    fewer when a page holds only one kind).
    """

    def __init__(self, certificates, customers) -> None:
        self._certificates = certificates
        self._customers = customers
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = self._certificates.count() + self._customers.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[FailedRow]:
        start, stop = index.start or 0, index.stop
        keys = sorted(
            [
                (when, 1, pk)
                for when, pk in self._certificates.order_by("-updated_at", "-pk").values_list(
                    "updated_at", "pk"
                )[:stop]
            ]
            + [
                (when, 0, pk)
                for when, pk in self._customers.order_by("-failed_at", "-pk").values_list(
                    "failed_at", "pk"
                )[:stop]
            ],
            reverse=True,
        )[start:stop]
        certificates = AvalaraCertificate.objects.select_related("certificate__customer").in_bulk(
            [pk for _when, kind, pk in keys if kind == 1]
        )
        customers = AvalaraCustomer.objects.select_related("customer").in_bulk(
            [pk for _when, kind, pk in keys if kind == 0]
        )
        return [
            _certificate_row(certificates[pk]) if kind == 1 else _customer_row(customers[pk])
            for _when, kind, pk in keys
        ]


def failed_report(*, member: Member, filters: ReportFilters = ReportFilters()) -> FailedReport:
    return FailedReport(*_open_rows(member=member, filters=filters))


def failed_count(*, organization) -> int:
    return (
        AvalaraCertificate.objects.filter(
            organization=organization, state__in=OPEN_STATES, dismissed_at__isnull=True
        ).count()
        + AvalaraCustomer.objects.filter(
            organization=organization, failed_at__isnull=False, dismissed_at__isnull=True
        ).count()
    )


class UnknownRow(NuvoError):
    code = "unknown_row"

    def __init__(self) -> None:
        super().__init__("That row is not in the report; it may have been sent or dismissed.")


def parse_row_key(key: str) -> tuple[str, int]:
    """A report row's form value, "certificate-12" or "customer-3"."""
    kind, _, pk = (key or "").partition("-")
    if kind not in ("certificate", "customer") or not pk.isdigit():
        raise UnknownRow
    return kind, int(pk)


def retry(*, member: Member, key: str) -> str:
    """Send one report row again; returns what was retried, for the message."""
    from integrations.services.resends import avalara_certificate_retry
    from integrations.services.sending import avalara_send_request

    kind, pk = parse_row_key(key)
    try:
        if kind == "certificate":
            row = AvalaraCertificate.objects.select_related("certificate__customer").get(
                organization=member.organization, pk=pk
            )
            avalara_certificate_retry(member=member, row=row)
            return row.certificate.display_name
        record = AvalaraCustomer.objects.select_related("customer").get(
            organization=member.organization, pk=pk
        )
    except ObjectDoesNotExist:
        raise UnknownRow from None
    avalara_send_request(
        member=member, customer=record.customer, trigger="retry", check_duplicates=False
    )
    return record.customer.legal_name


@transaction.atomic
def dismiss(*, member: Member, key: str, reason: str) -> str:
    """Take a row off the report, keeping why; returns what to tell the admin."""
    member.require(Role.ADMIN)
    kind, pk = parse_row_key(key)
    reason = reason.strip()
    if not reason:
        raise NuvoError("Say why the failure is dismissed.", code="reason_required")
    now = timezone.now()
    if kind == "customer":
        record = (
            AvalaraCustomer.objects.select_related("customer")
            .filter(
                organization=member.organization,
                pk=pk,
                failed_at__isnull=False,
                dismissed_at__isnull=True,
            )
            .first()
        )
        if record is None:
            raise UnknownRow
        AvalaraCustomer.objects.filter(pk=record.pk).update(
            dismissed_at=now, dismissed_by=member.user, dismiss_reason=reason[:500]
        )
        return (
            f"Dismissed {record.customer.legal_name}'s failure; it shows again if a later send "
            "fails."
        )
    row = (
        AvalaraCertificate.objects.select_related("certificate")
        .filter(
            organization=member.organization,
            pk=pk,
            state__in=OPEN_STATES,
            dismissed_at__isnull=True,
        )
        .first()
    )
    if row is None:
        raise UnknownRow
    AvalaraCertificate.objects.filter(pk=row.pk).update(
        dismissed_at=now, dismissed_by=member.user, dismiss_reason=reason[:500]
    )
    history.record(
        row.certificate,
        CertificateEvent.Kind.DISMISSED,
        f"Dismissed: {reason}",
        region=row.region,
        actor=member.user,
    )
    return f"Dismissed {row.certificate.display_name}; its History keeps why."


def csv_cell(value) -> str:
    """A value safe for a spreadsheet: text starting with = + - @ (or a tab/CR) is not run as
    a formula (OWASP "CSV injection")."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
