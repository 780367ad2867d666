"""Asking for a Send to Avalara: the checks that need no call, then a queued send.

The send itself runs in a task (delivery.py); this returns at once. Refusals carry the guide's
codes: CREDENTIALS_NOT_CONFIGURED, NO_CERTIFICATES_FOUND, COMPANY_MISMATCH.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from certificates.models import TaxExemptionCertificate
from creditapps.models import CreditApplication, Customer
from creditapps.selectors import possible_duplicates
from integrations.avalara import AvalaraError, ErrorCode, error_for_code
from integrations.models import (
    AvalaraCertificate,
    AvalaraConnection,
    AvalaraCustomer,
    AvalaraSend,
)
from integrations.models.sending import new_customer_code
from integrations.selectors import avalara_connection_get
from integrations.services.presend import (
    SendBlocked,
    apply_check,
    note_blocked_send,
    presend_check,
    refuse_if_nothing_can_go,
)
from nuvo.errors import NuvoError
from nuvo.queueing import enqueue_on_commit
from nuvo.roles import Member, Role

Trigger = AvalaraSend.Trigger
State = AvalaraCertificate.State
SENDERS = (Role.CREDIT_ANALYST, Role.ADMIN)
UNSENT = (State.QUEUED, State.FAILED, State.HELD, State.BLOCKED)


class PossibleDuplicateCustomer(NuvoError):
    """The customer looks like one already on file: an analyst confirms or merges first."""

    code = "possible_duplicate"

    def __init__(self, customer: Customer, matches: list[Customer]) -> None:
        names = ", ".join(match.legal_name for match in matches)
        super().__init__(
            f"{customer.legal_name} has the same tax ID or email as {names}. Confirm they are "
            "different customers, or merge them, before sending to Avalara."
        )
        self.customer = customer
        self.matches = matches


@dataclass(frozen=True)
class SendRequest:
    send: AvalaraSend
    created: bool  # False: a send of this customer was already under way and is shared


def connected_connection(organization) -> AvalaraConnection:
    connection = avalara_connection_get(organization=organization)
    if connection is None or not connection.is_connected:
        raise error_for_code(ErrorCode.CREDENTIALS_NOT_CONFIGURED)
    return connection


def require_same_company(customer: Customer, connection: AvalaraConnection) -> None:
    """A customer Avalara holds stays in its company; one it never saw follows the connection."""
    record = AvalaraCustomer.objects.filter(customer=customer).first()
    if record is None or record.company_id == connection.company_id:
        return
    if record.is_unused():
        move_unused_customer(record, connection.company_id)
        return
    raise AvalaraError(
        ErrorCode.COMPANY_MISMATCH,
        operation="SendCustomer",
        reason=f"{customer.legal_name} was sent to Avalara company {record.company_id} "
        f"({record.customer_code}); the integration now resolves company "
        f"{connection.company_id}.",
    )


def move_unused_customer(record: AvalaraCustomer, company_id: int) -> None:
    """A customer code Avalara never saw goes to `company_id`, and its certificates' unsent
    rows with it (a row the new company has already is dropped), keeping their state."""
    AvalaraCustomer.objects.filter(pk=record.pk).update(company_id=company_id)
    rows = AvalaraCertificate.objects.filter(
        certificate__customer_id=record.customer_id, avalara_id__isnull=True
    )
    there = set(rows.filter(company_id=company_id).values_list("certificate_id", "region"))
    elsewhere = list(
        rows.exclude(company_id=company_id)
        .filter(state__in=UNSENT)
        .values_list("pk", "certificate_id", "region")
    )
    twins = [pk for pk, certificate_id, region in elsewhere if (certificate_id, region) in there]
    AvalaraCertificate.objects.filter(pk__in=twins).delete()
    AvalaraCertificate.objects.filter(
        pk__in=[pk for pk, *_ in elsewhere if pk not in twins], state__in=UNSENT
    ).update(company_id=company_id, updated_at=timezone.now())


def avalara_send_request(
    *,
    member: Member,
    customer: Customer,
    application: CreditApplication | None = None,
    trigger: str = Trigger.MENU,
    check_duplicates: bool = True,
    batch=None,
) -> SendRequest:
    """Queue a send of the customer and every certificate Avalara does not have yet.

    Analysts and admins send from the application; an approver sends by approving with the
    Send Customer to Avalara toggle on.
    """
    member.require_any(*SENDERS, *([Role.APPROVER] if trigger == Trigger.APPROVAL else []))
    if customer.organization_id != member.organization.pk:
        raise ValueError("customer is outside the member's organization")
    connection = connected_connection(member.organization)
    certificates = list(TaxExemptionCertificate.objects.filter(customer=customer))
    if not certificates:
        raise error_for_code(ErrorCode.NO_CERTIFICATES_FOUND, operation="SendCustomer")
    require_same_company(customer, connection)
    if check_duplicates and not hasattr(customer, "avalara"):
        matches = possible_duplicates(customer=customer)
        if matches:
            raise PossibleDuplicateCustomer(customer, matches)
    record, _ = AvalaraCustomer.objects.get_or_create(
        customer=customer,
        defaults={
            "organization_id": customer.organization_id,
            "customer_code": new_customer_code(),
            "company_id": connection.company_id,
        },
    )
    check = presend_check(
        customer=customer,
        certificates=certificates,
        connection=connection,
        customer_code=record.customer_code,
    )
    try:
        refuse_if_nothing_can_go(check, certificates)
    except SendBlocked:
        note_blocked_send(check, certificates, actor=member.user)
        if check.customer_problems:
            # The customer is what Avalara would refuse: it waits in Failed API Calls until fixed.
            AvalaraCustomer.objects.filter(pk=record.pk).update(
                last_error_code=check.customer_problems[0].code,
                last_error_message=" ".join(p.message for p in check.customer_problems)[:2000],
                failed_at=timezone.now(),
                dismissed_at=None,
            )
        raise
    return queue_send(
        member=member,
        customer=customer,
        application=application,
        trigger=trigger,
        connection=connection,
        certificates=certificates,
        batch=batch,
        check=check,
    )


def queue_send(
    *,
    member,
    customer,
    application,
    trigger,
    connection,
    certificates,
    batch=None,
    check=None,
    requeue=UNSENT,
) -> SendRequest:
    from integrations.tasks import send_customer_to_avalara

    actor = member.user if member else None
    for _attempt in range(3):
        try:
            with transaction.atomic():
                send = AvalaraSend.objects.create(
                    organization_id=customer.organization_id,
                    customer=customer,
                    application=application,
                    trigger=trigger,
                    batch=batch,
                    requested_by=actor,
                    company_id=connection.company_id,
                )
                AvalaraCustomer.objects.get_or_create(
                    customer=customer,
                    defaults={
                        "organization_id": customer.organization_id,
                        "customer_code": new_customer_code(),
                        "company_id": connection.company_id,
                    },
                )
                queued = _queue_certificates(
                    send, certificates, company_id=connection.company_id, requeue=requeue
                )
                if check is not None:
                    apply_check(send, check, certificates, actor=actor, rows=queued)
                enqueue_on_commit(send_customer_to_avalara, send.pk)
            return SendRequest(send=send, created=True)
        except IntegrityError:
            # Someone else's send of this customer is queued or running: share it.
            shared = _join_active_send(
                customer,
                certificates,
                connection=connection,
                check=check,
                requeue=requeue,
                actor=actor,
            )
            if shared is not None:
                return SendRequest(send=shared, created=False)
            # It finished in between: start this one after all.
    raise NuvoError(
        "Sends of this customer kept starting and finishing at the same moment; send again.",
        code="busy",
    )


def _join_active_send(
    customer, certificates, *, connection, check, requeue=UNSENT, actor=None
) -> AvalaraSend | None:
    """Put what this request would send into the send already under way, so nothing asked for
    is left out. A running send picks up rows added while it runs (delivery), and one that
    ends first hands the rest to a follow-up send (`avalara_send_follow_up`). Its lock makes
    the send's end wait until the rows are in (or this finds it ended, and returns None)."""
    with transaction.atomic():
        existing = (
            AvalaraSend.objects.select_for_update()
            .filter(customer=customer, status__in=AvalaraSend.ACTIVE)
            .first()
        )
        if existing is None:
            return None
        queued = _queue_certificates(
            existing, certificates, company_id=connection.company_id, requeue=requeue
        )
        if check is not None:
            apply_check(existing, check, certificates, actor=actor, rows=queued)
    return existing


