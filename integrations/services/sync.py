"""Certificate status from Avalara: page through the company's certificates, write in bulk.

Efficient and exact (REFERENCE.md §5): `$top` at Avalara's maximum, equal `$skip` steps, one
`$orderBy`, `$include=customers`; never one request per certificate. Incremental runs read what
changed since the day before the last successful run began (`modifiedDate` is a date, so a
day's overlap, and the writes are idempotent). Each page is saved before the next is read: a run
that fails keeps what it saved and the next run resumes at its page. Only one page is held in
memory at a time.
"""

import logging
from collections import defaultdict
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from integrations.avalara import AvalaraError, AvaTaxClient
from integrations.models import (
    AvalaraCertificate,
    AvalaraConnection,
    AvalaraCustomer,
    AvalaraOnlyCertificate,
    AvalaraSyncRun,
    Badge,
    CertificateEvent,
)
from integrations.services.status import missing_fields, status_fields

logger = logging.getLogger(__name__)

PAGE_SIZE = 1000  # the largest $top Avalara's lists take (REFERENCE.md §3)
ORDER = "id ASC"
STALE = timedelta(minutes=10)
Kind = AvalaraSyncRun.Kind
Status = AvalaraSyncRun.Status


class SyncBusy(Exception):
    """Another sync of this connection is running."""


def _last_success(connection: AvalaraConnection) -> AvalaraSyncRun | None:
    return (
        AvalaraSyncRun.objects.filter(connection=connection, status=Status.DONE)
        .order_by("-started_at")
        .first()
    )


def _begin(connection: AvalaraConnection, *, full: bool) -> AvalaraSyncRun:
    """Resume the last failed run of this kind, or start one; one run at a time."""
    kind = Kind.FULL if full else Kind.INCREMENTAL
    # A run that stopped saving pages a while ago lost its worker: it is resumed, not waited on.
    AvalaraSyncRun.objects.filter(
        connection=connection, status=Status.RUNNING, heartbeat_at__lt=timezone.now() - STALE
    ).update(status=Status.FAILED, error_message="The sync stopped before it finished.")
    resumable = (
        AvalaraSyncRun.objects.filter(
            connection=connection, kind=kind, company_id=connection.company_id
        )
        .order_by("-started_at")
        .first()
    )
    try:
        with transaction.atomic():
            if (
                resumable is not None
                and resumable.status == Status.FAILED
                and AvalaraSyncRun.objects.filter(pk=resumable.pk, status=Status.FAILED).update(
                    status=Status.RUNNING, error_code="", error_message=""
                )
            ):
                resumable.refresh_from_db()
                return resumable
            since = None
            last = _last_success(connection)
            if not full and last is not None:
                since = timezone.localdate(last.started_at) - timedelta(days=1)
            return AvalaraSyncRun.objects.create(
                connection=connection,
                company_id=connection.company_id,
                kind=Kind.FULL if since is None else Kind.INCREMENTAL,
                modified_since=since,
            )
    except IntegrityError as exc:
        raise SyncBusy(f"A sync of connection {connection.pk} is running.") from exc


