"""An application's life: drafted or submitted, reviewed, sent for approval, decided."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from creditapps.approval import chosen_options
from creditapps.models import ApplicationEvent, CreditApplication, Customer, TradeReference
from creditapps.services.duties import (
    approval_refusal,
    limit_reason_line,
    limit_reason_refusal,
    separate_approver_condition,
)
from creditapps.services.timeline import record_event
from creditapps.services.transitions import (
    AWAITING_APPROVAL,
    OPEN_STATUSES,
    Status,
    guarded_update,
    require_same_organization,
    transition,
)
from nuvo.errors import NotAllowed, NuvoError
from nuvo.models import Organization
from nuvo.roles import Member, Role, user_display_name

Kind = ApplicationEvent.Kind


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


def create_application(
    *, organization: Organization, customer: Customer, data: ApplicationData, status: str
) -> CreditApplication:
    references = [ref for ref in data.trade_references if ref.company_name.strip()]
    if len(references) > TradeReference.MAX_PER_APPLICATION:
        raise NuvoError(
            f"Give at most {TradeReference.MAX_PER_APPLICATION} trade references.",
            code="too_many_trade_references",
        )
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
        TradeReference(application=application, **vars(reference)) for reference in references
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
    application = create_application(
        organization=member.organization, customer=customer, data=data, status=Status.DRAFT
    )
    record_event(application=application, kind=Kind.CREATED, actor=member.user)
    return application


@transaction.atomic
def application_submit(*, member: Member, application: CreditApplication) -> CreditApplication:
    member.require(Role.CREDIT_ANALYST)
    require_same_organization(member, application)
    transition(
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
    require_same_organization(member, application)
    transition(
        application,
        from_statuses=[Status.SUBMITTED],
        to_status=Status.IN_REVIEW,
        assigned_analyst_id=application.assigned_analyst_id or member.user.pk,
    )
    record_event(application=application, kind=Kind.REVIEW_STARTED, actor=member.user)
    return application


@transaction.atomic
def application_assign(
    *, member: Member, application: CreditApplication, analyst
) -> CreditApplication:
    member.require(Role.CREDIT_ANALYST)
    require_same_organization(member, application)
    if (
        analyst is not None
        and not analyst.memberships.filter(
            organization=member.organization, role=Role.CREDIT_ANALYST
        ).exists()
    ):
        raise NuvoError(
            "Only credit analysts of your organization can be assigned.", code="invalid_analyst"
        )
    guarded_update(
        application,
        from_statuses=OPEN_STATUSES,
        refusal=f"{application.reference} is already decided.",
        assigned_analyst=analyst,
    )
    record_event(
        application=application,
        kind=Kind.ASSIGNED,
        actor=member.user,
        message=f"Assigned to {user_display_name(analyst)}" if analyst else "Unassigned",
    )
    return application


@transaction.atomic
def application_request_approval(
    *, member: Member, application: CreditApplication, note: str = ""
) -> CreditApplication:
    member.require(Role.CREDIT_ANALYST)
    require_same_organization(member, application)
    guarded_update(
        application,
        from_statuses=[Status.IN_REVIEW],
        condition=~AWAITING_APPROVAL,
        refusal=f"{application.reference} can be sent for approval only while in review "
        "and not already waiting for approval.",
        approval_requested_at=timezone.now(),
        approval_requested_by=member.user,
    )
    record_event(
        application=application,
        kind=Kind.APPROVAL_REQUESTED,
        actor=member.user,
        message=note.strip(),
    )
    return application


def _decide(
    application: CreditApplication, *, to_status: str, condition: Q | None = None, **changes
) -> None:
    guarded_update(
        application,
        from_statuses=[Status.IN_REVIEW],
        condition=AWAITING_APPROVAL & (condition or Q()),
        refusal=f"{application.reference} is not waiting for approval; "
        "an analyst sends it for approval once the review is done.",
        status=to_status,
        decided_at=timezone.now(),
        **changes,
    )


@transaction.atomic
def application_approve(
    *,
    member: Member,
    application: CreditApplication,
    credit_limit: Decimal,
    terms: str,
    comment: str = "",
    limit_reason: str = "",
    options: Mapping[str, bool] | None = None,
) -> CreditApplication:
    """Approve; each approval option offered (see creditapps.approval) acts after the commit.

    With the organization's separation of duties on, whoever sent the application for approval
    cannot approve it; a limit above the requested one needs `limit_reason`.
    """
    member.require(Role.APPROVER)
    require_same_organization(member, application)
    if refusal := approval_refusal(member=member, application=application):
        raise NotAllowed(refusal, code="separation_of_duties")
    if credit_limit <= 0:
        raise NuvoError(
            "The approved credit limit must be greater than zero.", code="invalid_limit"
        )
    if terms not in CreditApplication.Terms.values:
        raise NuvoError("Choose payment terms.", code="invalid_terms")
    if refusal := limit_reason_refusal(
        application=application, credit_limit=credit_limit, reason=limit_reason
    ):
        raise NuvoError(refusal, code="limit_reason_required")
    reason_line = limit_reason_line(
        application=application, credit_limit=credit_limit, reason=limit_reason
    )
    decisions = chosen_options(member=member, application=application, choices=options or {})
    _decide(
        application,
        to_status=Status.APPROVED,
        condition=separate_approver_condition(member),
        approved_credit_limit=credit_limit,
        approved_terms=terms,
        decision_comment=comment.strip(),
        decided_by=member.user,
    )
    record_event(
        application=application,
        kind=Kind.APPROVED,
        actor=member.user,
        message="\n".join(
            part
            for part in [
                f"Approved ${credit_limit:,.2f} on {CreditApplication.Terms(terms).label}.",
                reason_line,
                comment.strip(),
                *(decision.option.snapshot(decision) for decision in decisions),
            ]
            if part
        ),
    )
    for decision in decisions:
        transaction.on_commit(partial(decision.option.after_approval, decision))
    return application


@transaction.atomic
def application_decline(
    *, member: Member, application: CreditApplication, comment: str
) -> CreditApplication:
    member.require(Role.APPROVER)
    require_same_organization(member, application)
    if not comment.strip():
        raise NuvoError("Say why the application is declined.", code="comment_required")
    _decide(
        application,
        to_status=Status.DECLINED,
        decision_comment=comment.strip(),
        decided_by=member.user,
    )
    record_event(
        application=application, kind=Kind.DECLINED, actor=member.user, message=comment.strip()
    )
    return application
