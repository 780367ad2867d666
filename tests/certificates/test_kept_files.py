"""A certificate file that passed intake survives a failed submit ("file.pdf — Change") on the
public form, the Request Info page and the staff Upload certificate dialog; it is the form's
alone, counts toward the request's limits, is consumed by the submit that files it, and is
deleted after a day if the form is never sent."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from certificates.models import PendingUpload, TaxExemptionCertificate
from creditapps import services
from creditapps.models import CreditApplication, InfoRequest
from creditapps.tokens import info_request_token
from tests.form_tokens import certificate_upload_token, public_apply_token
from tests.pdf_factory import make_pdf

Status = CreditApplication.Status
KEPT = re.compile(
    r'<input type="hidden" name="(certificates-\d+-file_kept|file_kept)" value="([^"]+)">'
)

APPLICANT = {
    "customer-legal_name": "Cascade Hardware Co.",
    "customer-contact_name": "Ben Okafor",
    "customer-email": "ben@cascade.example",
    "customer-address_line1": "88 Pike St",
    "customer-city": "Seattle",
    "customer-region": "WA",
    "customer-postal_code": "98101",
    "customer-country": "US",
    "terms-requested_credit_limit": "25000",
    "terms-requested_terms": "net_45",
    "references-TOTAL_FORMS": "1",
    "references-INITIAL_FORMS": "0",
    "tax_exempt": "yes",
    "certificates-TOTAL_FORMS": "1",
    "certificates-INITIAL_FORMS": "0",
    "certificates-0-exempt_regions": ["WA"],
    "certificates-0-exemption_reason": "RESALE",
    "certificates-0-effective_date": "2026-01-01",
}


def pdf_upload(content: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def kept_keys(html: str) -> dict[str, str]:
    return dict(KEPT.findall(html))


@pytest.fixture
def token(organization) -> str:
    return public_apply_token(organization)


def apply(client, organization, token, **fields):
    return client.post(
        organization.get_public_form_url(), {**APPLICANT, "form_token": token, **fields}
    )


def test_a_valid_pdf_is_kept_when_another_field_is_missing_and_filed_on_the_next_submit(
    client, organization, token, settings, django_capture_on_commit_callbacks
):
    content = make_pdf(text="Washington reseller permit")

    refused = apply(
        client,
        organization,
        token,
        **{"customer-city": "", "certificates-0-file": pdf_upload(content, "wa-resale.pdf")},
    )

    html = refused.content.decode()
    assert refused.status_code == 200
    assert (
        '<span class="kept-file-name">wa-resale.pdf</span> — <details class="kept-file-change">'
        in html
    )
    assert (
        '<summary>Change<span class="visually-hidden"> the file wa-resale.pdf</span></summary>'
        in html
    )
    key = kept_keys(html)["certificates-0-file_kept"]
    pending = PendingUpload.objects.get()
    assert pending.key == key
    assert len(key) >= 40
    assert pending.original_filename == "wa-resale.pdf"
    stored_path = pending.file.path
    with pending.file.open("rb") as kept:
        assert kept.read() == content

    with django_capture_on_commit_callbacks(execute=True):
        filed = apply(client, organization, token, **{"certificates-0-file_kept": key})

    assert filed.status_code == 302
    certificate = CreditApplication.objects.get().customer.certificates.get()
    assert certificate.original_filename == "wa-resale.pdf"
    assert certificate.file.read() == content
    assert PendingUpload.objects.count() == 0
    assert not (settings.MEDIA_ROOT / stored_path).exists()


def test_a_kept_file_is_only_for_the_form_that_kept_it(client, organization, token):
    html = apply(
        client,
        organization,
        token,
        **{"customer-city": "", "certificates-0-file": pdf_upload(make_pdf(), "a.pdf")},
    ).content.decode()
    key = kept_keys(html)["certificates-0-file_kept"]

    other_form = apply(
        client, organization, public_apply_token(organization), **{"certificates-0-file_kept": key}
    )

    assert other_form.status_code == 200
    assert "Choose a PDF of the certificate" in other_form.content.decode()
    assert CreditApplication.objects.count() == 0


def test_a_new_file_replaces_the_kept_one(client, organization, token):
    first = apply(
        client,
        organization,
        token,
        **{"customer-city": "", "certificates-0-file": pdf_upload(make_pdf(text="1"), "old.pdf")},
    )
    key = kept_keys(first.content.decode())["certificates-0-file_kept"]

    response = apply(
        client,
        organization,
        token,
        **{
            "certificates-0-file_kept": key,
            "certificates-0-file": pdf_upload(make_pdf(text="2"), "new.pdf"),
        },
    )

    assert response.status_code == 302
    assert (
        CreditApplication.objects.get().customer.certificates.get().original_filename == "new.pdf"
    )
    assert PendingUpload.objects.count() == 0


def test_a_refused_file_is_not_kept(client, organization, token):
    html = apply(
        client,
        organization,
        token,
        **{"customer-city": "", "certificates-0-file": pdf_upload(b"not a pdf", "x.pdf")},
    ).content.decode()

    assert "This file is not a PDF." in html
    assert kept_keys(html) == {}
    assert PendingUpload.objects.count() == 0


def test_no_to_tax_exempt_keeps_nothing(client, organization, token):
    response = apply(
        client,
        organization,
        token,
        **{
            "tax_exempt": "no",
            "customer-city": "",
            "certificates-0-file": pdf_upload(make_pdf(), "a.pdf"),
        },
    )

    assert response.status_code == 200
    assert PendingUpload.objects.count() == 0


def test_a_kept_file_counts_toward_the_requests_bytes(client, organization, token, settings):
    first = make_pdf(text="first")
    settings.NUVO_PUBLIC_MAX_TOTAL_BYTES = len(first) + 10
    key = kept_keys(
        apply(
            client,
            organization,
            token,
            **{"customer-city": "", "certificates-0-file": pdf_upload(first, "first.pdf")},
        ).content.decode()
    )["certificates-0-file_kept"]

    response = apply(
        client,
        organization,
        token,
        **{
            "certificates-TOTAL_FORMS": "2",
            "certificates-0-file_kept": key,
            "certificates-1-file": pdf_upload(make_pdf(text="second"), "second.pdf"),
            "certificates-1-exempt_regions": ["OR"],
            "certificates-1-exemption_reason": "RESALE",
            "certificates-1-effective_date": "2026-01-01",
        },
    )

    assert "together. Upload fewer or smaller files." in response.content.decode()
    assert CreditApplication.objects.count() == 0


def test_a_kept_file_older_than_a_day_is_not_used_and_is_cleaned_up(
    client, organization, token, settings
):
    html = apply(
        client,
        organization,
        token,
        **{"customer-city": "", "certificates-0-file": pdf_upload(make_pdf(), "a.pdf")},
    ).content.decode()
    key = kept_keys(html)["certificates-0-file_kept"]
    pending = PendingUpload.objects.get()
    path = pending.file.path
    PendingUpload.objects.update(created_at=timezone.now() - timedelta(days=1, seconds=1))

    late = apply(client, organization, token, **{"certificates-0-file_kept": key})
    assert "Choose a PDF of the certificate" in late.content.decode()

    PendingUpload.objects.create(
        key="fresh",
        owner="someone",
        file="pending/fresh.pdf",
        original_filename="f.pdf",
        file_size=1,
        page_count=1,
        sha256="0" * 64,
    )
    call_command("delete_stale_pending_uploads")

    assert list(PendingUpload.objects.values_list("key", flat=True)) == ["fresh"]
    assert not (settings.MEDIA_ROOT / path).exists()


def test_beat_runs_the_cleanup_hourly(settings):
    from certificates.tasks import delete_stale_pending_uploads

    schedule = settings.CELERY_BEAT_SCHEDULE["delete-stale-pending-uploads"]

    assert schedule == {"task": delete_stale_pending_uploads.name, "schedule": 3600}


def test_a_kept_file_survives_an_add_another_without_script(client, organization, token):
    html = apply(
        client,
        organization,
        token,
        add_block="certificates",
        **{"certificates-0-file": pdf_upload(make_pdf(), "a.pdf")},
    ).content.decode()

    assert 'name="certificates-TOTAL_FORMS" value="2"' in html
    assert "certificates-0-file_kept" in kept_keys(html)
    assert "error-summary" not in html


@pytest.fixture
def info_request(analyst, make_application) -> InfoRequest:
    return services.application_request_info(
        member=analyst,
        application=make_application(status=Status.IN_REVIEW),
        items=[InfoRequest.Item.TAX_EXEMPTION_CERTIFICATES],
    )


def test_the_request_info_page_keeps_a_file_across_a_failed_answer(client, info_request):
    url = reverse("creditapps:info-request-respond", args=[info_request_token(info_request)])
    answer = {
        "message": "Attached.",
        "certificates-TOTAL_FORMS": "1",
        "certificates-INITIAL_FORMS": "0",
        "certificates-0-exempt_regions": ["TX"],
        "certificates-0-exemption_reason": "RESALE",
    }

    refused = client.post(url, {**answer, "certificates-0-file": pdf_upload(make_pdf(), "tx.pdf")})
    html = refused.content.decode()
    assert "Enter the effective date printed on the certificate" in html
    assert '<span class="kept-file-name">tx.pdf</span>' in html
    key = kept_keys(html)["certificates-0-file_kept"]

    answered = client.post(
        url,
        {
            **answer,
            "certificates-0-file_kept": key,
            "certificates-0-effective_date": "2026-02-01",
        },
    )

    assert answered.status_code == 302
    customer = info_request.application.customer
    assert customer.certificates.get().original_filename == "tx.pdf"
    assert PendingUpload.objects.count() == 0


def test_the_staff_upload_dialog_keeps_a_file_across_a_failed_upload(analyst_client, customer):
    url = reverse("creditapps:certificate-upload", args=[customer.pk])
    token = certificate_upload_token(customer)
    content = make_pdf(text="Texas")
    fields = {"form_token": token, "exempt_regions": ["TX"], "exemption_reason": "RESALE"}

    refused = analyst_client.post(url, {**fields, "file": pdf_upload(content, "tx-resale.pdf")})
    html = refused.content.decode()
    assert "<title>Error: Upload certificate" in html
    assert 'role="alert" tabindex="-1"' in html
    assert (
        '<a href="#id_effective_date">Enter the effective date printed on the certificate</a>'
        in html
    )
    assert '<span class="kept-file-name">tx-resale.pdf</span>' in html
    key = kept_keys(html)["file_kept"]

    uploaded = analyst_client.post(
        url, {**fields, "file_kept": key, "effective_date": "2026-03-01"}
    )

    assert uploaded.status_code == 302
    certificate = TaxExemptionCertificate.objects.get(customer=customer)
    assert certificate.original_filename == "tx-resale.pdf"
    assert certificate.file.read() == content
    assert PendingUpload.objects.count() == 0
