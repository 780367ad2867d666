"""Certificates are named by the uploader, or after their regions and reason, never "downloaded"."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from certificates.api.serializers import CertificateSerializer
from certificates.forms import CertificateDetailsForm, CertificateForm, public_certificate_formset
from certificates.models import TaxExemptionCertificate
from certificates.reasons import ExemptionReason
from certificates.services import certificate_default_name, certificate_update
from tests.creditapps.test_api import token_client
from tests.form_tokens import form_token
from tests.integrations.sending.helpers import add_certificate
from tests.pdf_factory import make_pdf

backfill = importlib.import_module("certificates.migrations.0005_certificate_name")


@pytest.mark.parametrize(
    ("regions", "reason", "name"),
    [
        (["TX"], "RESALE", "Texas resale certificate"),
        (["TX", "OH"], "RESALE", "Ohio, Texas resale certificate"),
        (
            ["TX", "OH", "OK"],
            "AGRICULTURE",
            "Ohio, Oklahoma, Texas agricultural production certificate",
        ),
        (["TX", "OH", "OK", "LA"], "RESALE", "Multi-state resale certificate"),
        (["BC"], "COMMERCIAL FISHERY", "British Columbia commercial fishery (Canada) certificate"),
        (["NY"], "CHARITABLE/EXEMPT ORG", "New York charitable organization certificate"),
        ([], "RESALE", "Resale certificate"),
    ],
)
def test_the_default_name_is_the_regions_and_the_reason(regions, reason, name):
    assert certificate_default_name(exempt_regions=regions, exemption_reason=reason) == name


def test_the_migration_names_existing_certificates_as_the_service_would(customer):
    certificate = add_certificate(customer, regions=["TX", "OH"])
    TaxExemptionCertificate.objects.filter(pk=certificate.pk).update(name="")
    certificate.refresh_from_db()
    assert certificate.display_name == "resale-certificate"  # the file's name, as before

    backfill.name_existing_certificates(django_apps, None)

    certificate.refresh_from_db()
    assert certificate.name == "Ohio, Texas resale certificate"
    for reason in ExemptionReason.values:
        for regions in (["TX"], ["TX", "OK"], ["TX", "OK", "LA", "NM"]):
            assert backfill.default_name(regions, reason) == certificate_default_name(
                exempt_regions=regions, exemption_reason=reason
            )


def upload_post(token: str, **fields) -> dict:
    return {
        "form_token": token,
        "file": SimpleUploadedFile("downloaded.pdf", make_pdf(text="TX"), "application/pdf"),
        "exempt_regions": ["TX"],
        "exemption_reason": "RESALE",
        "effective_date": "2026-03-01",
        **fields,
    }


@pytest.mark.parametrize(
    ("given", "stored"),
    [("", "Texas resale certificate"), ("  Lone Star   2026 resale ", "Lone Star 2026 resale")],
)
def test_an_upload_takes_the_name_given_or_the_default(analyst_client, customer, given, stored):
    url = reverse("creditapps:certificate-upload", args=[customer.pk])
    form = analyst_client.get(url).content.decode()
    assert 'Certificate name <span class="optional">(optional)</span>' in form

    response = analyst_client.post(url, upload_post(form_token(analyst_client, url), name=given))

    assert response.status_code == 302
    certificate = customer.certificates.get()
    assert (certificate.name, certificate.original_filename) == (stored, "downloaded.pdf")
    page = analyst_client.get(customer.get_absolute_url()).content.decode()
    assert f">{stored}</a>" in page
    assert '<span class="muted filename">downloaded.pdf</span>' in page


def test_customers_uploading_on_the_public_form_are_not_asked_for_a_name():
    formset = public_certificate_formset()

    assert "name" not in formset.forms[0].fields
    assert "name" in CertificateForm().fields
    assert "name" in CertificateDetailsForm().fields


def test_editing_keeps_a_chosen_name_and_refreshes_a_default_one(analyst, customer):
    chosen = add_certificate(customer, regions=["TX"], text="Chosen", name="Lone Star blanket")
    default = add_certificate(customer, regions=["TX"], text="Default")
    assert default.name == "Texas resale certificate"

    for certificate in (chosen, default):
        certificate_update(
            member=analyst,
            certificate=certificate,
            name=certificate.name,
            exempt_regions=["TX", "OK"],
        )

    assert chosen.name == "Lone Star blanket"
    assert default.name == "Oklahoma, Texas resale certificate"
    assert TaxExemptionCertificate.objects.get(pk=default.pk).name == default.name


def test_clearing_the_name_on_the_edit_page_gives_the_default_back(analyst_client, customer):
    certificate = add_certificate(customer, regions=["OK"], name="Old name")
    edit = reverse("certificates:edit", args=[certificate.pk])
    fields = {
        "exempt_regions": ["OK"],
        "exemption_reason": "RESALE",
        "effective_date": "2026-01-15",
        "tax_id": "12-3456789",
    }
    form = analyst_client.get(edit).content.decode()
    assert 'value="Old name"' in form

    renamed = analyst_client.post(edit, {**fields, "name": "Sooner State blanket"})
    certificate.refresh_from_db()
    assert (renamed.status_code, certificate.name) == (302, "Sooner State blanket")
    analyst_client.post(edit, {**fields, "name": ""})
    certificate.refresh_from_db()
    assert certificate.name == "Oklahoma resale certificate"


def test_the_api_reads_and_writes_the_name(analyst_user, customer):
    api = token_client(analyst_user)
    form = {
        "customer": customer.pk,
        "exempt_regions": ["TX"],
        "exemption_reason": "RESALE",
        "effective_date": "2026-01-15",
    }

    named = api.post(
        "/api/v1/certificates/",
        {**form, "name": "Blanket", "file": SimpleUploadedFile("a.pdf", make_pdf(text="a"))},
        format="multipart",
    )
    unnamed = api.post(
        "/api/v1/certificates/",
        {**form, "file": SimpleUploadedFile("b.pdf", make_pdf(text="b"))},
        format="multipart",
    )

    assert (named.status_code, named.json()["name"]) == (201, "Blanket")
    assert (unnamed.status_code, unnamed.json()["name"]) == (201, "Texas resale certificate")
    listed = api.get("/api/v1/certificates/", {"customer": customer.pk}).json()["results"]
    assert sorted(row["name"] for row in listed) == ["Blanket", "Texas resale certificate"]
    assert "name" in CertificateSerializer.Meta.fields


def test_the_admin_lists_and_searches_certificates_by_name(client, django_user_model, customer):
    operator = django_user_model.objects.create_superuser("operator", password="x-operator-9")
    client.force_login(operator)
    add_certificate(customer, regions=["TX"], name="Lone Star blanket")
    add_certificate(customer, regions=["OK"], text="Other")
    url = reverse("admin:certificates_taxexemptioncertificate_changelist")

    response = client.get(url, {"q": "blanket"})
    page = response.content.decode()

    assert response.status_code == 200
    assert "Lone Star blanket" in page
    assert "Oklahoma resale certificate" not in page


def test_reports_and_the_application_page_show_the_name(analyst_client, application):
    soon = timezone.localdate() + timedelta(days=10)
    add_certificate(
        application.customer, regions=["TX"], name="Lone Star blanket", expiration_date=soon
    )

    reports = analyst_client.get(reverse("creditapps:reports")).content.decode()
    detail = analyst_client.get(application.get_absolute_url()).content.decode()

    assert "Lone Star blanket (TX)" in reports
    assert ">Lone Star blanket</a>" in detail
