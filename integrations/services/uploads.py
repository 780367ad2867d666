"""Uploading a send's certificates: one CreateCertificates per certificate and region, on a
small thread pool, each answer written from the calling thread (delivery.py has the rules)."""

from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import timezone

from integrations.avalara import AvalaraError, CertificateInput
from integrations.models import AvalaraCertificate, CertificateEvent
from integrations.services import history
from integrations.services.calls import CallRecorder
from integrations.services.reconcile import adopt_existing
from integrations.services.rejections import (
    describe_refusal,
    learn_from,
    rejection_problems,
    rule_code_for,
)
from integrations.services.status import status_fields

State = AvalaraCertificate.State
# CertCapture's "Never" (REFERENCE.md §5, expirationDate).
NEVER_EXPIRES = date(9999, 12, 31)


@dataclass
class Outgoing:
    row: AvalaraCertificate
    reason: str


def certificate_input(item: Outgoing, customer_code: str) -> CertificateInput:
    certificate = item.row.certificate
    with certificate.file.open("rb") as handle:
        pdf = handle.read()
    return CertificateInput(
        signed_date=certificate.effective_date,
        expiration_date=certificate.expiration_date or NEVER_EXPIRES,
        exemption_reason=item.reason,
        exposure_zone_name=item.row.exposure_zone,
        pdf=pdf,
        customer_codes=[customer_code],
        exemption_number=certificate.tax_id,
        po_numbers=[certificate.po_number] if certificate.is_single_use else [],
        # "For a fully exempt certificate, this percentage should be 100"; left out, it is 0.
        exempt_percentage=100.0,
    )


def _create_one(client, record, item: Outgoing, recorder: CallRecorder):
    with recorder.about(item.row):
        try:
            created = client.create_certificates(
                record.company_id, [certificate_input(item, record.customer_code)]
            )
        except AvalaraError as error:
            return item, None, error
    return item, created[0] if created else None, None


def send_certificates(client, record, outgoing: list[Outgoing], recorder) -> AvalaraError | None:
    """Create what Avalara lacks; returns a passing error if some rows must wait for a retry."""
    unknown = [item for item in outgoing if item.row.outcome_unknown]
    if unknown:
        adopted = adopt_existing(client, record, unknown, recorder)
        outgoing = [item for item in outgoing if item.row.pk not in adopted]
    transient = last_lost = None
    for _attempt in range(2):
        lost = []
        for item, created, error in _create_all(client, record, outgoing, recorder):
            recorder.save()
            if error is None and created is not None:
                now = timezone.now()
                set_row(
                    item.row,
                    state=State.SENT,
                    avalara_id=created.id,
                    sent_at=now,
                    outcome_unknown=False,
                    attempts=item.row.attempts + 1,
                    # Its status as Avalara stored it, until the next sync.
                    **status_fields(
                        created,
                        customer_code=record.customer_code,
                        today=timezone.localdate(),
                        now=now,
                        customers_included=False,
                    ),
                )
                history.record(
                    item.row.certificate,
                    CertificateEvent.Kind.SENT,
                    f"Avalara certificate {created.id} ({item.row.exposure_zone}).",
                    region=item.row.region,
                )
            elif error is not None and error.outcome_unknown:
                set_row(item.row, outcome_unknown=True, attempts=item.row.attempts + 1)
                lost.append(item)
                last_lost = error
            elif error is not None and error.safe_to_retry:
                set_row(
                    item.row,
                    state=State.QUEUED,
                    attempts=item.row.attempts + 1,
                    error_code=str(error.code),
                    error_message=describe_refusal(error),
                )
                transient = error
            else:
                _refused(item.row, error)
        if not lost:
            break
        adopted = adopt_existing(client, record, lost, recorder)
        outgoing = [item for item in lost if item.row.pk not in adopted]
    for item in outgoing:
        if item.row.state == State.SENDING:  # still lost after reading back twice
            set_row(
                item.row,
                state=State.QUEUED,
                error_code=str(last_lost.code),
                error_message="Avalara's answer was lost; Nuvo checks again before resending.",
            )
            transient = transient or last_lost
    return transient


def _refused(row: AvalaraCertificate, error: AvalaraError | None) -> None:
    """Avalara said no (or answered without an id): the row fails, with the fix where the
    refusal is one the pre-send rules know."""
    if error is None:
        code, message, problems = "UNKNOWN_ERROR", "Avalara answered without an id.", []
    else:
        learn_from(error, certificate=row.certificate)
        code, message = rule_code_for(error), describe_refusal(error)
        problems = rejection_problems(error, certificate=row.certificate, region=row.region)
    set_row(  # a failure after a dismissal is a new one: it shows in the report again
        row,
        state=State.FAILED,
        attempts=row.attempts + 1,
        error_code=code,
        error_message=message,
        dismissed_at=None,
    )
    history.record(
        row.certificate,
        CertificateEvent.Kind.FAILED,
        f"{error.code if error else code}: {message}",
        region=row.region,
        problems=problems,
    )


def _create_all(client, record, outgoing: list[Outgoing], recorder):
    if not outgoing:
        return
    workers = max(1, min(settings.AVALARA_SEND_CONCURRENCY, len(outgoing)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="avalara-send") as pool:
        futures = [pool.submit(_create_one, client, record, item, recorder) for item in outgoing]
        for future in as_completed(futures):
            yield future.result()


def set_row(row: AvalaraCertificate, **changes) -> None:
    for name, value in changes.items():
        setattr(row, name, value)
    AvalaraCertificate.objects.filter(pk=row.pk).update(updated_at=timezone.now(), **changes)
