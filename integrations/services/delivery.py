"""Running a Send to Avalara: the customer once, then one Avalara certificate per region.

Exactly once, also when two runs race, a worker dies between Avalara's answer and our write, or
Avalara stores a certificate and the answer is lost (REFERENCE.md §5, "not atomic"):
- a send and each certificate row are claimed with guarded updates, so one run works on them;
- a create whose outcome is unknown is never retried blindly: the customer's certificates are read
  back and a match (zone, reason, signed date, page count, not yet adopted) is adopted first;
- the database's unique constraints refuse a second customer code or a second adoption.
Avalara is never called inside a transaction. Certificates go out on a small thread pool; only
the calling thread touches the database.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from integrations.avalara import (
    AvalaraError,
    AvaTaxClient,
    CustomerInput,
)
from integrations.checks import check_certificate
from integrations.checks.rules import REASON_NOT_IN_ACCOUNT
from integrations.models import AvalaraCertificate, AvalaraCustomer, AvalaraSend, CertificateEvent
from integrations.services import history
from integrations.services.calls import CallRecorder
from integrations.services.connection import avalara_client_get
from integrations.services.definitions import (
    account_reason_for,
    definitions_for,
    exposure_zone_for,
    reason_mappings,
)
from integrations.services.outcomes import finish_send
from integrations.services.rejections import describe_refusal, rule_code_for
from integrations.services.resends import avalara_send_follow_up
from integrations.services.sending import connected_connection, require_same_company
from integrations.services.uploads import Outgoing, send_certificates, set_row

logger = logging.getLogger(__name__)

State = AvalaraCertificate.State
Status = AvalaraSend.Status


class SendRetryLater(Exception):
    """Trouble that may pass and that nothing was left half-done by: the task tries again."""

    def __init__(self, error: AvalaraError) -> None:
        super().__init__(str(error))
        self.error = error


def stale_after() -> timedelta:
    return timedelta(seconds=settings.AVALARA_SEND_STALE_SECONDS)


def avalara_send_run(*, send_id: int, final_attempt: bool = False) -> AvalaraSend | None:
    """Run a queued send (or take over one whose run died). None: nothing to do here."""
    send = _claim_send(send_id)
    if send is None:
        return None
    recorder = CallRecorder(
        organization_id=send.organization_id, send=send, customer_id=send.customer_id
    )
    try:
        _deliver(send, recorder, final_attempt=final_attempt)
    except SendRetryLater:
        recorder.save()
        # Rows still "sending" were never tried, or their read-back failed (outcome_unknown
        # stays set, so the retry reads back before creating): they wait, none looks stuck.
        AvalaraCertificate.objects.filter(send=send, state=State.SENDING).update(
            state=State.QUEUED, updated_at=timezone.now()
        )
        AvalaraSend.objects.filter(pk=send.pk).update(status=Status.QUEUED)
        raise
    except AvalaraError as error:
        recorder.save()
        _fail_queued_rows(send, error)
        if error.operation in ("CreateCustomers", "GetCustomer"):
            AvalaraCustomer.objects.filter(customer_id=send.customer_id).update(
                last_error_code=rule_code_for(error),
                last_error_message=describe_refusal(error) or error.summary,
                failed_at=timezone.now(),
                dismissed_at=None,
            )
        finish_send(send, error=error)
    except BaseException:
        recorder.save()  # the calls happened; a killed run still leaves their record
        raise
    else:
        recorder.save()
        finish_send(send)
    avalara_send_follow_up(send)
    send.refresh_from_db()
    return send


def _claim_send(send_id: int) -> AvalaraSend | None:
    now = timezone.now()
    claimable = Q(status=Status.QUEUED) | Q(
        status=Status.RUNNING, started_at__lt=now - stale_after()
    )
    if not AvalaraSend.objects.filter(claimable, pk=send_id).update(
        status=Status.RUNNING, started_at=now, retry_at=None
    ):
        return None
    # Rows left "sending" by a run that died: their create may have reached Avalara.
    AvalaraCertificate.objects.filter(send_id=send_id, state=State.SENDING).update(
        state=State.QUEUED, outcome_unknown=True
    )
    return AvalaraSend.objects.select_related("customer", "organization").get(pk=send_id)


def _deliver(send: AvalaraSend, recorder: CallRecorder, *, final_attempt: bool) -> None:
    connection = connected_connection(send.organization)
    require_same_company(send.customer, connection)
    client, connection = avalara_client_get(
        organization=send.organization, interactive=False, on_call=recorder
    )
    try:
        with client:
            definitions = definitions_for(connection=connection, client=client)
            record = AvalaraCustomer.objects.get(customer=send.customer)
            try:
                _ensure_customer(client, record, send.customer)
            finally:
                recorder.save()  # written as they happen: a run killed later keeps them
            # The customer went through: it leaves Failed API Calls.
            AvalaraCustomer.objects.filter(pk=record.pk, failed_at__isnull=False).update(
                failed_at=None, last_error_code="", last_error_message=""
            )
            transient, seen = None, set()
            # Rows a request adds while this runs (a shared send) go in the next round.
            while outgoing := _prepare(send, definitions, skip=seen):
                seen.update(item.row.pk for item in outgoing)
                transient = send_certificates(client, record, outgoing, recorder) or transient
    except AvalaraError as error:
        if error.safe_to_retry and not final_attempt:
            raise SendRetryLater(error) from error
        raise
    if transient is not None:
        if not final_attempt:
            raise SendRetryLater(transient)
        # Only what this run tried: a row that joined after its last round is the follow-up's.
        _fail_queued_rows(send, transient, only=seen)


def _customer_input(record: AvalaraCustomer, customer) -> CustomerInput:
    return CustomerInput(
        customer_code=record.customer_code,
        name=customer.legal_name,
        line1=customer.address_line1,
        line2=customer.address_line2,
        city=customer.city,
        region=customer.region,
        postal_code=customer.postal_code,
        country=customer.country,
        email_address=customer.email,
        phone_number=customer.phone,
        contact_name=customer.contact_name,
        taxpayer_id_number=customer.tax_id,
    )


def _ensure_customer(client: AvaTaxClient, record: AvalaraCustomer, customer) -> None:
    """Create the customer once; a taken code, or a lost answer that did create it, counts."""
    if record.is_confirmed:
        return
    if record.source == AvalaraCustomer.Source.IMPORTED and client.find_customer(
        record.company_id, record.customer_code
    ):
        pass  # an imported code Avalara has: use it, create nothing
    else:
        _create_customer(client, record, customer)
    AvalaraCustomer.objects.filter(pk=record.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now(), last_error_code="", last_error_message="", failed_at=None
    )


def _create_customer(client: AvaTaxClient, record: AvalaraCustomer, customer) -> None:
    try:
        client.create_customers(record.company_id, [_customer_input(record, customer)])
    except AvalaraError as error:
        if not error.is_duplicate:
            if not error.outcome_unknown:
                raise
            if client.find_customer(record.company_id, record.customer_code) is None:
                # Read back: Avalara does not have it, so creating again later is safe.
                raise AvalaraError(
                    error.code,
                    operation=error.operation,
                    retryable=error.worth_retrying,
                    http_status=error.http_status,
                    reason="The customer was not created; Nuvo will try again.",
                ) from error


def _prepare(send: AvalaraSend, definitions, *, skip=()) -> list[Outgoing]:
    """Claim this send's queued rows (but those in `skip`, tried in this run already); a region
    or reason the account lacks stops before a call."""
    rows = list(
        AvalaraCertificate.objects.filter(send=send, state=State.QUEUED)
        .exclude(pk__in=skip)
        .select_related("certificate")
    )
    mappings = reason_mappings(organization=send.organization)
    outgoing = []
    for row in rows:
        zone = exposure_zone_for(definitions, row.region)
        reason = account_reason_for(definitions, row.certificate.exemption_reason, mappings)
        if reason is None:
            _reason_missing(row, definitions, mappings)
            continue
        if zone is None:
            set_row(
                row,
                state=State.FAILED,
                error_code="CERTIFICATE_UPLOAD_FAILED",
                error_message=f"Avalara's account has no exposure zone for {row.region}.",
            )
            continue
        row.exposure_zone = zone
        claimed = AvalaraCertificate.objects.filter(pk=row.pk, state=State.QUEUED).update(
            state=State.SENDING,
            exposure_zone=zone,
            claimed_at=timezone.now(),
            updated_at=timezone.now(),
        )
        if claimed:
            row.state = State.SENDING
            outgoing.append(Outgoing(row=row, reason=reason))
    return outgoing


def _reason_missing(row: AvalaraCertificate, definitions, mappings) -> None:
    """The account's reasons changed since the send was checked: the certificate waits for a
    reason it has, as the pre-send check would have said."""
    found = check_certificate(row.certificate, definitions=definitions, mappings=mappings)
    problems = [problem for problem in found if problem.code == REASON_NOT_IN_ACCOUNT.code]
    set_row(
        row,
        state=State.BLOCKED,
        error_code=REASON_NOT_IN_ACCOUNT.code,
        error_message=REASON_NOT_IN_ACCOUNT.message,
    )
    history.record(
        row.certificate,
        CertificateEvent.Kind.CHECKED,
        "1 problem(s) to fix before sending.",
        region=row.region,
        problems=problems,
    )


def _fail_queued_rows(send: AvalaraSend, error: AvalaraError, *, only=None) -> None:
    rows = AvalaraCertificate.objects.filter(send=send, state__in=[State.QUEUED, State.SENDING])
    if only is not None:
        rows = rows.filter(pk__in=only)
    rows.update(
        state=State.FAILED,
        error_code=str(error.code),
        error_message=describe_refusal(error) or error.summary,
    )
