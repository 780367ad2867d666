"""The anonymous pages under load from one client or many: rates, request size, uploads on disk."""

import random
from unittest import mock

import pytest
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.test import Client
from django.urls import reverse

from certificates.pdf import read_upload, validate_pdf
from creditapps import services
from creditapps.models import CreditApplication, Customer, InfoRequest
from creditapps.tokens import info_request_token
from tests.creditapps.test_views import _public_form_data as _form_fields
from tests.creditapps.test_views import _upload
from tests.form_tokens import certificate_upload_token, public_apply_token
from tests.pdf_factory import make_pdf

MiB = 1024 * 1024


def _public_form_data(organization, **extra) -> dict:
    """The form's fields with a fresh one-time token, as a new page of the form would carry."""
    return _form_fields(**{"form_token": public_apply_token(organization), **extra})


def _post_from(ip: str, organization, index: int, **extra):
    data = _public_form_data(
        organization, **{"customer-legal_name": f"Applicant {index} LLC", **extra}
    )
    return Client(REMOTE_ADDR=ip).post(organization.get_public_form_url(), data)


def _pdf_of_about(megabytes: int, seed: int) -> bytes:
    """A valid PDF of about this size: random text compresses to a little over half."""
    text = random.Random(seed).randbytes(megabytes * MiB).hex()
    return make_pdf(text=text)


def _certificate_fields(index: int, content: bytes) -> dict:
    return {
        f"certificates-{index}-file": _upload(content, f"{index}.pdf"),
        f"certificates-{index}-exempt_regions": ["WA"],
        f"certificates-{index}-exemption_reason": "RESALE",
        f"certificates-{index}-effective_date": "2026-01-01",
    }


def test_forty_applications_from_one_address_are_not_all_accepted(organization):
    # The probe's figure: 40 anonymous applications in 4.8 s, every one accepted.
    responses = [_post_from("203.0.113.7", organization, index) for index in range(40)]

    statuses = [response.status_code for response in responses]
    assert statuses == [302] * 20 + [429] * 20
    assert CreditApplication.objects.count() == 20
    refused = responses[-1]
    assert "Too many attempts from your connection" in refused.content.decode()
    assert 0 < int(refused["Retry-After"]) <= 3600


def test_forty_applications_from_forty_addresses_stop_at_the_form_limit(organization):
    statuses = [
        _post_from(f"198.51.100.{index}", organization, index).status_code for index in range(40)
    ]

    assert statuses == [302] * 30 + [429] * 10
    assert CreditApplication.objects.count() == 30


def test_each_public_form_has_its_own_limit(organization, other_organization, settings):
    settings.NUVO_PUBLIC_RATE_PER_FORM = "1/h"

    first = _post_from("198.51.100.1", organization, 1)
    again = _post_from("198.51.100.2", organization, 2)
    elsewhere = _post_from("198.51.100.3", other_organization, 3)

    assert (first.status_code, again.status_code, elsewhere.status_code) == (302, 429, 302)
    assert sorted(Customer.objects.values_list("organization__slug", flat=True)) == [
        "acme",
        "rival",
    ]


def test_a_limited_post_is_refused_before_its_pdfs_are_read(organization, settings):
    settings.NUVO_PUBLIC_RATE_PER_IP = "1/h"
    _post_from("203.0.113.7", organization, 0)

    with mock.patch("certificates.forms.validate_pdf", wraps=validate_pdf) as checked:
        response = _post_from(
            "203.0.113.7", organization, 1, **_certificate_fields(0, make_pdf(text="late"))
        )

    assert response.status_code == 429
    assert checked.call_count == 0
    assert CreditApplication.objects.count() == 1


def test_the_form_still_opens_for_an_address_over_the_limit(organization, settings):
    settings.NUVO_PUBLIC_RATE_PER_IP = "1/h"
    client = Client(REMOTE_ADDR="203.0.113.7")
    client.post(organization.get_public_form_url(), _public_form_data(organization))

    assert (
        client.post(organization.get_public_form_url(), _public_form_data(organization)).status_code
        == 429
    )
    assert client.get(organization.get_public_form_url()).status_code == 200


def test_another_address_is_not_held_back_by_one_over_the_limit(organization, settings):
    settings.NUVO_PUBLIC_RATE_PER_IP = "1/h"

    statuses = [
        _post_from(ip, organization, index).status_code
        for index, ip in enumerate(["203.0.113.7", "203.0.113.7", "203.0.113.8"])
    ]

    assert statuses == [302, 429, 302]


