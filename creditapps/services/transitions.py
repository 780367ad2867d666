"""Guarded updates: a single conditional UPDATE decides, so of two racing callers exactly one wins,
on SQLite and PostgreSQL alike (SQLite has no row locks)."""

from collections.abc import Iterable, Sequence

from django.db.models import Q
from django.utils import timezone

from creditapps.models import CreditApplication
from nuvo.errors import InvalidTransition
from nuvo.roles import Member

Status = CreditApplication.Status
OPEN_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.INFO_REQUESTED)
AWAITING_APPROVAL = Q(approval_requested_at__isnull=False)


def guarded_update(
    application: CreditApplication,
    *,
    from_statuses: Iterable[str],
    condition: Q | None = None,
    refusal: str = "",
    **changes,
) -> None:
    """Apply `changes` only if the application is still in `from_statuses` (and meets `condition`).

    The application is refreshed either way; the loser gets InvalidTransition with `refusal`.
    """
    from_statuses = tuple(from_statuses)
    candidates = CreditApplication.objects.filter(pk=application.pk, status__in=from_statuses)
    if condition is not None:
        candidates = candidates.filter(condition)
    updated = candidates.update(updated_at=timezone.now(), **changes)
    application.refresh_from_db()
    if updated != 1:
        raise InvalidTransition(
            refusal
            or f"{application.reference} is {application.get_status_display().lower()}; "
            f"this action needs it to be {_status_list(from_statuses)}."
        )


def transition(
    application: CreditApplication, *, from_statuses: Iterable[str], to_status: str, **changes
) -> None:
    """Move the application to `to_status` with a guarded update."""
    guarded_update(application, from_statuses=from_statuses, status=to_status, **changes)


def require_same_organization(member: Member, application: CreditApplication) -> None:
    if application.organization_id != member.organization.pk:
        raise ValueError("application is outside the member's organization")


def _status_list(statuses: Sequence[str]) -> str:
    labels = [Status(status).label.lower() for status in statuses]
    return " or ".join(labels)
