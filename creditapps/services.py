"""Credit-application workflows. Each status change is a guarded UPDATE: exactly one caller wins."""

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from certificates.models import TaxExemptionCertificate
from certificates.services import CertificateUpload, certificate_create, discard_stored_files
from creditapps.models import (
    ApplicationEvent,
    CreditApplication,
    Customer,
    InfoRequest,
    Organization,
    TradeReference,
)
from creditapps.roles import Member, Role, user_display_name
from nuvo.errors import InvalidTransition, NuvoError

logger = logging.getLogger(__name__)

Status = CreditApplication.Status
Kind = ApplicationEvent.Kind
OPEN_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.INFO_REQUESTED)
AWAITING_APPROVAL = Q(approval_requested_at__isnull=False)

CUSTOMER_FIELDS = (
    "legal_name",
    "dba_name",
    "contact_name",
    "email",
    "phone",
    "address_line1",
    "address_line2",
    "city",
    "region",
    "postal_code",
    "country",
    "ship_to_states",
    "tax_id",
)


@dataclass(frozen=True)
class TradeReferenceData:
    company_name: str
    contact_name: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class ApplicationData:
    requested_credit_limit: Decimal
    requested_terms: str
    bank_name: str = ""
    bank_contact_name: str = ""
    bank_phone: str = ""
    bank_account_type: str = ""
    trade_references: Sequence[TradeReferenceData] = ()


def record_event(
    *,
    application: CreditApplication,
    kind: str,
    actor=None,
    actor_name: str = "",
    message: str = "",
) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=application,
        kind=kind,
        actor=actor,
        actor_name=actor_name or user_display_name(actor),
        message=message,
    )


def _transition(
    application: CreditApplication,
    *,
    from_statuses: Iterable[str],
    to_status: str,
    condition: Q | None = None,
    refusal: str = "",
    **changes,
) -> None:
    """Move the application only if it is still in one of `from_statuses` (and meets `condition`).

    A single conditional UPDATE decides, so of two racing callers exactly one wins, on SQLite and
    PostgreSQL alike. The application is refreshed either way.
    """
    from_statuses = tuple(from_statuses)
    candidates = CreditApplication.objects.filter(pk=application.pk, status__in=from_statuses)
    if condition is not None:
        candidates = candidates.filter(condition)
    updated = candidates.update(status=to_status, updated_at=timezone.now(), **changes)
    application.refresh_from_db()
    if updated != 1:
        raise InvalidTransition(
            refusal
            or f"{application.reference} is {application.get_status_display().lower()}; "
            f"this action needs it to be {_status_list(from_statuses)}."
        )


def _status_list(statuses: Sequence[str]) -> str:
    labels = [Status(status).label.lower() for status in statuses]
    return " or ".join(labels)


def _require_same_organization(member: Member, application: CreditApplication) -> None:
    if application.organization_id != member.organization.pk:
        raise ValueError("application is outside the member's organization")


# Customers


def customer_create(*, member: Member, **fields) -> Customer:
    member.require(Role.CREDIT_ANALYST)
    return Customer.objects.create(
        organization=member.organization,
        **{name: value for name, value in fields.items() if name in CUSTOMER_FIELDS},
    )


def customer_update(*, member: Member, customer: Customer, **fields) -> Customer:
    member.require(Role.CREDIT_ANALYST)
    if customer.organization_id != member.organization.pk:
        raise ValueError("customer is outside the member's organization")
    changed = [name for name in CUSTOMER_FIELDS if name in fields]
    for name in changed:
        setattr(customer, name, fields[name])
    customer.save(update_fields=[*changed, "updated_at"])
    return customer


# Applications


