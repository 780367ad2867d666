"""What an approver needs: the applications waiting for them, and what the Approve dialog shows.

"Needs my approval" respects separation of duties: with the organization's setting on, an
application the member sent for approval themselves waits for someone else, so it is not theirs.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from creditapps.models import ApplicationEvent, CreditApplication
from creditapps.services.duties import separate_approver_condition
from nuvo.regions import region_name
from nuvo.roles import Member

NEEDS_MY_APPROVAL = "needs-my-approval"


def waiting_for_approval(applications: QuerySet[CreditApplication]) -> QuerySet:
    return applications.filter(
        status=CreditApplication.Status.IN_REVIEW, approval_requested_at__isnull=False
    )


def needing_approval_by(applications: QuerySet[CreditApplication], *, member: Member) -> QuerySet:
    return waiting_for_approval(applications).filter(separate_approver_condition(member))


def needs_my_approval_count(*, member: Member) -> int:
    """One COUNT query; 0 without asking for members who do not approve."""
    if not member.is_approver:
        return 0
    mine = CreditApplication.objects.filter(organization=member.organization)
    return needing_approval_by(mine, member=member).count()


@dataclass(frozen=True)
class ApprovalRequest:
    """The analyst's "Send for approval": who, when, and the note they wrote."""

    sent_by: str
    sent_at: datetime | None
    note: str


def approval_request_for(*, application: CreditApplication) -> ApprovalRequest | None:
    if application.approval_requested_at is None:
        return None
    event = (
        application.events.filter(kind=ApplicationEvent.Kind.APPROVAL_REQUESTED)
        .order_by("-created_at", "-id")
        .first()
    )
    return ApprovalRequest(
        sent_by=event.actor_name if event else "",
        sent_at=application.approval_requested_at,
        note=event.message if event else "",
    )


@dataclass(frozen=True)
class CertificateSummary:
    count: int
    covered: list[str]
    expired: int
    # Ship-to states the customer named that no unexpired certificate covers.
    uncovered_ship_to: list[str]


def certificate_summary(*, customer, certificates) -> CertificateSummary:
    """The certificates on file in a sentence's worth: how many, where, how many expired."""
    live = [certificate for certificate in certificates if not certificate.is_expired]
    covered_codes = sorted({code for certificate in live for code in certificate.exempt_regions})
    return CertificateSummary(
        count=len(certificates),
        covered=[region_name(code) for code in covered_codes],
        expired=len(certificates) - len(live),
        uncovered_ship_to=[
            region_name(code) for code in customer.ship_to_states if code not in covered_codes
        ],
    )