def certificate_status_sync(
    *, connection: AvalaraConnection, client: AvaTaxClient, full: bool = False
) -> AvalaraSyncRun:
    """Read certificate status for the whole company (incremental unless `full`)."""
    run = _begin(connection, full=full)
    try:
        skip = run.next_skip
        while skip is not None:
            page = client.query_certificates_page(
                run.company_id,
                skip=skip,
                top=PAGE_SIZE,
                order_by=ORDER,
                include="customers",
                filter=(
                    f"modifiedDate ge '{run.modified_since.isoformat()}'"
                    if run.modified_since
                    else None
                ),
            )
            updated, added = apply_page(run, page.certificates)
            skip = page.next_skip
            AvalaraSyncRun.objects.filter(pk=run.pk).update(
                next_skip=skip or 0,
                pages=run.pages + 1,
                certificates_read=run.certificates_read + len(page.certificates),
                rows_updated=run.rows_updated + updated,
                rows_added=run.rows_added + added,
                heartbeat_at=timezone.now(),
            )
            run.refresh_from_db()
    except AvalaraError as error:
        AvalaraSyncRun.objects.filter(pk=run.pk).update(
            status=Status.FAILED,
            error_code=str(error.code),
            error_message=(error.avalara_message or error.reason or error.summary)[:2000],
            finished_at=timezone.now(),
        )
        logger.warning("certificate sync %s stopped at skip=%s: %s", run.pk, run.next_skip, error)
        raise
    missing = _mark_unseen_missing(run) if run.kind == Kind.FULL else 0
    AvalaraSyncRun.objects.filter(pk=run.pk).update(
        status=Status.DONE, finished_at=timezone.now(), marked_missing=missing
    )
    run.refresh_from_db()
    return run


def apply_page(run: AvalaraSyncRun, certificates) -> tuple[int, int]:
    """Write one page: Nuvo's rows by Avalara id, and certificates only Avalara has for Nuvo's
    customers. Returns (rows updated, rows added); a constant number of queries per page."""
    if not certificates:
        return 0, 0
    now, today = timezone.now(), timezone.localdate()
    by_id = {certificate.id: certificate for certificate in certificates}
    ours = list(
        AvalaraCertificate.objects.filter(
            organization_id=run.connection.organization_id,
            company_id=run.company_id,
            avalara_id__in=by_id,
        )
        .select_related("certificate__customer__avalara")
        .only(
            "pk",
            "avalara_id",
            "region",
            "badge",
            "organization_id",
            "certificate_id",
            "certificate__customer__avalara__customer_code",
        )
    )
    statuses = [
        (
            row,
            status_fields(
                by_id.pop(row.avalara_id),
                customer_code=row.certificate.customer.avalara.customer_code,
                today=today,
                now=now,
            ),
        )
        for row in ours
    ]
    write_statuses(
        AvalaraCertificate, [(row.pk, fields) for row, fields in statuses], seen_in_sync=_seen(run)
    )
    _note_changes(statuses)
    updated, added = len(ours), 0
    if by_id:
        more_updated, added = _apply_avalara_only(run, list(by_id.values()), now=now, today=today)
        updated += more_updated
    return updated, added


def _seen(run: AvalaraSyncRun) -> int | None:
    """Only a full pass stamps what it saw: an incremental run in between must not overwrite
    the stamps of a full pass that stopped and will resume."""
    return run.pk if run.pk and run.kind == Kind.FULL else None


def _note_changes(statuses) -> None:
    """A badge that moved is a History entry (one insert for the page)."""
    CertificateEvent.objects.bulk_create(
        [
            CertificateEvent(
                organization_id=row.organization_id,
                certificate_id=row.certificate_id,
                region=row.region,
                kind=CertificateEvent.Kind.STATUS_CHANGED,
                message=f"{Badge(row.badge).label} → {Badge(fields['badge']).label}: "
                f"{fields['badge_reason']}.",
                actor_name="Nuvo (sync)",
            )
            for row, fields in statuses
            if row.badge != fields["badge"]
        ]
    )


