"""Request Info: ask the customer for what is missing; they answer through a signed link."""

from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from certificates.models import TaxExemptionCertificate
from certificates.services import CertificateUpload
from creditapps.models import ApplicationEvent, CreditApplication, InfoRequest
from creditapps.services.intake import file_certificates
from creditapps.services.timeline import customer_actor_name, record_event
from creditapps.services.transitions import Status, require_same_organization, transition
from nuvo.errors import NuvoError
from nuvo.roles import Member, Role

Kind = ApplicationEvent.Kind


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
    require_same_organization(member, application)
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
        transition(
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
            email_requested_at=now,
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
    """Go back to reviewing without waiting for the customer; their link stops working, and a
    customer who was emailed the link is told the request is withdrawn."""
    from creditapps.tasks import send_info_request_withdrawn_email

    member.require(Role.CREDIT_ANALYST)
    require_same_organization(member, application)
    transition(application, from_statuses=[Status.INFO_REQUESTED], to_status=Status.IN_REVIEW)
    now = timezone.now()
    live = InfoRequest.objects.filter(
        application=application, responded_at__isnull=True, expires_at__gt=now
    )
    # Only a customer who was emailed the link is told; an email not yet sent never goes.
    told = list(live.filter(email_sent_at__isnull=False).values_list("pk", flat=True))
    live.update(withdrawn_at=now)
    _close_open_info_requests(application, now=now)
    record_event(
        application=application,
        kind=Kind.REVIEW_RESUMED,
        actor=member.user,
        message="Resumed without the customer's answer; the Request Info link no longer works."
        + (" The customer was told by email." if told else ""),
    )
    for pk in told:
        send_info_request_withdrawn_email.delay_on_commit(pk)
    return application


RESEND_INTERVAL = timedelta(minutes=1)


@transaction.atomic
def info_request_resend(*, member: Member, info_request: InfoRequest) -> InfoRequest:
    """Email the customer the same link again; at most once a minute, and only while it works."""
    from creditapps.tasks import send_info_request_email

    application = info_request.application
    member.require(Role.CREDIT_ANALYST)
    require_same_organization(member, application)
    now = timezone.now()
    open_now = InfoRequest.objects.filter(
        pk=info_request.pk, responded_at__isnull=True, expires_at__gt=now
    )
    if not open_now.exists():
        raise NuvoError(
            "This request is closed, so its link no longer works. Send a new Request Info.",
            code="request_closed",
        )
    resent = open_now.exclude(email_requested_at__gt=now - RESEND_INTERVAL).update(
        email_requested_at=now, email_sent_at=None, email_failed_at=None
    )
    if not resent:
        raise NuvoError(
            f"The email to {info_request.recipient_email} was sent less than a minute ago. "
            "Wait a minute before sending it again.",
            code="resent_too_soon",
        )
    record_event(
        application=application,
        kind=Kind.INFO_REQUEST_RESENT,
        actor=member.user,
        message=f"Emailed the Request Info link to {info_request.recipient_email} again.",
    )
    send_info_request_email.delay_on_commit(info_request.pk)
    info_request.refresh_from_db()
    return info_request


def info_request_respond(
    *, info_request: InfoRequest, message: str, certificates: Sequence[CertificateUpload]
) -> InfoRequest:
    """The customer answers a Request Info: certificates are filed and review resumes."""
    application = info_request.application
    if info_request.responded_at is not None:
        raise NuvoError("This request has already been answered.", code="already_answered")
    if info_request.expires_at <= timezone.now():
        raise NuvoError("This link has expired.", code="expired")
    if not message.strip() and not certificates:
        raise NuvoError(
            "Upload a document or write a message before submitting.", code="empty_response"
        )
    actor_name = customer_actor_name(application)
    with file_certificates(
        source=TaxExemptionCertificate.Source.INFO_REQUEST, actor_name=actor_name
    ) as filing:
        claimed = InfoRequest.objects.filter(pk=info_request.pk, responded_at__isnull=True).update(
            responded_at=timezone.now(), response_message=message.strip()
        )
        if claimed != 1:
            raise NuvoError("This request has already been answered.", code="already_answered")
        filing.add_all(certificates, customer=application.customer, application=application)
        if not info_request.renewal_of_id or application.is_waiting_for_customer:
            transition(
                application, from_statuses=[Status.INFO_REQUESTED], to_status=Status.IN_REVIEW
            )
        summary = f"{len(certificates)} certificate(s) uploaded." if certificates else ""
        record_event(
            application=application,
            kind=Kind.INFO_RECEIVED,
            actor_name=actor_name,
            message="\n".join(part for part in [summary, message.strip()] if part),
        )
    info_request.refresh_from_db()
    return info_request
