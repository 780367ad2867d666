"""Shared set-up for the Send to Avalara tests: a connected organization and its certificates."""

from datetime import date

from certificates.models import TaxExemptionCertificate
from certificates.reasons import ExemptionReason
from certificates.services import CertificateUpload, certificate_create
from integrations import services
from tests.pdf_factory import make_pdf

DEMO_USER, DEMO_PASSWORD = "nuvo-demo", "avalara-demo"
# The simulator's older account: ping without a company, and its own exemption reason names.
LICENSE_ACCOUNT, LICENSE_KEY = "2000100002", "A1B2C3D4E5F6A7B8"
COMPANY_ID = 7100001


def connect(member, username=DEMO_USER, password=DEMO_PASSWORD):
    return services.avalara_connect(
        member=member, environment="sandbox", username=username, password=password
    )


def add_certificate(
    customer,
    *,
    regions=("TX",),
    reason=ExemptionReason.RESALE,
    text="Resale certificate",
    effective=date(2026, 1, 15),
    tax_id="12-3456789",  # Streamlined Sales Tax states need one (the pre-send checks)
    **fields,
) -> TaxExemptionCertificate:
    return certificate_create(
        customer=customer,
        upload=CertificateUpload(
            content=make_pdf(text=f"{text} {customer.pk} {'-'.join(regions)}"),
            filename=f"{text.lower().replace(' ', '-')}.pdf",
            exempt_regions=list(regions),
            exemption_reason=reason,
            effective_date=effective,
            tax_id=tax_id,
            **fields,
        ),
        source=TaxExemptionCertificate.Source.STAFF_UPLOAD,
    )


def company(simulator, company_id=COMPANY_ID):
    return simulator.state.companies[company_id]