def _queue_certificates(
    send: AvalaraSend, certificates, *, company_id: int, requeue=UNSENT
) -> list[int]:
    """One row per certificate and region; those not yet in Avalara (in a `requeue` state)
    join this send. A row this send already tried and could not send stays as it ended: the
    same run would only be refused again. Returns the rows queued."""
    AvalaraCertificate.objects.bulk_create(
        [
            AvalaraCertificate(
                organization_id=send.organization_id,
                certificate=certificate,
                region=region,
                company_id=company_id,
            )
            for certificate in certificates
            for region in certificate.exempt_regions
        ],
        ignore_conflicts=True,
    )
    _drop_removed_regions(
        AvalaraCertificate.objects.filter(
            certificate__in=certificates, company_id=company_id, state__in=UNSENT
        ),
        certificates,
    )
    requeued = AvalaraCertificate.objects.filter(
        certificate__in=certificates, company_id=company_id, state__in=requeue
    ).exclude(Q(send=send) & ~Q(state=State.QUEUED))
    pks = list(requeued.values_list("pk", flat=True))
    AvalaraCertificate.objects.filter(pk__in=pks, state__in=requeue).update(
        send=send,
        state=State.QUEUED,
        error_code="",
        error_message="",
        dismissed_at=None,
        updated_at=timezone.now(),
    )
    return pks


def _drop_removed_regions(unsent, certificates) -> None:
    """A region taken off a certificate before it reached Avalara is no longer to be sent."""
    removed = Q(pk__in=[])
    for certificate in certificates:
        removed |= Q(certificate=certificate) & ~Q(region__in=certificate.exempt_regions)
    unsent.filter(removed).delete()
