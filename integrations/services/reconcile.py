"""Reading back after a lost answer: adopt what Avalara already holds instead of creating twice."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from integrations.avalara import AvalaraError
from integrations.models import AvalaraCertificate, AvalaraCustomer, CertificateEvent
from integrations.services import history
from integrations.services.status import status_fields

State = AvalaraCertificate.State


def adopt_existing(client, record: AvalaraCustomer, items, recorder) -> set[int]:
    """Match each item to one of the customer's Avalara certificates not yet adopted.

    A match has the same exposure zone, exemption reason, signed date and (when Avalara reports
    it) page count. Returns the ids of the rows adopted; the others are still missing.
    """
    try:
        existing = client.list_certificates_for_customer(record.company_id, record.customer_code)
    except AvalaraError as error:
        if error.is_missing_customer:
            return set()
        raise
    taken = set(
        AvalaraCertificate.objects.filter(
            company_id=record.company_id, avalara_id__in=[found.id for found in existing]
        ).values_list("avalara_id", flat=True)
    )
    adopted: set[int] = set()
    for item in items:
        certificate = item.row.certificate
        match = next(
            (
                found
                for found in existing
                if found.id not in taken
                and found.exposure_zone == item.row.exposure_zone
                and found.exemption_reason.casefold() == item.reason.casefold()
                and found.signed_date == certificate.effective_date
                and found.page_count in (0, certificate.page_count)
            ),
            None,
        )
        if match is None:
            continue
        try:
            with transaction.atomic():
                now = timezone.now()
                AvalaraCertificate.objects.filter(pk=item.row.pk).update(
                    avalara_id=match.id,
                    state=State.SENT,
                    outcome_unknown=False,
                    sent_at=now,
                    error_code="",
                    error_message="",
                    updated_at=now,
                    **status_fields(
                        match,
                        customer_code=record.customer_code,
                        today=timezone.localdate(),
                        now=now,
                    ),
                )
        except IntegrityError:
            continue  # another row adopted it first
        item.row.state, item.row.avalara_id = State.SENT, match.id
        history.record(
            item.row.certificate,
            CertificateEvent.Kind.SENT,
            f"Avalara certificate {match.id}: Avalara had stored it although its answer was "
            "lost; adopted rather than sent twice.",
            region=item.row.region,
        )
        taken.add(match.id)
        adopted.add(item.row.pk)
    return adopted
