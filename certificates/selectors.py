from datetime import timedelta

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from certificates.models import TaxExemptionCertificate
from creditapps.models import Customer
from creditapps.roles import Member


def certificates_for_customer(*, customer: Customer) -> QuerySet[TaxExemptionCertificate]:
    return customer.certificates.select_related("uploaded_by").order_by("-uploaded_at", "-id")


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


def certificates_expiring(*, member: Member, within_days: int = 60):
    today = timezone.localdate()
    return (
        TaxExemptionCertificate.objects.filter(
            organization=member.organization,
            expiration_date__gte=today,
            expiration_date__lte=today + timedelta(days=within_days),
        )
        .select_related("customer")
        .order_by("expiration_date", "id")
    )
