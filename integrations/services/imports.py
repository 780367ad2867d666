"""Existing customers' Avalara IDs: match a file's rows to Nuvo customers, then keep their codes.

Rows carry `customer_code` and at least one of `tax_id`, `email`, `name`; a row matches a Nuvo
customer of the organization by tax ID, else email, else exact legal name. A code is never
overwritten silently: a customer that already has a different code is a conflict, unless that
code is one Nuvo generated and never used (nothing reached Avalara under it). Imported codes are
kept as they are (not `NUVO_`); verified ones count as in Avalara, the others are looked up
before the first send creates anything.
"""

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from creditapps.models import Customer
from integrations.avalara import AvalaraError
from integrations.models import AvalaraCustomer

MAX_CODE_LENGTH = 50  # CertCapture's customer code limit (REFERENCE.md §4)
COLUMNS = ("customer_code", "tax_id", "email", "name")


class Outcome:
    MATCHED = "matched"
    ALREADY = "already imported"
    UNMATCHED = "unmatched"
    AMBIGUOUS = "ambiguous"
    INVALID = "invalid"
    CONFLICT = "conflict"
    NOT_IN_AVALARA = "not in Avalara"


@dataclass(frozen=True)
class RowResult:
    line: int
    customer_code: str
    outcome: str
    detail: str = ""
    customer: Customer | None = None


@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)
    dry_run: bool = True

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def counts(self) -> dict[str, int]:
        outcomes = [value for name, value in vars(Outcome).items() if name.isupper()]
        return {outcome: self.count(outcome) for outcome in outcomes}


def read_rows(text: str) -> list[dict[str, str]]:
    """CSV with a header row; column names are matched case-insensitively."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    return [
        {(key or "").strip().lower(): (value or "").strip() for key, value in row.items()}
        for row in reader
    ]


MATCH_ORDER = (
    ("tax_id", "tax ID", "tax_id__iexact"),
    ("email", "email", "email__iexact"),
    ("name", "name", "legal_name"),
)


def _match(organization, row: Mapping[str, str]) -> tuple[str, str, Customer | None]:
    customers = Customer.objects.filter(organization=organization)
    for column, label, lookup in MATCH_ORDER:
        value = row.get(column, "")
        if not value:
            continue
        found = list(customers.filter(Q(**{lookup: value}))[:2])
        if len(found) == 1:
            return Outcome.MATCHED, f"by {label}", found[0]
        if len(found) > 1:
            return Outcome.AMBIGUOUS, f"several customers have this {label}", None
    return Outcome.UNMATCHED, "no customer with this tax ID, email or name", None


def check_row(organization, line: int, row: Mapping[str, str], *, company_id: int) -> RowResult:
    code = row.get("customer_code", "")
    if not code:
        return RowResult(line, code, Outcome.INVALID, "customer_code is empty")
    if len(code) > MAX_CODE_LENGTH:
        return RowResult(line, code, Outcome.INVALID, "customer_code is longer than 50 characters")
    if not any(row.get(column) for column in ("tax_id", "email", "name")):
        return RowResult(line, code, Outcome.INVALID, "give a tax_id, email or name to match on")
    outcome, detail, customer = _match(organization, row)
    if customer is None:
        return RowResult(line, code, outcome, detail)
    existing = AvalaraCustomer.objects.filter(customer=customer).first()
    if existing is not None:
        if existing.customer_code == code:
            return RowResult(line, code, Outcome.ALREADY, "", customer)
        if not _replaceable(existing):
            return RowResult(
                line,
                code,
                Outcome.CONFLICT,
                f"{customer.legal_name} already has Avalara ID {existing.customer_code}",
                customer,
            )
        detail = f"{detail}; replaces {existing.customer_code}, which was never used"
    taken = AvalaraCustomer.objects.filter(company_id=company_id, customer_code=code).first()
    if taken is not None and taken.customer_id != customer.pk:
        return RowResult(line, code, Outcome.CONFLICT, "another customer has this Avalara ID")
    return RowResult(line, code, outcome, detail, customer)


def _replaceable(record: AvalaraCustomer) -> bool:
    return record.source == AvalaraCustomer.Source.GENERATED and record.is_unused()


def replace_unused_code(customer, *, company_id: int) -> None:
    """Before an imported code takes the place of the customer's generated one: check again,
    under a lock (a send may have used it since the file was checked), and move its unsent
    certificates to the import's company."""
    from integrations.services.sending import move_unused_customer

    existing = AvalaraCustomer.objects.select_for_update().filter(customer=customer).first()
    if existing is None:
        return
    if not _replaceable(existing):
        raise IntegrityError(f"{customer.legal_name}'s Avalara ID was used meanwhile")
    if existing.company_id != company_id:
        move_unused_customer(existing, company_id)


def import_avalara_customers(
    *,
    organization,
    company_id: int,
    rows: Iterable[Mapping[str, str]],
    dry_run: bool = True,
    verify_client=None,
    actor=None,
) -> ImportReport:
    """Check every row, and unless `dry_run` keep the matched codes (all or nothing).

    With `verify_client`, each matched code is looked up in Avalara (GetCustomer) first.
    """
    report = ImportReport(dry_run=dry_run)
    seen_codes: dict[str, int] = {}
    seen_customers: dict[int, int] = {}
    for line, row in enumerate(rows, start=2):
        result = check_row(organization, line, row, company_id=company_id)
        if result.outcome == Outcome.MATCHED:
            if result.customer_code in seen_codes or result.customer.pk in seen_customers:
                result = RowResult(
                    line, result.customer_code, Outcome.CONFLICT, "repeated in this file"
                )
            else:
                seen_codes[result.customer_code] = line
                seen_customers[result.customer.pk] = line
        if result.outcome == Outcome.MATCHED and verify_client is not None:
            result = _verify(verify_client, company_id, result)
        report.rows.append(result)
    if not dry_run:
        _save(organization, company_id, report, verified=verify_client is not None)
    return report


def _verify(client, company_id: int, result: RowResult) -> RowResult:
    try:
        found = client.find_customer(company_id, result.customer_code)
    except AvalaraError as error:
        return RowResult(
            result.line,
            result.customer_code,
            Outcome.INVALID,
            f"{error.code}: {error.summary}",
            result.customer,
        )
    if found is None:
        return RowResult(
            result.line,
            result.customer_code,
            Outcome.NOT_IN_AVALARA,
            f"Avalara has no customer {result.customer_code} in company {company_id}",
            result.customer,
        )
    return result


def _save(organization, company_id: int, report: ImportReport, *, verified: bool) -> None:
    now = timezone.now()
    try:
        with transaction.atomic():
            for row in report.rows:
                if row.outcome != Outcome.MATCHED:
                    continue
                replace_unused_code(row.customer, company_id=company_id)
                AvalaraCustomer.objects.update_or_create(
                    customer=row.customer,
                    defaults={
                        "organization": organization,
                        "customer_code": row.customer_code,
                        "company_id": company_id,
                        "source": AvalaraCustomer.Source.IMPORTED,
                        "confirmed_at": now if verified else None,
                        "last_error_code": "",
                        "last_error_message": "",
                        "failed_at": None,
                    },
                )
    except IntegrityError as exc:
        raise ValueError(
            "Another import or send gave one of these customers an Avalara ID meanwhile; "
            "nothing was imported. Run the import again to see the conflict."
        ) from exc
