import logging

from celery import shared_task
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from creditapps.models import CreditApplication, InfoRequest
from creditapps.tokens import info_request_url

logger = logging.getLogger(__name__)


# SMTP hiccups are worth a few retries; a 60 s hard limit keeps a hung mail server from
# holding a worker slot.
EMAIL_TASK = {
    "autoretry_for": (OSError,),
    "retry_backoff": True,
    "retry_jitter": True,
    "max_retries": 5,
    "soft_time_limit": 45,
    "time_limit": 60,
}


def _send_once(
    rows,
    sent_field: str,
    *,
    subject: str,
    template: str,
    context,
    to: str,
    failed_field: str = "",
) -> bool:
    """Claim `rows` (one row) by stamping `sent_field`, then send; a row already stamped sends
    nothing (a redelivered task), and a failed send releases the claim for the retry (and stamps
    `failed_field`, if given, so the page can say the email has not gone)."""
    if not rows.filter(**{f"{sent_field}__isnull": True}).update(**{sent_field: timezone.now()}):
        return False
    try:
        send_mail(
            subject=subject,
            message=render_to_string(template, context),
            from_email=None,
            recipient_list=[to],
        )
    except OSError:
        released = {sent_field: None}
        if failed_field:
            released[failed_field] = timezone.now()
        rows.update(**released)
        raise
    if failed_field:
        rows.update(**{failed_field: None})
    return True


def _info_request_with_application(info_request_id: int) -> InfoRequest | None:
    return (
        InfoRequest.objects.select_related("application__customer", "application__organization")
        .filter(pk=info_request_id)
        .first()
    )


@shared_task(**EMAIL_TASK)
def send_info_request_email(info_request_id: int) -> None:
    """Email the customer their Request Info link, once (once more after each Resend)."""
    info_request = _info_request_with_application(info_request_id)
    # Withdrawn (the review resumed) or answered before its turn came: nothing to ask for.
    if info_request is None or info_request.withdrawn_at or info_request.responded_at:
        return
    application = info_request.application
    sent = _send_once(
        InfoRequest.objects.filter(pk=info_request_id),
        "email_sent_at",
        subject=f"{application.organization.name}: information needed for your credit application",
        template="creditapps/email/info_request.txt",
        context={
            "info_request": info_request,
            "application": application,
            "customer": application.customer,
            "organization": application.organization,
            "link": info_request_url(info_request),
        },
        to=info_request.recipient_email,
        failed_field="email_failed_at",
    )
    if sent:
        logger.info("info request email sent id=%s", info_request_id)


@shared_task(**EMAIL_TASK)
def send_info_request_withdrawn_email(info_request_id: int) -> None:
    """Tell the customer a Request Info was withdrawn and its link no longer works, once."""
    info_request = _info_request_with_application(info_request_id)
    if info_request is None or info_request.withdrawn_at is None:
        return
    application = info_request.application
    sent = _send_once(
        InfoRequest.objects.filter(pk=info_request_id),
        "withdrawal_email_sent_at",
        subject=f"{application.organization.name}: no need to answer our request for information",
        template="creditapps/email/info_request_withdrawn.txt",
        context={
            "info_request": info_request,
            "application": application,
            "customer": application.customer,
            "organization": application.organization,
        },
        to=info_request.recipient_email,
    )
    if sent:
        logger.info("info request withdrawal email sent id=%s", info_request_id)


@shared_task(**EMAIL_TASK)
def send_application_receipt_email(application_id: int) -> None:
    """Tell the applicant their application arrived and what happens next, once."""
    application = (
        CreditApplication.objects.select_related("customer", "organization")
        .filter(pk=application_id)
        .first()
    )
    if application is None or not application.customer.email:
        return
    sent = _send_once(
        CreditApplication.objects.filter(pk=application_id),
        "receipt_sent_at",
        subject=f"{application.organization.name}: we received your credit application "
        f"{application.reference}",
        template="creditapps/email/application_receipt.txt",
        context={
            "application": application,
            "customer": application.customer,
            "organization": application.organization,
        },
        to=application.customer.email,
    )
    if sent:
        logger.info("application receipt email sent id=%s", application_id)


@shared_task(ignore_result=True, soft_time_limit=600, time_limit=660)
def request_certificate_renewals() -> None:
    """Daily: where an organization asks for it, request each expiring certificate's renewal
    once (a certificate with a renewal request already is left alone)."""
    from creditapps.services import certificate_renewal_request, due_for_renewal
    from nuvo.errors import NuvoError
    from nuvo.models import Membership, Organization
    from nuvo.roles import member_for

    for organization in Organization.objects.filter(request_renewals_automatically=True):
        analyst = (
            Membership.objects.filter(
                organization=organization,
                role=Membership.Role.CREDIT_ANALYST,
                user__is_active=True,
            )
            .select_related("user")
            .order_by("id")
            .first()
        )
        if analyst is None:
            logger.warning("no analyst to request renewals for organization=%s", organization.pk)
            continue
        member = member_for(analyst.user)
        for certificate in due_for_renewal(organization=organization):
            try:
                certificate_renewal_request(member=member, certificate=certificate, automatic=True)
            except NuvoError as refusal:
                logger.info("renewal of certificate %s not requested: %s", certificate.pk, refusal)
