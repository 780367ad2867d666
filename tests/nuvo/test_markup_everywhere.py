"""Markup and unicode typed into every field (and echoed back by Avalara) is shown as text on
every page that shows it, in file names and download headers, in emails and in CSV exports."""

import csv
import io

import pytest
from django.core import mail
from django.urls import reverse

from certificates.models import TaxExemptionCertificate
from certificates.services import CertificateUpload, certificate_create
from creditapps import services
from creditapps.models import InfoRequest
from integrations.models import AvalaraCertificate
from tests.pdf_factory import make_pdf

SCRIPT = '<script>alert("nuvo")</script>'
IMAGE = "<img src=x onerror=alert(1)>"
UNICODE = "Zoë Ümlaut 株式会社 🚀"


def marked(label: str) -> str:
    return f"{label} {SCRIPT} {UNICODE}"


def shows_as_text(html: str) -> None:
    assert SCRIPT not in html
    assert IMAGE not in html
    assert "&lt;script&gt;alert(&quot;nuvo&quot;)&lt;/script&gt;" in html
    assert UNICODE in html


@pytest.fixture
def hostile(make_customer, make_application, organization):
    customer = make_customer(
        legal_name=marked("Legal"),
        contact_name=marked("Contact"),
        address_line1=marked("Street"),
        city=marked("City"),
        email="zoe@bücher.example",
    )
    application = make_application(customer=customer)
    certificate = certificate_create(
        customer=customer,
        upload=CertificateUpload(
            content=make_pdf(text="Resale"),
            filename=f'{IMAGE}"\r\nX-Injected: 1 {UNICODE}.pdf',
            exempt_regions=["TX"],
            exemption_reason="RESALE",
            effective_date="2026-01-15",
            tax_id="12-3456789",
        ),
        source=TaxExemptionCertificate.Source.STAFF_UPLOAD,
    )
    AvalaraCertificate.objects.create(
        organization=organization,
        certificate=certificate,
        region="TX",
        company_id=1,
        state=AvalaraCertificate.State.FAILED,
        error_code="CERTIFICATE_UPLOAD_FAILED",
        error_message=marked('=HYPERLINK("http://x") Avalara said'),
    )
    return customer, application, certificate


def test_every_page_showing_the_records_shows_the_markup_as_text(analyst_client, hostile):
    customer, application, certificate = hostile
    pages = [
        reverse("creditapps:customer-list"),
        reverse("creditapps:customer-list") + "?q=" + SCRIPT,
        reverse("creditapps:customer-detail", args=[customer.pk]),
        reverse("creditapps:customer-edit", args=[customer.pk]),
        reverse("creditapps:application-list"),
        reverse("creditapps:application-detail", args=[application.pk]),
        reverse("certificates:preview", args=[certificate.pk]),
        reverse("avalara:failed-api-calls"),
    ]

    for url in pages:
        response = analyst_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert SCRIPT not in html, url
        assert IMAGE not in html, url
    shows_as_text(analyst_client.get(pages[2]).content.decode())


def test_a_file_name_with_markup_and_a_line_break_cannot_break_the_download_header(
    analyst_client, hostile
):
    _customer, _application, certificate = hostile

    response = analyst_client.get(reverse("certificates:file", args=[certificate.pk]))

    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "\r" not in disposition
    assert "\n" not in disposition
    assert "X-Injected" not in response.headers
    certificate.refresh_from_db()
    assert "\r" not in certificate.original_filename
    assert "\n" not in certificate.original_filename


def test_the_failed_calls_csv_keeps_markup_as_text_and_defuses_formulas(analyst_client, hostile):
    response = analyst_client.get(reverse("avalara:failed-api-calls") + "?format=csv")

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    cells = [cell for row in rows[1:] for cell in row]
    assert any(SCRIPT in cell and UNICODE in cell for cell in cells)  # text, as typed
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]


def test_a_request_info_email_shows_the_names_as_text(
    analyst, hostile, django_capture_on_commit_callbacks
):
    _customer, application, _certificate = hostile
    services.application_start_review(member=analyst, application=application)

    with django_capture_on_commit_callbacks(execute=True):
        services.application_request_info(
            member=analyst,
            application=application,
            items=[InfoRequest.Item.OTHER],
            message=marked("Please send"),
        )

    (email,) = mail.outbox
    assert SCRIPT in email.body
    assert UNICODE in email.body
    for html, _type in getattr(email, "alternatives", []):
        shows_as_text(html)
