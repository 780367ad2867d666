import logging

from celery import shared_task
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from creditapps.models import InfoRequest
from creditapps.tokens import info_request_url

logger = logging.getLogger(__name__)


# SMTP hiccups are worth a few retries; a 60 s hard limit keeps a hung mail server from
# holding a worker slot.
@shared_task(
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=45,
    time_limit=60,
)
def send_info_request_email(info_request_id: int) -> None:
    """Email the customer their Request Info link, once."""
    info_request = (
        InfoRequest.objects.select_related("application__customer", "application__organization")
        .filter(pk=info_request_id)
        .first()
    )
    if info_request is None:
        return
    claimed = InfoRequest.objects.filter(pk=info_request_id, email_sent_at__isnull=True).update(
        email_sent_at=timezone.now()
    )
    if not claimed:
        return
    application = info_request.application
    context = {
        "info_request": info_request,
        "application": application,
        "customer": application.customer,
        "organization": application.organization,
        "link": info_request_url(info_request),
    }
    try:
        send_mail(
            subject=f"{application.organization.name}: "
            "information needed for your credit application",
            message=render_to_string("creditapps/email/info_request.txt", context),
            from_email=None,
            recipient_list=[info_request.recipient_email],
        )
    except OSError:
        # Release the claim so the retry (or a later one) sends it.
        InfoRequest.objects.filter(pk=info_request_id).update(email_sent_at=None)
        raise
    logger.info("info request email sent id=%s", info_request_id)
