from datetime import timedelta

from django.shortcuts import get_object_or_404
from django.utils import timezone

from certificates.models import TaxExemptionCertificate
from certificates.slots import prepare_certificates
from nuvo.roles import Member


def certificates_for_customer(*, customer_id: int) -> list[TaxExemptionCertificate]:
    """The customer's certificates, newest first, prepared for the certificate.status slot."""
    return prepare_certificates(
        TaxExemptionCertificate.objects.filter(customer_id=customer_id)
        .select_related("uploaded_by")
        .order_by("-uploaded_at", "-id")
    )


def customer_has_certificates(*, customer_id: int) -> bool:
    return TaxExemptionCertificate.objects.filter(customer_id=customer_id).exists()


def certificate_list(*, member: Member, customer_id: int | None = None):
    certificates = TaxExemptionCertificate.objects.filter(
        organization=member.organization
    ).order_by("-uploaded_at", "-id")
    if customer_id is not None:
        certificates = certificates.filter(customer_id=customer_id)
    return certificates


def certificate_get(*, member: Member, pk: int) -> TaxExemptionCertificate:
    return get_object_or_404(
        TaxExemptionCertificate.objects.select_related("customer"),
        organization=member.organization,
        pk=pk,
    )


EXPIRED_SHOWN_FOR_DAYS = 365


def certificates_expiring(*, member: Member, within_days: int | None = None):
    """Certificates expired in the last year and those expiring within the organization's
    window, soonest first."""
    window = within_days if within_days is not None else member.organization.expiry_window_days
    today = timezone.localdate()
    return (
        TaxExemptionCertificate.objects.filter(
            organization=member.organization,
            expiration_date__gte=today - timedelta(days=EXPIRED_SHOWN_FOR_DAYS),
            expiration_date__lte=today + timedelta(days=window),
        )
        .select_related("customer")
        .order_by("expiration_date", "id")
    )
