"""Stored PDFs are only ever downloaded, never shown by the browser; previews are images."""

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from certificates.models import TaxExemptionCertificate
from certificates.services import certificate_create
from integrations.models import AvalaraOnlyCertificate
from tests.creditapps.test_services import certificate_upload
from tests.pdf_factory import make_fillable_form

# Every route that answers with a stored PDF. A new one must be added here (see the last test).
PDF_ROUTES = {
    "certificates:file",
    "api:certificate-download",
    "avalara:only-certificate-file",
}
FILE_HEADERS = {
    "Content-Type": "application/pdf",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "private, no-store",
}


@pytest.fixture
def form_with_scripts(customer) -> TaxExemptionCertificate:
    return certificate_create(
        customer=customer,
        upload=certificate_upload(make_fillable_form(), filename="tx-form.pdf"),
        source=TaxExemptionCertificate.Source.STAFF_UPLOAD,
    )


@pytest.fixture
def avalara_copy(customer) -> AvalaraOnlyCertificate:
    only = AvalaraOnlyCertificate.objects.create(
        organization_id=customer.organization_id,
        customer=customer,
        company_id=1,
        avalara_id=77,
        filename="from-certcapture.pdf",
    )
    only.file.save("1-77.pdf", ContentFile(make_fillable_form()), save=True)
    return only


def fetch(route: str, analyst_user, certificate, only):
    if route == "api:certificate-download":
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=analyst_user)}")
        return client.get(reverse(route, args=[certificate.pk]))
    client = APIClient()
    client.force_login(analyst_user)
    target = only if route.startswith("avalara:") else certificate
    return client.get(reverse(route, args=[target.pk]))


@pytest.mark.parametrize("route", sorted(PDF_ROUTES))
def test_every_pdf_route_serves_an_attachment_the_browser_cannot_run(
    route, analyst_user, form_with_scripts, avalara_copy
):
    response = fetch(route, analyst_user, form_with_scripts, avalara_copy)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert {header: response[header] for header in FILE_HEADERS} == FILE_HEADERS
    assert b"".join(response.streaming_content) == make_fillable_form()


def _route_names(resolver=None, namespace: str = "") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _route_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def test_every_file_or_download_route_is_checked_above():
    routes = {name for name in _route_names() if "file" in name or "download" in name}

    assert routes == PDF_ROUTES


def test_a_form_with_scripts_is_marked_for_staff_and_previewed_as_images(
    analyst_client, form_with_scripts
):
    customer_page = analyst_client.get(form_with_scripts.customer.get_absolute_url())
    preview = analyst_client.get(reverse("certificates:preview", args=[form_with_scripts.pk]))
    page = analyst_client.get(reverse("certificates:page-image", args=[form_with_scripts.pk, 1]))

    html = preview.content.decode()
    assert form_with_scripts.has_scripts is True
    assert ">Form scripts</span>" in customer_page.content.decode()
    assert "This PDF's form fields carry JavaScript." in html
    assert html.count('<img src="/certificates/') == 1
    for tag in ("<iframe", "<embed", "<object"):
        assert tag not in html
    assert page["Content-Type"] == "image/png"
    assert page.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert page["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_a_certificate_without_scripts_carries_no_mark(analyst_client, customer, pdf_bytes):
    plain = certificate_create(
        customer=customer,
        upload=certificate_upload(pdf_bytes),
        source=TaxExemptionCertificate.Source.STAFF_UPLOAD,
    )

    preview = analyst_client.get(reverse("certificates:preview", args=[plain.pk]))
    customer_page = analyst_client.get(customer.get_absolute_url())

    assert "data-has-scripts" not in preview.content.decode()
    assert "Form scripts" not in customer_page.content.decode()


def test_the_api_says_which_certificates_carry_scripts(analyst_user, form_with_scripts):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=analyst_user)}")

    listed = client.get("/api/v1/certificates/").json()

    assert [row["has_scripts"] for row in listed["results"]] == [True]


def test_a_preview_is_drawn_without_a_form_environment(monkeypatch):
    # PDFium runs form actions only inside a form-fill environment (init_forms); the preview
    # never creates one, so a form's scripts cannot run while its pages are drawn.
    import pypdfium2

    from certificates.previews import render_page

    def refuse(*args, **kwargs):
        raise AssertionError("the preview initialised PDFium's forms")

    monkeypatch.setattr(pypdfium2.PdfDocument, "init_forms", refuse)

    png = render_page(make_fillable_form(), page=1, width=96)

    assert png.startswith(b"\x89PNG\r\n\x1a\n")
