"""Sends no one asked for directly: a retry of one certificate, the scheduled send of held
certificates whose date has come, and the follow-up of rows that joined a send too late."""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from certificates.models import TaxExemptionCertificate
from integrations.models import AvalaraCertificate, AvalaraCustomer, AvalaraSend, CertificateEvent
from integrations.selectors import avalara_connection_get
from integrations.services import history
from integrations.services.presend import apply_check, presend_check, refuse_if_nothing_can_go
from integrations.services.sending import (
    SENDERS,
    SendRequest,
    Trigger,
    connected_connection,
    queue_send,
    require_same_company,
)
from nuvo.errors import NuvoError
from nuvo.queueing import enqueue_on_commit
from nuvo.roles import Member

State = AvalaraCertificate.State
logger = logging.getLogger(__name__)


def avalara_certificate_retry(*, member: Member, row: AvalaraCertificate) -> SendRequest:
    """Retry one failed certificate copy on its own."""
    member.require_any(*SENDERS)
    if row.organization_id != member.organization.pk:
        raise ValueError("certificate is outside the member's organization")
    if row.state not in (State.FAILED, State.BLOCKED):
        raise NuvoError("Only a failed certificate can be retried.", code="not_failed")
    if row.region not in row.certificate.exempt_regions:
        raise NuvoError(
            f"{row.certificate.display_name} no longer covers {row.region}; "
            "there is nothing to retry.",
            code="region_removed",
        )
    connection = connected_connection(member.organization)
    customer = row.certificate.customer
    require_same_company(customer, connection)
    # A customer Avalara never saw may just have moved to the connection's company, its rows
    # with it: retry the row of that company.
    row = (
        AvalaraCertificate.objects.filter(
            certificate_id=row.certificate_id,
            region=row.region,
            company_id=connection.company_id,
            state__in=[State.FAILED, State.BLOCKED],
        )
        .select_related("certificate")
        .first()
    )
    if row is None:
        raise NuvoError(
            "This certificate is no longer waiting for a retry; send the customer again.",
            code="not_failed",
        )
    from integrations.tasks import send_customer_to_avalara

    try:
        with transaction.atomic():
            send = AvalaraSend.objects.create(
                organization=member.organization,
                customer=customer,
                trigger=Trigger.RETRY,
                requested_by=member.user,
                company_id=connection.company_id,
            )
            AvalaraCertificate.objects.filter(
                pk=row.pk, state__in=[State.FAILED, State.BLOCKED]
            ).update(
                send=send,
                state=State.QUEUED,
                error_code="",
                error_message="",
                dismissed_at=None,
                updated_at=timezone.now(),
            )
            certificate = row.certificate
            record = AvalaraCustomer.objects.filter(customer=customer).first()
            check = presend_check(
                customer=customer,
                certificates=[certificate],
                connection=connection,
                customer_code=record.customer_code if record else "",
            )
            refuse_if_nothing_can_go(check, [certificate])
            apply_check(send, check, [certificate], actor=member.user)
            history.record(
                certificate, CertificateEvent.Kind.RETRIED, region=row.region, actor=member.user
            )
            enqueue_on_commit(send_customer_to_avalara, send.pk)
    except IntegrityError:
        raise NuvoError(
            "A send of this customer is under way; retry once it has finished.", code="busy"
        ) from None
    return SendRequest(send=send, created=True)


def avalara_send_scheduled(*, customer) -> SendRequest | None:
    """The scheduled job's send of certificates whose effective date has come (no one asked)."""
    connection = avalara_connection_get(organization=customer.organization)
    if connection is None or not connection.is_connected:
        return None
    # Only what was held for its date: a failed or blocked certificate waits for a person.
    certificates = list(
        TaxExemptionCertificate.objects.filter(
            customer=customer,
            avalara_copies__state=State.HELD,
            avalara_copies__held_until__lte=timezone.localdate(),
        ).distinct()
    )
    if not certificates:
        return None
    require_same_company(customer, connection)
    record = AvalaraCustomer.objects.filter(customer=customer).first()
    check = presend_check(
        customer=customer,
        certificates=certificates,
        connection=connection,
        customer_code=record.customer_code if record else "",
    )
    refuse_if_nothing_can_go(check, certificates)
    return queue_send(
        member=None,
        customer=customer,
        application=None,
        trigger=Trigger.SCHEDULED,
        connection=connection,
        certificates=certificates,
        check=check,
        requeue=(State.QUEUED, State.HELD),
    )


def avalara_send_follow_up(send: AvalaraSend) -> AvalaraSend | None:
    """Rows that joined a send after its run had looked for work go out in a send of their own.

    Called once the send has finished: a request that joined before that is seen here, one
    that came later found the send finished and made its own."""
    from integrations.tasks import send_customer_to_avalara

    left = AvalaraCertificate.objects.filter(send=send, state=State.QUEUED)
    for _attempt in range(3):
        if not left.exists():
            return None
        try:
            with transaction.atomic():
                follow_up = AvalaraSend.objects.create(
                    organization_id=send.organization_id,
                    customer_id=send.customer_id,
                    application_id=send.application_id,
                    trigger=send.trigger,
                    batch=send.batch,
                    requested_by_id=send.requested_by_id,
                    company_id=send.company_id,
                )
                left.update(send=follow_up, updated_at=timezone.now())
                enqueue_on_commit(send_customer_to_avalara, follow_up.pk)
            return follow_up
        except IntegrityError:
            pass
        # Another send of the customer started meanwhile: the rows join it, under its lock
        # (its own end then finds them, as this one did); if it ended already, try again.
        with transaction.atomic():
            active = (
                AvalaraSend.objects.select_for_update()
                .filter(customer_id=send.customer_id, status__in=AvalaraSend.ACTIVE)
                .first()
            )
            if active is not None:
                left.update(send=active, updated_at=timezone.now())
                return active
    logger.warning("send %s: %s queued row(s) found no send to go in", send.pk, left.count())
    return None
