"""The AvaTax client's certificate, attachment and link calls, via `responses`."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime

import pytest

from integrations.avalara import AvalaraResponseError, Certificate, CertificateInput, ErrorCode
from tests.integrations.avalara_helpers import (
    CERTIFICATE_ID,
    CERTIFICATE_INPUT,
    CERTIFICATE_URL,
    COMPANY_ID,
    COMPANY_URL,
    CUSTOMER_CODE,
    PDF,
    assert_sent,
    load,
)

# The fixtures this module uses (pytest finds them here); `sleeps` is autouse.
from tests.integrations.avalara_helpers import client_fixture as client_fixture
from tests.integrations.avalara_helpers import mocked_fixture as mocked_fixture
from tests.integrations.avalara_helpers import sleeps_fixture as sleeps_fixture

# Certificates --------------------------------------------------------------------------------


def test_create_certificates_posts_an_array_with_the_pdf_inline(client, mocked) -> None:
    url = f"{COMPANY_URL}/certificates?$preValidatedExemptionReason=true"
    mocked.post(url, json=load("certificates_created.json"), status=201)
    certificate_input = CertificateInput(
        signed_date=date(2025, 1, 31),
        expiration_date=date(2028, 12, 31),
        exemption_reason="RESALE",
        exposure_zone_name="Washington",
        pdf=PDF,
        customer_codes=[CUSTOMER_CODE],
        exemption_number="WA-RESALE-4471",
        po_numbers=["PO-1001"],
        valid=True,
        exempt_percentage=100.0,
    )

    certificates = client.create_certificates(
        COMPANY_ID, [certificate_input], pre_validated_exemption_reason=True
    )

    assert_sent(
        mocked.calls[0],
        "POST",
        url,
        json_body=[
            {
                "signedDate": "2025-01-31",
                "expirationDate": "2028-12-31",
                "exemptionReason": {"name": "RESALE"},
                "exposureZone": {"name": "Washington"},
                "pdf": base64.b64encode(PDF).decode("ascii"),
                "customers": [{"companyId": COMPANY_ID, "customerCode": CUSTOMER_CODE}],
                "exemptionNumber": "WA-RESALE-4471",
                "poNumbers": [{"poNumber": "PO-1001"}],
                "valid": True,
                "exemptPercentage": 100.0,
            }
        ],
    )
    assert [(certificate.id, certificate.status) for certificate in certificates] == [
        (CERTIFICATE_ID, "PENDING")
    ]


def test_a_certificate_created_without_its_pdf_names_the_file_to_attach_later() -> None:
    certificate_input = CertificateInput(
        signed_date=date(2025, 1, 31),
        expiration_date=date(2028, 12, 31),
        exemption_reason="RESALE",
        exposure_zone_name="Washington",
        filename="wa-resale.pdf",
    )

    payload = certificate_input.to_payload(COMPANY_ID)

    assert payload["filename"] == "wa-resale.pdf"
    assert "pdf" not in payload
    assert "isSingleCertificate" not in payload


def test_a_certificate_input_needs_exactly_one_of_pdf_or_filename() -> None:
    for document in ({}, {"pdf": PDF, "filename": "both.pdf"}):
        with pytest.raises(ValueError, match="exactly one of pdf or filename"):
            CertificateInput(
                signed_date=date(2025, 1, 31),
                expiration_date=date(2028, 12, 31),
                exemption_reason="RESALE",
                exposure_zone_name="Washington",
                **document,
            )


def test_create_certificates_leaves_out_unset_optional_fields(client, mocked) -> None:
    url = f"{COMPANY_URL}/certificates"
    mocked.post(url, json=load("certificates_created.json"), status=201)

    client.create_certificates(COMPANY_ID, [CERTIFICATE_INPUT])

    sent = json.loads(mocked.calls[0].request.body)
    assert mocked.calls[0].request.url == url
    assert sorted(sent[0]) == [
        "customers",
        "exemptionNumber",
        "exemptionReason",
        "expirationDate",
        "exposureZone",
        "pdf",
        "signedDate",
    ]


def test_create_certificates_rejected_by_certcapture_keeps_its_description(client, mocked) -> None:
    mocked.post(
        f"{COMPANY_URL}/certificates", json=load("error_certificates_error.json"), status=400
    )

    with pytest.raises(AvalaraResponseError) as caught:
        client.create_certificates(COMPANY_ID, [CERTIFICATE_INPUT])

    error = caught.value
    assert (error.code, error.retryable, error.avalara_code) == (
        ErrorCode.CERTIFICATE_UPLOAD_FAILED,
        False,
        "CertificatesError",
    )
    assert json.loads(error.details[0].description)["code"] == "100110"


def test_certificate_input_repr_leaves_out_the_pdf() -> None:
    assert "pdf" not in repr(CERTIFICATE_INPUT)
    assert CERTIFICATE_INPUT.customer_codes == (CUSTOMER_CODE,)


def test_upload_certificate_attachment_sends_one_multipart_file_field(client, mocked) -> None:
    url = f"{CERTIFICATE_URL}/attachment"
    mocked.post(url, json="OK")

    result = client.upload_certificate_attachment(COMPANY_ID, CERTIFICATE_ID, PDF, "cert 1.pdf")

    request = mocked.calls[0].request
    assert_sent(mocked.calls[0], "POST", url)
    assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert b'Content-Disposition: form-data; name="file"; filename="cert 1.pdf"' in request.body
    assert b"Content-Type: application/pdf" in request.body
    assert PDF in request.body
    assert request.body.count(b"Content-Disposition") == 1
    assert result is None


def test_upload_certificate_attachment_with_an_unexpected_body_is_unknown_error(
    client, mocked
) -> None:
    mocked.post(f"{CERTIFICATE_URL}/attachment", json={"unexpected": True})

    with pytest.raises(AvalaraResponseError) as caught:
        client.upload_certificate_attachment(COMPANY_ID, CERTIFICATE_ID, PDF, "cert.pdf")

    assert (caught.value.code, caught.value.retryable) == (ErrorCode.UNKNOWN_ERROR, True)


def test_download_certificate_attachment_returns_the_pdf_bytes(client, mocked) -> None:
    url = f"{CERTIFICATE_URL}/attachment?$type=Pdf"
    mocked.get(url, body=PDF, content_type="application/pdf")

    content = client.download_certificate_attachment(COMPANY_ID, CERTIFICATE_ID)

    assert_sent(mocked.calls[0], "GET", url)
    assert mocked.calls[0].request.headers["Accept"] == "*/*"
    assert content == PDF


def test_download_certificate_attachment_asks_for_a_jpeg_page(client, mocked) -> None:
    url = f"{CERTIFICATE_URL}/attachment?$type=Jpeg&$page=2"
    mocked.get(url, body=b"\xff\xd8\xff\xe0jpeg", content_type="image/jpeg")

    content = client.download_certificate_attachment(
        COMPANY_ID, CERTIFICATE_ID, type="Jpeg", page=2
    )

    assert mocked.calls[0].request.url == url
    assert content == b"\xff\xd8\xff\xe0jpeg"


def test_link_certificates_to_customer_posts_the_certificate_ids(client, mocked) -> None:
    url = f"{COMPANY_URL}/customers/ACME%2FWEST%20%231/certificates/link"
    mocked.post(url, json=load("certificates_linked.json"))

    certificates = client.link_certificates_to_customer(COMPANY_ID, "ACME/WEST #1", [9921, 9922])

    assert_sent(mocked.calls[0], "POST", url, json_body={"certificates": [9921, 9922]})
    assert [certificate.id for certificate in certificates] == [CERTIFICATE_ID]


def test_link_customers_to_certificate_posts_the_customer_codes(client, mocked) -> None:
    url = f"{CERTIFICATE_URL}/customers/link"
    mocked.post(url, json=load("customers_linked.json"))

    customers = client.link_customers_to_certificate(COMPANY_ID, CERTIFICATE_ID, [CUSTOMER_CODE])

    assert_sent(mocked.calls[0], "POST", url, json_body={"customers": [CUSTOMER_CODE]})
    assert [customer.customer_code for customer in customers] == [CUSTOMER_CODE]


def test_get_certificate_parses_dates_zone_reason_customers_and_po_numbers(client, mocked) -> None:
    url = f"{CERTIFICATE_URL}?$include=customers%2Cpo_numbers"
    mocked.get(url, json=load("certificate.json"))

    certificate = client.get_certificate(
        COMPANY_ID, CERTIFICATE_ID, include=("customers", "po_numbers")
    )

    assert_sent(mocked.calls[0], "GET", url)
    assert certificate == Certificate(
        id=CERTIFICATE_ID,
        company_id=COMPANY_ID,
        signed_date=date(2025, 1, 31),
        expiration_date=date(2028, 12, 31),
        filename="9921.pdf",
        document_exists=True,
        valid=True,
        verified=False,
        exempt_percentage=100.0,
        exemption_number="WA-RESALE-4471",
        exemption_reason="RESALE",
        status="PENDING",
        ecm_status="Valid",
        exposure_zone="Washington",
        exposure_zone_region="WA",
        exposure_zone_country="US",
        is_single_certificate=False,
        page_count=2,
        customer_codes=(CUSTOMER_CODE,),
        po_numbers=("PO-1001",),
        created_date=datetime(2025, 2, 3, 17, 30, 12, 500000, tzinfo=UTC),
        modified_date=date(2025, 2, 3),
        validated_exemption_reason="RESALE",
    )


def test_newer_fields_are_read_ecms_status_and_why_a_certificate_is_invalid() -> None:
    wire = {
        **load("certificate.json"),
        "ecmsStatus": "Active",
        "invalidReasons": [{"id": 3, "name": "SIGNATURE MISSING"}, "EXPIRED"],
    }

    certificate = Certificate.from_wire(wire)

    assert certificate.ecms_status == "Active"
    assert certificate.invalid_reasons == ("SIGNATURE MISSING", "EXPIRED")
    assert certificate.exposure_zone_country == "US"


def test_a_page_of_certificates_is_read_by_skip_with_one_order(client, mocked) -> None:
    url = (
        f"{COMPANY_URL}/certificates?$include=customers&$filter=modifiedDate%20ge%20%272026-11-30%27"
        "&$top=1000&$skip=2000&$orderBy=id%20ASC"
    )
    mocked.get(url, json={"@recordsetCount": 2001, "value": [load("certificate.json")]})

    page = client.query_certificates_page(
        COMPANY_ID,
        skip=2000,
        top=1000,
        order_by="id ASC",
        filter="modifiedDate ge '2026-11-30'",
        include="customers",
    )

    assert [certificate.id for certificate in page.certificates] == [CERTIFICATE_ID]
    assert page.next_skip is None


def test_a_page_skip_that_is_not_a_multiple_of_top_is_refused_before_any_call(client) -> None:
    with pytest.raises(ValueError, match="multiple"):
        client.query_certificates_page(COMPANY_ID, skip=10, top=1000, order_by="id ASC")


def test_query_certificates_sends_filter_include_page_size_and_order(client, mocked) -> None:
    url = (
        f"{COMPANY_URL}/certificates?$include=customers&$filter=valid%20eq%20true"
        "&$top=100&$orderBy=id%20DESC"
    )
    mocked.get(url, json=load("certificates_for_customer.json"))

    certificates = client.query_certificates(
        COMPANY_ID, filter="valid eq true", include="customers", top=100, order_by="id DESC"
    )

    assert_sent(mocked.calls[0], "GET", url)
    assert [certificate.customer_codes for certificate in certificates] == [(CUSTOMER_CODE,)]


def test_list_certificates_for_customer_includes_customers_by_default(client, mocked) -> None:
    url = f"{COMPANY_URL}/customers/Acme%20%232/certificates?$include=customers"
    mocked.get(url, json=load("certificates_for_customer.json"))

    certificates = client.list_certificates_for_customer(COMPANY_ID, "Acme #2")

    assert_sent(mocked.calls[0], "GET", url)
    assert [certificate.id for certificate in certificates] == [CERTIFICATE_ID]
