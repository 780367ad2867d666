"""Checks on an approval: separation of duties, and a reason for exceeding the requested limit.

The Approve dialog, the API and the approving service ask the same questions, so the button,
the form and the refusal always agree.
"""

from decimal import Decimal

from django.db.models import Q

from creditapps.models import CreditApplication
from nuvo.roles import Member

SAME_PERSON = "You sent this application for approval, so another approver must approve it."


def approval_refusal(*, member: Member, application: CreditApplication) -> str:
    """Why this member may not approve this application, or "" if they may."""
    requester = application.approval_requested_by_id
    if member.organization.separate_approval_duties and requester == member.user.pk:
        return SAME_PERSON
    return ""


def separate_approver_condition(member: Member) -> Q:
    """The same rule as a condition of the approving UPDATE, so a stale page cannot slip past."""
    if not member.organization.separate_approval_duties:
        return Q()
    return ~Q(approval_requested_by=member.user)


def limit_reason_refusal(
    *, application: CreditApplication, credit_limit: Decimal | None, reason: str
) -> str:
    """An approved limit above the requested one needs a reason; "" when none is needed."""
    requested = application.requested_credit_limit
    if credit_limit is not None and credit_limit > requested and not reason.strip():
        return f"Enter why the approved limit is above the requested ${requested:,.2f}."
    return ""


def limit_reason_line(*, application: CreditApplication, credit_limit: Decimal, reason: str) -> str:
    """The reason as the timeline keeps it; "" when the limit is within the request."""
    requested = application.requested_credit_limit
    if credit_limit <= requested or not reason.strip():
        return ""
    return f"Above the requested ${requested:,.2f}: {reason.strip()}"