def test_a_forged_forwarded_for_header_does_not_reset_the_count(organization, settings):
    settings.NUVO_PUBLIC_RATE_PER_IP = "1/h"
    url = organization.get_public_form_url()
    client = Client(REMOTE_ADDR="203.0.113.7")

    statuses = [
        client.post(
            url, _public_form_data(organization), HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"
        ).status_code
        for n in range(3)
    ]

    assert statuses == [302, 429, 429]


def test_behind_a_configured_proxy_each_forwarded_client_is_counted(organization, settings):
    settings.NUVO_PUBLIC_RATE_PER_IP = "1/h"
    settings.NUVO_PROXY_COUNT = 1
    url = organization.get_public_form_url()
    proxy = Client(REMOTE_ADDR="10.0.0.2")

    statuses = [
        proxy.post(url, _public_form_data(organization), HTTP_X_FORWARDED_FOR=client_ip).status_code
        for client_ip in ["203.0.113.7", "203.0.113.7", "203.0.113.8"]
    ]

    assert statuses == [302, 429, 302]


@pytest.fixture
def info_request_url(analyst, make_application) -> str:
    application = make_application(status=CreditApplication.Status.IN_REVIEW)
    info_request = services.application_request_info(
        member=analyst,
        application=application,
        items=[InfoRequest.Item.TAX_EXEMPTION_CERTIFICATES],
        message="Please upload your resale certificate.",
    )
    return reverse("creditapps:info-request-respond", args=[info_request_token(info_request)])


def test_request_info_answers_share_the_address_limit(organization, info_request_url, settings):
    settings.NUVO_PUBLIC_RATE_PER_IP = "1/h"
    client = Client(REMOTE_ADDR="203.0.113.7")
    client.post(organization.get_public_form_url(), _public_form_data(organization))

    response = client.post(
        info_request_url,
        {"message": "Here", "certificates-TOTAL_FORMS": "0", "certificates-INITIAL_FORMS": "0"},
    )

    assert response.status_code == 429
    assert InfoRequest.objects.get().responded_at is None


# Request size


def test_ten_files_of_nine_point_nine_megabytes_are_refused_unread(organization):
    # The probe's figure: four such posts in parallel took the server from 122 MB to 914 MB.
    # The Content-Length header alone decides, so the test does not build 99 MB.
    claimed = 10 * int(9.9 * MiB) + 64 * 1024

    with mock.patch("certificates.forms.read_upload") as read:
        response = Client().post(
            organization.get_public_form_url(),
            _public_form_data(organization),
            CONTENT_LENGTH=str(claimed),
        )

    assert response.status_code == 413
    assert "up to 25 MB in total" in response.content.decode()
    assert read.call_count == 0
    assert CreditApplication.objects.count() == 0


def test_an_anonymous_request_over_the_public_cap_is_refused(organization, settings):
    settings.NUVO_PUBLIC_MAX_REQUEST_BYTES = 1 * MiB
    data = _public_form_data(
        organization,
        **_certificate_fields(0, _pdf_of_about(1, seed=1)),
        **_certificate_fields(1, _pdf_of_about(1, seed=2)),
    )

    response = Client().post(organization.get_public_form_url(), data)

    assert response.status_code == 413
    assert "up to 1 MB in total" in response.content.decode()
    assert CreditApplication.objects.count() == 0


def test_staff_uploads_keep_the_larger_cap(analyst_client, customer, settings):
    settings.NUVO_PUBLIC_MAX_REQUEST_BYTES = 1 * MiB
    content = _pdf_of_about(2, seed=3)

    response = analyst_client.post(
        reverse("creditapps:certificate-upload", args=[customer.pk]),
        {
            "file": _upload(content, "large.pdf"),
            "exempt_regions": ["TX"],
            "exemption_reason": "RESALE",
            "effective_date": "2026-01-01",
            "form_token": certificate_upload_token(customer),
        },
    )

    assert response.status_code == 302
    assert customer.certificates.get().file_size == len(content)


def test_public_uploads_are_streamed_to_temporary_files_and_read_once(organization):
    content = make_pdf(text="small certificate")
    data = _public_form_data(organization, **_certificate_fields(0, content))

    with mock.patch("certificates.forms.read_upload", wraps=read_upload) as read:
        response = Client().post(organization.get_public_form_url(), data)

    assert response.status_code == 302
    ((uploaded,), _) = read.call_args
    assert read.call_count == 1
    assert isinstance(uploaded, TemporaryUploadedFile)