def _create_application(
    *, organization: Organization, customer: Customer, data: ApplicationData, status: str
) -> CreditApplication:
    application = CreditApplication.objects.create(
        organization=organization,
        customer=customer,
        status=status,
        requested_credit_limit=data.requested_credit_limit,
        requested_terms=data.requested_terms,
        bank_name=data.bank_name,
        bank_contact_name=data.bank_contact_name,
        bank_phone=data.bank_phone,
        bank_account_type=data.bank_account_type,
        submitted_at=timezone.now() if status == Status.SUBMITTED else None,
    )
    TradeReference.objects.bulk_create(
        TradeReference(application=application, **vars(reference))
        for reference in data.trade_references
        if reference.company_name.strip()
    )
    return application


@transaction.atomic
def application_create(
    *, member: Member, customer: Customer, data: ApplicationData
) -> CreditApplication:
    """An analyst starts a draft application for a customer (e.g. one taken over the phone)."""
    member.require(Role.CREDIT_ANALYST)
    if customer.organization_id != member.organization.pk:
        raise ValueError("customer is outside the member's organization")
    application = _create_application(
        organization=member.organization, customer=customer, data=data, status=Status.DRAFT
    )
    record_event(application=application, kind=Kind.CREATED, actor=member.user)
    return application


@transaction.atomic
def application_submit(*, member: Member, application: CreditApplication) -> CreditApplication:
    member.require(Role.CREDIT_ANALYST)
    _require_same_organization(member, application)
    _transition(
        application,
        from_statuses=[Status.DRAFT],
        to_status=Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    record_event(application=application, kind=Kind.SUBMITTED, actor=member.user)
    return application


@transaction.atomic
def application_start_review(
    *, member: Member, application: CreditApplication
) -> CreditApplication:
    """The analyst picks the application up; it is assigned to them unless already assigned."""
    member.require(Role.CREDIT_ANALYST)
    _require_same_organization(member, application)
    analyst_id = application.assigned_analyst_id or member.user.pk
    _transition(
        application,
        from_statuses=[Status.SUBMITTED],
        to_status=Status.IN_REVIEW,
        assigned_analyst_id=analyst_id,
    )
    record_event(application=application, kind=Kind.REVIEW_STARTED, actor=member.user)
    return application


@transaction.atomic
def application_assign(
    *, member: Member, application: CreditApplication, analyst
) -> CreditApplication:
    member.require(Role.CREDIT_ANALYST)
    _require_same_organization(member, application)
    if (
        analyst is not None
        and not analyst.memberships.filter(
            organization=member.organization, role=Role.CREDIT_ANALYST
        ).exists()
    ):
        raise NuvoError(
            "Only credit analysts of your organization can be assigned.", code="invalid_analyst"
        )
    updated = CreditApplication.objects.filter(pk=application.pk, status__in=OPEN_STATUSES).update(
        assigned_analyst=analyst, updated_at=timezone.now()
    )
    application.refresh_from_db()
    if updated != 1:
        raise InvalidTransition(f"{application.reference} is already decided.")
    record_event(
        application=application,
        kind=Kind.ASSIGNED,
        actor=member.user,
        message=f"Assigned to {user_display_name(analyst)}" if analyst else "Unassigned",
    )
    return application


def application_request_info(
    *,
    member: Member,
    application: CreditApplication,
    items: Sequence[str],
    message: str = "",
    recipient_email: str = "",
) -> InfoRequest:
    """Ask the customer for missing information; they answer through a signed, expiring link."""
    from creditapps.tasks import send_info_request_email

    member.require(Role.CREDIT_ANALYST)
    _require_same_organization(member, application)
    recipient = recipient_email or application.customer.email
    if not recipient:
        raise NuvoError(
            "The customer has no email address. Add one to the customer before requesting info.",
            code="no_recipient",
        )
    if not items:
        raise NuvoError("Choose at least one thing to request.", code="nothing_requested")
    now = timezone.now()
    with transaction.atomic():
        _transition(
            application,
            from_statuses=[Status.SUBMITTED, Status.IN_REVIEW, Status.INFO_REQUESTED],
            to_status=Status.INFO_REQUESTED,
            approval_requested_at=None,
            approval_requested_by=None,
            assigned_analyst_id=application.assigned_analyst_id or member.user.pk,
        )
        # A new request replaces one still open: its link stops working.
        _close_open_info_requests(application, now=now)
        info_request = InfoRequest.objects.create(
            application=application,
            requested_by=member.user,
            recipient_email=recipient,
            requested_items=list(items),
            message=message.strip(),
            expires_at=now + timedelta(days=settings.NUVO_INFO_REQUEST_MAX_AGE_DAYS),
        )
        record_event(
            application=application,
            kind=Kind.INFO_REQUESTED,
            actor=member.user,
            message=f"Requested {', '.join(info_request.requested_item_labels).lower()} "
            f"from {recipient}." + (f"\n“{info_request.message}”" if info_request.message else ""),
        )
        send_info_request_email.delay_on_commit(info_request.pk)
    return info_request


def _close_open_info_requests(application: CreditApplication, *, now) -> None:
    InfoRequest.objects.filter(
        application=application, responded_at__isnull=True, expires_at__gt=now
    ).update(expires_at=now)


@transaction.atomic
def application_resume_review(
    *, member: Member, application: CreditApplication
) -> CreditApplication:
    """Go back to reviewing without waiting for the customer; their link stops working."""
    member.require(Role.CREDIT_ANALYST)
    _require_same_organization(member, application)
    _transition(application, from_statuses=[Status.INFO_REQUESTED], to_status=Status.IN_REVIEW)
    _close_open_info_requests(application, now=timezone.now())
    record_event(
        application=application,
        kind=Kind.REVIEW_RESUMED,
        actor=member.user,
        message="Resumed without the customer's answer; the Request Info link no longer works.",
    )
    return application


def info_request_respond(
    *, info_request: InfoRequest, message: str, certificates: Sequence[CertificateUpload]
) -> InfoRequest:
    """The customer answers a Request Info: certificates are filed and review resumes."""
    application = info_request.application
    customer = application.customer
    if info_request.responded_at is not None:
        raise NuvoError("This request has already been answered.", code="already_answered")
    if info_request.expires_at <= timezone.now():
        raise NuvoError("This link has expired.", code="expired")
    if not message.strip() and not certificates:
        raise NuvoError(
            "Upload a document or write a message before submitting.", code="empty_response"
        )
    actor_name = f"{customer.contact_name or customer.legal_name} (customer)"
    stored: list[TaxExemptionCertificate] = []
    try:
        with transaction.atomic():
            claimed = InfoRequest.objects.filter(
                pk=info_request.pk, responded_at__isnull=True
            ).update(responded_at=timezone.now(), response_message=message.strip())
            if claimed != 1:
                raise NuvoError("This request has already been answered.", code="already_answered")
            for upload in certificates:
                stored.append(
                    certificate_create(
                        customer=customer,
                        upload=upload,
                        source=TaxExemptionCertificate.Source.INFO_REQUEST,
                        application=application,
                        actor_name=actor_name,
                    )
                )
            _transition(
                application, from_statuses=[Status.INFO_REQUESTED], to_status=Status.IN_REVIEW
            )
            summary = f"{len(certificates)} certificate(s) uploaded." if certificates else ""
            record_event(
                application=application,
                kind=Kind.INFO_RECEIVED,
                actor_name=actor_name,
                message="\n".join(part for part in [summary, message.strip()] if part),
            )
    except BaseException:
        discard_stored_files(stored)
        raise
    info_request.refresh_from_db()
    return info_request


@transaction.atomic
def application_request_approval(
    *, member: Member, application: CreditApplication, note: str = ""
) -> CreditApplication:
    member.require(Role.CREDIT_ANALYST)
    _require_same_organization(member, application)
    updated = CreditApplication.objects.filter(
        pk=application.pk, status=Status.IN_REVIEW, approval_requested_at__isnull=True
    ).update(
        approval_requested_at=timezone.now(),
        approval_requested_by=member.user,
        updated_at=timezone.now(),
    )
    application.refresh_from_db()
    if updated != 1:
        raise InvalidTransition(
            f"{application.reference} can be sent for approval only while in review "
            "and not already waiting for approval."
        )
    record_event(
        application=application,
        kind=Kind.APPROVAL_REQUESTED,
        actor=member.user,
        message=note.strip(),
    )
    return application


@transaction.atomic
def application_approve(
    *,
    member: Member,
    application: CreditApplication,
    credit_limit: Decimal,
    terms: str,
    comment: str = "",
) -> CreditApplication:
    member.require(Role.APPROVER)
    _require_same_organization(member, application)
    if credit_limit <= 0:
        raise NuvoError(
            "The approved credit limit must be greater than zero.", code="invalid_limit"
        )
    if terms not in CreditApplication.Terms.values:
        raise NuvoError("Choose payment terms.", code="invalid_terms")
    _transition(
        application,
        from_statuses=[Status.IN_REVIEW],
        condition=AWAITING_APPROVAL,
        refusal=_not_awaiting_approval(application),
        to_status=Status.APPROVED,
        approved_credit_limit=credit_limit,
        approved_terms=terms,
        decision_comment=comment.strip(),
        decided_by=member.user,
        decided_at=timezone.now(),
    )
    record_event(
        application=application,
        kind=Kind.APPROVED,
        actor=member.user,
        message=f"Approved ${credit_limit:,.2f} on "
        f"{CreditApplication.Terms(terms).label}."
        + (f"\n{comment.strip()}" if comment.strip() else ""),
    )
    return application


@transaction.atomic
def application_decline(
    *, member: Member, application: CreditApplication, comment: str
) -> CreditApplication:
    member.require(Role.APPROVER)
    _require_same_organization(member, application)
    if not comment.strip():
        raise NuvoError("Say why the application is declined.", code="comment_required")
    _transition(
        application,
        from_statuses=[Status.IN_REVIEW],
        condition=AWAITING_APPROVAL,
        refusal=_not_awaiting_approval(application),
        to_status=Status.DECLINED,
        decision_comment=comment.strip(),
        decided_by=member.user,
        decided_at=timezone.now(),
    )
    record_event(
        application=application, kind=Kind.DECLINED, actor=member.user, message=comment.strip()
    )
    return application


def _not_awaiting_approval(application: CreditApplication) -> str:
    return (
        f"{application.reference} is not waiting for approval; "
        "an analyst sends it for approval once the review is done."
    )


# The public credit-application form


@dataclass(frozen=True)
class PublicApplication:
    customer: dict
    application: ApplicationData
    certificates: Sequence[CertificateUpload] = ()


def public_application_submit(
    *, organization: Organization, submission: PublicApplication
) -> CreditApplication:
    """A customer applies through the organization's link; their certificates come with it."""
    stored: list[TaxExemptionCertificate] = []
    try:
        with transaction.atomic():
            customer = Customer.objects.create(
                organization=organization,
                **{
                    name: value
                    for name, value in submission.customer.items()
                    if name in CUSTOMER_FIELDS
                },
            )
            application = _create_application(
                organization=organization,
                customer=customer,
                data=submission.application,
                status=Status.SUBMITTED,
            )
            actor_name = f"{customer.contact_name or customer.legal_name} (customer)"
            record_event(
                application=application,
                kind=Kind.SUBMITTED,
                actor_name=actor_name,
                message="Submitted through the online credit application.",
            )
            for upload in submission.certificates:
                stored.append(
                    certificate_create(
                        customer=customer,
                        upload=upload,
                        source=TaxExemptionCertificate.Source.APPLICATION_FORM,
                        application=application,
                        actor_name=actor_name,
                    )
                )
    except BaseException:
        discard_stored_files(stored)
        raise
    logger.info("public application %s submitted for org=%s", application.pk, organization.pk)
    return application
