from dataclasses import dataclass

from django.db.models import Q
from django.shortcuts import get_object_or_404

from certificates.models import TaxExemptionCertificate
from integrations.avalara import ErrorCode
from integrations.models import (
    AvalaraCertificate,
    AvalaraConnection,
    AvalaraCustomer,
    AvalaraSend,
    IntegrationEvent,
)
from nuvo.models import Organization
from nuvo.regions import region_name
from nuvo.roles import Member


def avalara_connection_get(*, organization: Organization) -> AvalaraConnection | None:
    """The connection, with who connected and disconnected; the secret loads (and decrypts)
    only when read, where a wrong key can be handled."""
    return (
        AvalaraConnection.objects.filter(organization=organization)
        .select_related("connected_by", "disconnected_by")
        .defer("secret")
        .first()
    )


def integration_events(*, organization: Organization, limit: int = 20) -> list[IntegrationEvent]:
    return list(IntegrationEvent.objects.filter(organization=organization)[:limit])


def avalara_customer_for(*, customer) -> AvalaraCustomer | None:
    return AvalaraCustomer.objects.filter(customer=customer).first()


def avalara_send_get(*, member: Member, pk: int) -> AvalaraSend:
    return get_object_or_404(
        AvalaraSend.objects.select_related("customer", "application", "customer__avalara"),
        organization=member.organization,
        pk=pk,
    )


def latest_avalara_send(*, customer) -> AvalaraSend | None:
    return AvalaraSend.objects.filter(customer=customer).order_by("-created_at", "-id").first()


@dataclass(frozen=True)
class CertificateProgress:
    row: AvalaraCertificate
    certificate: TaxExemptionCertificate

    @property
    def region_name(self) -> str:
        return region_name(self.row.region)

    @property
    def fix(self) -> tuple[str, str]:
        """For a certificate that needs fixing: what to do, and the page opening at the field."""
        from integrations.checks.problems import fix_url_for
        from integrations.checks.rules import RULES_BY_CODE

        rule = RULES_BY_CODE.get(self.row.error_code)
        if rule is None:
            return "", ""
        return rule.fix, fix_url_for(
            rule.code, customer_id=self.certificate.customer_id, certificate_id=self.certificate.pk
        )

    @property
    def resolution(self) -> str:
        if not self.row.error_code:
            return ""
        try:
            return ErrorCode(self.row.error_code).resolution
        except ValueError:
            return ""


def send_progress(*, send: AvalaraSend) -> list[CertificateProgress]:
    """Each certificate and region of the customer, with where it stands in Avalara."""
    rows = (
        AvalaraCertificate.objects.filter(
            certificate__customer_id=send.customer_id, company_id=send.company_id
        )
        .select_related("certificate")
        .order_by("certificate__uploaded_at", "certificate_id", "region")
    )
    return [CertificateProgress(row=row, certificate=row.certificate) for row in rows]


def avalara_certificate_get(*, member: Member, pk: int) -> AvalaraCertificate:
    return get_object_or_404(
        AvalaraCertificate.objects.select_related("certificate__customer"),
        organization=member.organization,
        pk=pk,
    )


def batch_sends(*, member: Member, batch, shared_ids=()) -> list[AvalaraSend]:
    """A bulk send's sends, and those under way already that its customers joined."""
    return list(
        AvalaraSend.objects.filter(
            Q(batch=batch) | Q(pk__in=list(shared_ids)), organization=member.organization
        )
        .select_related("customer__avalara", "application")
        .order_by("customer__legal_name", "id")
    )


def last_sync_run(*, connection):
    from integrations.models import AvalaraSyncRun

    if connection is None:
        return None
    return AvalaraSyncRun.objects.filter(connection=connection).order_by("-started_at").first()
