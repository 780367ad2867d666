"""Certificate uploads through the public form, Request Info links, the staff dialog and the API:
active content is refused or marked, anonymous uploads get the lower limits, and one request's
files share one CPU budget."""

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from certificates import pdf
from certificates.models import TaxExemptionCertificate
from creditapps import services
from creditapps.models import CreditApplication, InfoRequest
from creditapps.tokens import info_request_token
from tests.creditapps.test_views import _public_form_data
from tests.form_tokens import certificate_upload_token, public_apply_token
from tests.pdf_factory import (
    make_fillable_form,
    make_html_polyglot,
    make_pdf,
    make_pdf_with_embedded_file,
    make_pdf_with_launch,
    make_pdf_with_open_action_script,
)

REFUSED = {
    "open action script": (
        make_pdf_with_open_action_script,
        "This PDF runs scripts outside its form fields.",
    ),
    "launch action": (make_pdf_with_launch, "This PDF can start other programs or open other"),
    "embedded file": (make_pdf_with_embedded_file, "This PDF has other files attached inside it."),
    "html polyglot": (make_html_polyglot, "This file contains web page code."),
}


def upload(content: bytes, name: str = "certificate.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def with_certificates(organization, *contents: bytes) -> dict:
    """The public form with these files, and a fresh one-time token as a new page carries."""
    data = _public_form_data(
        **{
            "certificates-TOTAL_FORMS": str(max(2, len(contents))),
            "form_token": public_apply_token(organization),
        }
    )
    for index, content in enumerate(contents):
        data[f"certificates-{index}-file"] = upload(content, f"cert-{index}.pdf")
        data[f"certificates-{index}-exempt_regions"] = ["WA"]
        data[f"certificates-{index}-exemption_reason"] = "RESALE"
        data[f"certificates-{index}-effective_date"] = "2026-01-01"
    return data


def stored_files(settings) -> list:
    folder = settings.MEDIA_ROOT / "certificates"
    return sorted(folder.rglob("*.pdf")) if folder.exists() else []


@pytest.mark.parametrize("kind", REFUSED)
def test_public_form_refuses_active_content_and_stores_nothing(
    client, organization, kind, settings
):
    build, message = REFUSED[kind]

    response = client.post(
        organization.get_public_form_url(), with_certificates(organization, build())
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert CreditApplication.objects.count() == 0
    assert TaxExemptionCertificate.objects.count() == 0
    assert stored_files(settings) == []


def test_public_form_keeps_a_fillable_form_with_field_scripts_and_marks_it(client, organization):
    content = make_fillable_form()

    response = client.post(
        organization.get_public_form_url(), with_certificates(organization, content)
    )

    assert response.status_code == 302
    certificate = TaxExemptionCertificate.objects.get()
    assert certificate.has_scripts is True
    with certificate.file.open("rb") as stored:
        assert stored.read() == content  # kept, and later forwarded to Avalara, as uploaded


def test_public_form_files_share_one_cpu_budget(client, organization, settings):
    settings.NUVO_PDF_CPU_SECONDS_PER_REQUEST = 1e-9
    readers = []
    real_reader = pdf._IntakeReader

    def counting_reader(*args, **kwargs):
        readers.append(args)
        return real_reader(*args, **kwargs)

    with mock.patch.object(pdf, "_IntakeReader", counting_reader):
        response = client.post(
            organization.get_public_form_url(),
            with_certificates(organization, *(make_pdf(text=str(n)) for n in range(4))),
        )

    html = response.content.decode()
    # Each file says so beside its field, and once more in the error summary at the top.
    assert html.count("These files took too long to check.") == 2 * 4
    assert len(readers) == 1  # the first file spent the budget; the others were not parsed
    assert CreditApplication.objects.count() == 0


def test_public_form_refuses_a_file_over_the_anonymous_size_that_staff_may_upload(
    client, analyst_client, organization, customer, settings
):
    content = make_pdf()
    settings.NUVO_PUBLIC_MAX_FILE_BYTES = 512
    assert len(content) > 512

    public = client.post(
        organization.get_public_form_url(), with_certificates(organization, content)
    )
    staff = analyst_client.post(
        reverse("creditapps:certificate-upload", args=[customer.pk]),
        {
            "file": upload(content),
            "exempt_regions": ["WA"],
            "exemption_reason": "RESALE",
            "effective_date": "2026-01-01",
            "form_token": certificate_upload_token(customer),
        },
    )

    assert "This file is larger than 512 bytes." in public.content.decode()
    assert CreditApplication.objects.count() == 0
    assert staff.status_code == 302
    assert customer.certificates.count() == 1


def test_public_form_refuses_files_over_the_anonymous_total(client, organization, settings):
    first, second = make_pdf(text="one"), make_pdf(text="two")
    settings.NUVO_PUBLIC_MAX_TOTAL_BYTES = 1024
    assert len(first) <= 1024 < len(first) + len(second)

    response = client.post(
        organization.get_public_form_url(), with_certificates(organization, first, second)
    )

    assert "These files are larger than 1 KB together." in response.content.decode()
    assert CreditApplication.objects.count() == 0


def test_public_form_takes_at_most_the_anonymous_number_of_files(client, organization, settings):
    settings.NUVO_PUBLIC_MAX_FILES = 2

    response = client.post(
        organization.get_public_form_url(),
        with_certificates(organization, *(make_pdf(text=str(n)) for n in range(3))),
    )

    assert "Please submit at most 2 forms." in response.content.decode()
    assert CreditApplication.objects.count() == 0


@pytest.fixture
def info_request(analyst, make_application) -> InfoRequest:
    application = make_application(status=CreditApplication.Status.IN_REVIEW)
    return services.application_request_info(
        member=analyst,
        application=application,
        items=[InfoRequest.Item.TAX_EXEMPTION_CERTIFICATES],
        message="Please upload your certificate.",
    )


def test_request_info_link_uses_the_anonymous_limits(client, info_request, settings):
    settings.NUVO_PUBLIC_MAX_FILE_BYTES = 512
    url = reverse("creditapps:info-request-respond", args=[info_request_token(info_request)])
    data = {
        "message": "Here it is.",
        "certificates-TOTAL_FORMS": "1",
        "certificates-INITIAL_FORMS": "0",
        "certificates-0-file": upload(make_pdf()),
        "certificates-0-exempt_regions": ["WA"],
        "certificates-0-exemption_reason": "RESALE",
        "certificates-0-effective_date": "2026-01-01",
    }

    response = client.post(url, data)

    assert "This file is larger than 512 bytes." in response.content.decode()
    info_request.refresh_from_db()
    assert info_request.responded_at is None


@pytest.mark.parametrize("kind", REFUSED)
def test_staff_dialog_refuses_active_content(analyst_client, customer, kind):
    build, message = REFUSED[kind]

    response = analyst_client.post(
        reverse("creditapps:certificate-upload", args=[customer.pk]),
        {
            "file": upload(build()),
            "exempt_regions": ["TX"],
            "exemption_reason": "RESALE",
            "effective_date": "2026-03-01",
        },
    )

    assert message in response.content.decode()
    assert customer.certificates.count() == 0


def api_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user)}")
    return client


def api_upload(client, customer, content: bytes):
    return client.post(
        "/api/v1/certificates/",
        {
            "customer": customer.pk,
            "file": upload(content),
            "exempt_regions": ["TX"],
            "exemption_reason": "RESALE",
            "effective_date": "2026-01-01",
        },
        format="multipart",
    )


def test_api_marks_a_form_with_scripts_and_refuses_a_launch_action(analyst_user, customer):
    client = api_client(analyst_user)

    kept = api_upload(client, customer, make_fillable_form())
    refused = api_upload(client, customer, make_pdf_with_launch())

    assert kept.status_code == 201
    assert kept.json()["has_scripts"] is True
    assert refused.status_code == 400
    assert refused.json() == {
        "code": "launch",
        "detail": "This PDF can start other programs or open other files. "
        "Print it to a new PDF and upload that instead.",
    }
    assert customer.certificates.count() == 1