def write_statuses(model, rows: list[tuple[int, dict]], *, seen_in_sync: int | None) -> None:
    """One UPDATE per distinct status rather than one per row (or Django's bulk_update CASE
    per row and field, which costs seconds a page): a page holds a handful of statuses."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    for pk, fields in rows:
        groups[tuple(sorted((name, _hashable(value)) for name, value in fields.items()))].append(pk)
    extra = {"seen_in_sync": seen_in_sync} if seen_in_sync else {}
    for key, pks in groups.items():
        fields = {name: list(value) if isinstance(value, tuple) else value for name, value in key}
        model.objects.filter(pk__in=pks).update(**fields, **extra)


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


def _apply_avalara_only(run: AvalaraSyncRun, certificates, *, now, today) -> tuple[int, int]:
    organization_id = run.connection.organization_id
    codes = {code for certificate in certificates for code in certificate.customer_codes}
    customers = dict(
        AvalaraCustomer.objects.filter(
            organization_id=organization_id, company_id=run.company_id, customer_code__in=codes
        ).values_list("customer_code", "customer_id")
    )
    existing = {
        row.avalara_id: row
        for row in AvalaraOnlyCertificate.objects.filter(
            organization_id=organization_id,
            company_id=run.company_id,
            avalara_id__in=[c.id for c in certificates],
        ).only("pk", "avalara_id")
    }
    changed: list[tuple[int, dict]] = []
    new = []
    for certificate in certificates:
        code = next((code for code in certificate.customer_codes if code in customers), None)
        row = existing.get(certificate.id)
        if code is None and row is None:
            continue  # a certificate of someone Nuvo does not know
        fields = {
            **status_fields(certificate, customer_code=code or "", today=today, now=now),
            "region": certificate.exposure_zone_region[:3],
            "signed_date": certificate.signed_date,
            "filename": certificate.filename[:255],
            "page_count": certificate.page_count,
        }
        if row is None:
            new.append(
                AvalaraOnlyCertificate(
                    organization_id=organization_id,
                    customer_id=customers[code],
                    company_id=run.company_id,
                    avalara_id=certificate.id,
                    seen_in_sync=_seen(run),
                    **fields,
                )
            )
        else:
            changed.append((row.pk, fields))
    write_statuses(AvalaraOnlyCertificate, changed, seen_in_sync=_seen(run))
    AvalaraOnlyCertificate.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    return len(changed), len(new)


def _mark_unseen_missing(run: AvalaraSyncRun) -> int:
    """After a whole full pass: what Nuvo sent and Avalara no longer lists is Missing."""
    now = timezone.now()
    scope = {"organization_id": run.connection.organization_id, "company_id": run.company_id}
    gone = AvalaraCertificate.objects.filter(**scope, avalara_id__isnull=False).exclude(
        seen_in_sync=run.pk
    )
    count = gone.update(**missing_fields(now=now))
    AvalaraOnlyCertificate.objects.filter(**scope).exclude(seen_in_sync=run.pk).update(
        **missing_fields(now=now)
    )
    return count


def customer_status_refresh(*, customer, client: AvaTaxClient) -> int:
    """Refresh Status for one customer: its certificates in Avalara (ListCertificatesForCustomer),
    pages of them rather than one call per certificate. Returns the rows refreshed."""
    record = AvalaraCustomer.objects.filter(customer=customer).first()
    if record is None:
        return 0
    try:
        certificates = client.list_certificates_for_customer(
            record.company_id, record.customer_code
        )
    except AvalaraError as error:
        if not error.is_missing_customer:
            raise
        certificates = []
    run = AvalaraSyncRun(connection_id=None, company_id=record.company_id)
    run.connection = AvalaraConnection.objects.get(organization_id=customer.organization_id)
    updated, added = apply_page(run, certificates)
    listed = {certificate.id for certificate in certificates}
    now = timezone.now()
    gone = AvalaraCertificate.objects.filter(
        certificate__customer=customer, company_id=record.company_id, avalara_id__isnull=False
    ).exclude(avalara_id__in=listed)
    gone.update(**missing_fields(now=now, reason="Not in Avalara for this customer's Avalara ID"))
    return updated + added


def run_certificate_sync(*, connection: AvalaraConnection, full: bool = False) -> AvalaraSyncRun:
    """A sync with the connection's own client (background: idempotent reads are retried)."""
    from integrations.services.connection import avalara_client_get

    client, connection = avalara_client_get(organization=connection.organization, interactive=False)
    with client:
        return certificate_status_sync(connection=connection, client=client, full=full)
