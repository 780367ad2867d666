"""Asking a customer for a renewed certificate before (or after) one expires.

A renewal is a Request Info with tax-exemption certificates preselected and the expiring
certificate named. On an open application it works as any Request Info; on a decided one
(most customers with certificates on file are approved) the application keeps its status and
the customer's answer just files the new certificate.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from certificates.models import TaxExemptionCertificate
from creditapps.models import ApplicationEvent, CreditApplication, InfoRequest
from creditapps.services.info_requests import application_request_info
from creditapps.services.timeline import record_event
from nuvo.errors import NuvoError
from nuvo.roles import Member, Role


def renewal_message(certificate: TaxExemptionCertificate) -> str:
    regions = ", ".join(certificate.region_names)
    when = certificate.expiration_date.strftime("%B %-d, %Y")
    verb = "expired on" if certificate.is_expired else "expires on"
    return (
        f"Your tax-exemption certificate {certificate.display_name} ({regions}) {verb} {when}. "
        "Please upload a renewed certificate so we can keep your purchases tax-exempt."
    )


def certificate_renewal_request(
    *, member: Member, certificate: TaxExemptionCertificate, automatic: bool = False
) -> InfoRequest:
    """Send the customer a Request Info for a renewal of `certificate`."""
    member.require(Role.CREDIT_ANALYST)
    if certificate.organization_id != member.organization.pk:
        raise ValueError("certificate is outside the member's organization")
    if certificate.expiration_date is None:
        raise NuvoError("This certificate does not expire.", code="does_not_expire")
    application = (
        CreditApplication.objects.filter(customer_id=certificate.customer_id)
        .select_related("customer")
        .order_by("-created_at", "-id")
        .first()
    )
    if application is None:
        raise NuvoError(
            "The customer has no credit application to send the request from.",
            code="no_application",
        )
    if application.can_request_info:
        info_request = application_request_info(
            member=member,
            application=application,
            items=[InfoRequest.Item.TAX_EXEMPTION_CERTIFICATES],
            message=renewal_message(certificate),
        )
        InfoRequest.objects.filter(pk=info_request.pk).update(renewal_of=certificate)
        return info_request
    return _renewal_on_a_settled_application(member, application, certificate, automatic)


def _renewal_on_a_settled_application(member, application, certificate, automatic):
    from creditapps.tasks import send_info_request_email

    recipient = application.customer.email
    if not recipient:
        raise NuvoError(
            "The customer has no email address. Add one to the customer before requesting info.",
            code="no_recipient",
        )
    now = timezone.now()
    with transaction.atomic():
        InfoRequest.objects.filter(
            application=application, responded_at__isnull=True, expires_at__gt=now
        ).update(expires_at=now)
        info_request = InfoRequest.objects.create(
            application=application,
            requested_by=member.user,
            recipient_email=recipient,
            requested_items=[InfoRequest.Item.TAX_EXEMPTION_CERTIFICATES],
            message=renewal_message(certificate),
            renewal_of=certificate,
            expires_at=now + timedelta(days=settings.NUVO_INFO_REQUEST_MAX_AGE_DAYS),
        )
        record_event(
            application=application,
            kind=ApplicationEvent.Kind.INFO_REQUESTED,
            actor=member.user,
            actor_name="" if not automatic else f"Nuvo (for {member.user.get_username()})",
            message=f"Requested a renewal of {certificate.display_name} from {recipient}.",
        )
        send_info_request_email.delay_on_commit(info_request.pk)
    return info_request


def due_for_renewal(*, organization) -> list[TaxExemptionCertificate]:
    """Certificates within the window (or expired) that no renewal has been asked for yet."""
    today = timezone.localdate()
    return list(
        TaxExemptionCertificate.objects.filter(
            organization=organization,
            expiration_date__isnull=False,
            expiration_date__lte=today + timedelta(days=organization.expiry_window_days),
            expiration_date__gte=today - timedelta(days=30),
            renewal_requests__isnull=True,
        ).select_related("customer")
    )
