"""The AvaTax client at the wire: `responses` for every method, a loopback server for retries."""

from __future__ import annotations

import base64
import json
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
import responses

from integrations.avalara import (
    PRODUCTION_BASE_URL,
    SANDBOX_BASE_URL,
    AvalaraConnectionError,
    AvalaraResponseError,
    AvaTaxClient,
    Certificate,
    CertificateInput,
    Company,
    Customer,
    CustomerInput,
    ErrorCode,
    ExemptionReason,
    ExposureZone,
    PingResult,
    ProvisionStatus,
    base_url_for,
)
from integrations.avalara import client as client_module
from tests.pdf_factory import make_pdf

BASE_URL = SANDBOX_BASE_URL
API = f"{BASE_URL}/api/v2"
USERNAME = "nuvo-api@example.org"
PASSWORD = "Tr0ub4dor&3-never-logged"
BASIC_AUTH = "Basic " + base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
CLIENT_HEADER = "Nuvo; 0.1.0; Nuvo AvaTax client; 0.1.0; test-host"
COMPANY_ID = 7370914
CUSTOMER_CODE = "NUVO_5f0c6f9e-2b7d-4c1a-9a55-3f1e0b7c2d41"
CERTIFICATE_ID = 9921
COMPANY_URL = f"{API}/companies/{COMPANY_ID}"
CUSTOMER_URL = f"{COMPANY_URL}/customers/{CUSTOMER_CODE}"
CERTIFICATE_URL = f"{COMPANY_URL}/certificates/{CERTIFICATE_ID}"
CORRELATION_ID = "0f8fad5b-d9cb-469f-a165-70867728950e"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "avalara"
PDF = make_pdf(pages=2)
HTML_BODY = "<html><body><h1>Please sign in to the proxy</h1></body></html>"

CUSTOMER_INPUT = CustomerInput(
    customer_code=CUSTOMER_CODE,
    name="Acme Hardware LLC",
    line1="100 Ravine Lane",
    line2="Suite 200",
    city="Bainbridge Island",
    region="WA",
    postal_code="98110",
    country="US",
    email_address="ap@acme.example",
    phone_number="(206) 555-1212",
)
CERTIFICATE_INPUT = CertificateInput(
    signed_date=date(2025, 1, 31),
    expiration_date=date(2028, 12, 31),
    exemption_reason="RESALE",
    exposure_zone_name="Washington",
    pdf=PDF,
    customer_codes=[CUSTOMER_CODE],
    exemption_number="WA-RESALE-4471",
)


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def make_client(**overrides: Any) -> AvaTaxClient:
    options: dict[str, Any] = {
        "base_url": BASE_URL,
        "username": USERNAME,
        "password": PASSWORD,
        "machine_name": "test-host",
    }
    options.update(overrides)
    return AvaTaxClient(**options)


@pytest.fixture
def client() -> Iterator[AvaTaxClient]:
    avatax = make_client()
    yield avatax
    avatax.close()


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


@pytest.fixture(autouse=True)
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every retry wait, recorded instead of slept."""
    waits: list[float] = []
    monkeypatch.setattr(client_module, "_sleep", waits.append)
    return waits


def assert_sent(call: Any, method: str, url: str, *, json_body: Any = None) -> None:
    request = call.request
    assert request.method == method
    assert request.url == url
    assert request.headers["Authorization"] == BASIC_AUTH
    assert request.headers["X-Avalara-Client"] == CLIENT_HEADER
    assert request.req_kwargs["timeout"] == (5.0, 15.0)
    if json_body is not None:
        assert request.headers["Content-Type"] == "application/json"
        assert json.loads(request.body) == json_body


# Construction --------------------------------------------------------------------------------


def test_base_url_for_picks_avalaras_hosts_by_environment() -> None:
    assert base_url_for("sandbox", None) == "https://sandbox-rest.avatax.com"
    assert base_url_for("production", "") == "https://rest.avatax.com"
    assert (SANDBOX_BASE_URL, PRODUCTION_BASE_URL) == (
        "https://sandbox-rest.avatax.com",
        "https://rest.avatax.com",
    )


def test_base_url_for_prefers_a_non_empty_override() -> None:
    assert base_url_for("production", "http://127.0.0.1:8765/") == "http://127.0.0.1:8765"
    assert base_url_for("sandbox", "   ") == SANDBOX_BASE_URL


def test_base_url_for_rejects_an_unknown_environment() -> None:
    with pytest.raises(ValueError, match="'staging'"):
        base_url_for("staging", None)


def test_client_repr_shows_base_url_and_username_only() -> None:
    avatax = make_client()

    assert repr(avatax) == (
        "AvaTaxClient(base_url='https://sandbox-rest.avatax.com', username='nuvo-api@example.org')"
    )
    assert PASSWORD not in str(avatax)


def test_client_header_follows_avalaras_format_with_the_host_name_by_default() -> None:
    avatax = make_client(machine_name=None)

    assert avatax.client_header == f"Nuvo; 0.1.0; Nuvo AvaTax client; 0.1.0; {socket.gethostname()}"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"base_url": "sandbox-rest.avatax.com"}, "base_url"),
        ({"password": ""}, "username and password"),
        ({"username": ""}, "username and password"),
        ({"timeout": (5.0, 0)}, "timeout"),
    ],
)
def test_client_rejects_unusable_configuration(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_client(**overrides)


# Ping and companies --------------------------------------------------------------------------


def test_ping_parses_an_authenticated_answer(client, mocked) -> None:
    mocked.get(
        f"{API}/utilities/ping",
        json=load("ping_authenticated.json"),
        headers={"x-correlation-id": CORRELATION_ID},
    )

    result = client.ping()

    assert_sent(mocked.calls[0], "GET", f"{API}/utilities/ping")
    assert mocked.calls[0].request.headers["Accept"] == "application/json"
    assert result == PingResult(
        version="24.12.1",
        authenticated=True,
        authentication_type="UsernamePassword",
        authenticated_user_name="nuvo-api@example.org",
        authenticated_user_id=1234567,
        authenticated_account_id=2000123456,
        authenticated_company_id=7370914,
    )


def test_ping_with_wrong_credentials_is_a_200_with_authenticated_false_not_an_error(
    client, mocked
) -> None:
    mocked.get(f"{API}/utilities/ping", json=load("ping_unauthenticated.json"))

    result = client.ping()

    assert result == PingResult(
        version="24.12.1",
        authenticated=False,
        authentication_type="None",
        authenticated_user_name="",
        authenticated_user_id=None,
        authenticated_account_id=None,
        authenticated_company_id=None,
    )


def test_ping_with_a_license_key_may_carry_no_company_id(client, mocked) -> None:
    mocked.get(f"{API}/utilities/ping", json=load("ping_authenticated_license_key.json"))

    result = client.ping()

    assert result.authenticated is True
    assert result.authentication_type == "AccountIdLicenseKey"
    assert result.authenticated_account_id == 2000123456
    assert result.authenticated_company_id is None


def test_query_companies_encodes_every_odata_parameter(client, mocked) -> None:
    url = (
        f"{API}/companies?$include=Parameters&$filter=isActive%20eq%20true"
        "&$top=10&$skip=20&$orderBy=name%20ASC"
    )
    mocked.get(url, json=load("companies_default.json"))

    companies = client.query_companies(
        filter="isActive eq true", include="Parameters", top=10, skip=20, order_by="name ASC"
    )

    assert_sent(mocked.calls[0], "GET", url)
    assert [company.id for company in companies] == [7370914]


def test_get_default_company_filters_on_is_default(client, mocked) -> None:
    url = f"{API}/companies?$filter=isDefault%20eq%20true"
    mocked.get(url, json=load("companies_default.json"))

    company = client.get_default_company()

    assert_sent(mocked.calls[0], "GET", url)
    assert company == Company(
        id=7370914,
        account_id=2000123456,
        company_code="DEFAULT",
        name="Nuvo Test Supplies",
        is_default=True,
        is_active=True,
        is_test=True,
        default_country="US",
    )


def test_get_default_company_is_none_when_the_account_has_no_default(client, mocked) -> None:
    mocked.get(f"{API}/companies?$filter=isDefault%20eq%20true", json=load("companies_empty.json"))

    assert client.get_default_company() is None


def test_get_company_reads_one_company_by_id(client, mocked) -> None:
    mocked.get(COMPANY_URL, json=load("company.json"))

    company = client.get_company(COMPANY_ID)

    assert_sent(mocked.calls[0], "GET", COMPANY_URL)
    assert (company.id, company.company_code, company.is_default) == (7370914, "DEFAULT", True)


def test_get_company_that_does_not_exist_is_a_company_mismatch(client, mocked) -> None:
    mocked.get(COMPANY_URL, json=load("error_company_not_found.json"), status=404)

    with pytest.raises(AvalaraResponseError) as caught:
        client.get_company(COMPANY_ID)

    assert caught.value.code is ErrorCode.COMPANY_MISMATCH
    assert caught.value.retryable is False


# ECM provisioning ----------------------------------------------------------------------------


def test_get_certificate_setup_reports_provisioned(client, mocked) -> None:
    url = f"{COMPANY_URL}/certificates/setup"
    mocked.get(url, json=load("certificate_setup_provisioned.json"))

    status = client.get_certificate_setup(COMPANY_ID)

    assert_sent(mocked.calls[0], "GET", url)
    assert status == ProvisionStatus(
        status="Provisioned", account_id=2000123456, company_id=COMPANY_ID
    )
    assert status.is_provisioned is True


def test_request_certificate_setup_posts_without_a_body(client, mocked) -> None:
    url = f"{COMPANY_URL}/certificates/setup"
    mocked.post(url, json=load("certificate_setup_in_progress.json"))

    status = client.request_certificate_setup(COMPANY_ID)

    assert_sent(mocked.calls[0], "POST", url)
    assert mocked.calls[0].request.body is None
    assert mocked.calls[0].request.headers["Content-Length"] == "0"
    assert status.status == "InProgress"
    assert status.is_provisioned is False


def test_ecm_call_on_an_unprovisioned_company_is_not_retryable(client, mocked) -> None:
    mocked.post(
        f"{COMPANY_URL}/customers", json=load("error_certificates_not_setup.json"), status=400
    )

    with pytest.raises(AvalaraResponseError) as caught:
        client.create_customers(COMPANY_ID, [CUSTOMER_INPUT])

    error = caught.value
    assert (error.code, error.retryable, error.is_not_provisioned) == (
        ErrorCode.CUSTOMER_CREATION_FAILED,
        False,
        True,
    )
    assert error.avalara_code == "CertificatesNotSetup"


# Customers -----------------------------------------------------------------------------------


def test_get_customer_parses_included_certificates(client, mocked) -> None:
    url = f"{CUSTOMER_URL}?$include=certificates"
    mocked.get(url, json=load("customer_with_certificates.json"))

    customer = client.get_customer(COMPANY_ID, CUSTOMER_CODE, include="certificates")

    assert_sent(mocked.calls[0], "GET", url)
    assert customer == Customer(
        id=88501,
        company_id=COMPANY_ID,
        customer_code=CUSTOMER_CODE,
        name="Acme Hardware LLC",
        line1="100 Ravine Lane",
        line2="Suite 200",
        city="Bainbridge Island",
        region="WA",
        postal_code="98110",
        country="US",
        email_address="ap@acme.example",
        phone_number="(206) 555-1212",
        contact_name="Alice Example",
        taxpayer_id_number="98-7654321",
        created_date=datetime(2025, 2, 3, 17, 28, 28, 33000, tzinfo=UTC),
        modified_date=datetime(2025, 2, 4, 9, 15, tzinfo=UTC),
        certificates=customer.certificates,
    )
    assert [certificate.id for certificate in customer.certificates] == [CERTIFICATE_ID]


@pytest.mark.parametrize(
    ("customer_code", "encoded"),
    [
        ("ACME/WEST", "ACME%2FWEST"),
        ("Acme Hardware #2", "Acme%20Hardware%20%232"),
        ("50%?off&more", "50%25%3Foff%26more"),
        ("a/../b", "a%2F..%2Fb"),
    ],
)
def test_get_customer_url_encodes_customer_code(client, mocked, customer_code, encoded) -> None:
    url = f"{COMPANY_URL}/customers/{encoded}"
    mocked.get(url, json={**load("customer.json"), "customerCode": customer_code})

    customer = client.get_customer(COMPANY_ID, customer_code)

    assert mocked.calls[0].request.url == url
    assert customer.customer_code == customer_code


@pytest.mark.parametrize("customer_code", ["", ".", ".."])
def test_customer_codes_that_would_address_another_resource_are_refused_before_any_call(
    client, mocked, customer_code: str
) -> None:
    with pytest.raises(ValueError, match="cannot be an AvaTax path segment"):
        client.get_customer(COMPANY_ID, customer_code)
    with pytest.raises(ValueError, match="cannot be an AvaTax path segment"):
        client.update_customer(COMPANY_ID, customer_code, CUSTOMER_INPUT)

    assert len(mocked.calls) == 0


def test_find_customer_returns_the_customer(client, mocked) -> None:
    mocked.get(CUSTOMER_URL, json=load("customer.json"))

    customer = client.find_customer(COMPANY_ID, CUSTOMER_CODE)

    assert customer is not None
    assert customer.customer_code == CUSTOMER_CODE


def test_find_customer_returns_none_when_avalara_says_not_found(client, mocked) -> None:
    mocked.get(CUSTOMER_URL, json=load("error_entity_not_found.json"), status=404)

    assert client.find_customer(COMPANY_ID, CUSTOMER_CODE) is None


def test_find_customer_raises_company_mismatch_when_the_company_is_missing(client, mocked) -> None:
    mocked.get(CUSTOMER_URL, json=load("error_company_not_found.json"), status=404)

    with pytest.raises(AvalaraResponseError) as caught:
        client.find_customer(COMPANY_ID, CUSTOMER_CODE)

    assert caught.value.code is ErrorCode.COMPANY_MISMATCH
    assert caught.value.avalara_message == "Company not found."


def test_find_customer_raises_on_a_404_that_is_not_from_avalara(client, mocked) -> None:
    mocked.get(CUSTOMER_URL, body=HTML_BODY, status=404, content_type="text/html")

    with pytest.raises(AvalaraResponseError) as caught:
        client.find_customer(COMPANY_ID, CUSTOMER_CODE)

    assert (caught.value.code, caught.value.avalara_code) == (ErrorCode.UNKNOWN_ERROR, None)
    assert caught.value.is_not_found is True


def test_create_customers_posts_a_json_array(client, mocked) -> None:
    url = f"{COMPANY_URL}/customers"
    mocked.post(url, json=load("customers_created.json"), status=201)

    customers = client.create_customers(COMPANY_ID, [CUSTOMER_INPUT])

    assert_sent(
        mocked.calls[0],
        "POST",
        url,
        json_body=[
            {
                "companyId": COMPANY_ID,
                "customerCode": CUSTOMER_CODE,
                "name": "Acme Hardware LLC",
                "line1": "100 Ravine Lane",
                "line2": "Suite 200",
                "city": "Bainbridge Island",
                "region": "WA",
                "postalCode": "98110",
                "country": "US",
                "emailAddress": "ap@acme.example",
                "phoneNumber": "(206) 555-1212",
            }
        ],
    )
    assert [(customer.id, customer.customer_code) for customer in customers] == [
        (88501, CUSTOMER_CODE)
    ]


def test_create_customers_with_a_taken_code_is_a_terminal_duplicate(client, mocked) -> None:
    mocked.post(f"{COMPANY_URL}/customers", json=load("error_duplicate_entry.json"), status=400)

    with pytest.raises(AvalaraResponseError) as caught:
        client.create_customers(COMPANY_ID, [CUSTOMER_INPUT])

    error = caught.value
    assert (error.code, error.retryable, error.is_duplicate, error.http_status) == (
        ErrorCode.CUSTOMER_CREATION_FAILED,
        False,
        True,
        400,
    )
    assert error.details[0].refers_to == "customerCode"
    assert len(mocked.calls) == 1


def test_create_customers_answered_with_the_wrong_shape_leaves_the_outcome_unknown(
    client, mocked
) -> None:
    mocked.post(f"{COMPANY_URL}/customers", json=load("customer.json"), status=201)

    with pytest.raises(AvalaraResponseError) as caught:
        client.create_customers(COMPANY_ID, [CUSTOMER_INPUT])

    assert (caught.value.code, caught.value.reason, caught.value.outcome_unknown) == (
        ErrorCode.UNKNOWN_ERROR,
        "expected a JSON array",
        True,
    )


def test_create_customers_refuses_an_empty_list_without_calling_avalara(client, mocked) -> None:
    with pytest.raises(ValueError, match="at least one customer"):
        client.create_customers(COMPANY_ID, [])

    assert len(mocked.calls) == 0


def test_update_customer_puts_the_whole_record_at_the_encoded_code(client, mocked) -> None:
    url = f"{COMPANY_URL}/customers/ACME%2FWEST"
    mocked.put(url, json={**load("customer.json"), "customerCode": "ACME/WEST"})
    minimal = CustomerInput(
        customer_code="ACME/WEST",
        name="Acme West",
        line1="1 Main St",
        city="Seattle",
        region="WA",
        postal_code="98101",
        country="US",
    )

    customer = client.update_customer(COMPANY_ID, "ACME/WEST", minimal)

    assert_sent(
        mocked.calls[0],
        "PUT",
        url,
        json_body={
            "companyId": COMPANY_ID,
            "customerCode": "ACME/WEST",
            "name": "Acme West",
            "line1": "1 Main St",
            "city": "Seattle",
            "region": "WA",
            "postalCode": "98101",
            "country": "US",
        },
    )
    assert customer.customer_code == "ACME/WEST"


def test_query_customers_sends_filter_include_and_page_size(client, mocked) -> None:
    url = (
        f"{COMPANY_URL}/customers?$include=certificates"
        "&$filter=customerCode%20eq%20%27NUVO_1%27&$top=50"
    )
    mocked.get(url, json=load("customers_query.json"))

    customers = client.query_customers(
        COMPANY_ID, filter="customerCode eq 'NUVO_1'", include="certificates", top=50
    )

    assert_sent(mocked.calls[0], "GET", url)
    assert [customer.customer_code for customer in customers] == [CUSTOMER_CODE]


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
        is_single_certificate=False,
        page_count=2,
        customer_codes=(CUSTOMER_CODE,),
        po_numbers=("PO-1001",),
        created_date=datetime(2025, 2, 3, 17, 30, 12, 500000, tzinfo=UTC),
        modified_date=date(2025, 2, 3),
    )


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


# Definitions and paging ----------------------------------------------------------------------


def test_list_exposure_zones_follows_next_link_across_three_pages(client, mocked) -> None:
    first = f"{API}/definitions/certificateexposurezones"
    second = f"{first}?%24top=2&%24skip=2"
    third = f"{first}?%24top=2&%24skip=4"
    mocked.get(first, json=load("exposure_zones_page_1.json"))
    mocked.get(second, json=load("exposure_zones_page_2.json"))
    mocked.get(third, json=load("exposure_zones_page_3.json"))

    zones = client.list_exposure_zones()

    assert [call.request.url for call in mocked.calls] == [first, second, third]
    for call in mocked.calls:
        assert_sent(call, "GET", call.request.url)
    assert [zone.name for zone in zones] == [
        "Alabama",
        "Alaska",
        "Arizona",
        "Arkansas",
        "Washington",
    ]
    assert zones[-1] == ExposureZone(
        id=89,
        name="Washington",
        region="WA",
        country="US",
        tag="EZ_US_WA",
        description="Washington",
    )


def test_list_exemption_reasons_reads_a_single_page(client, mocked) -> None:
    url = f"{API}/definitions/certificateexemptreasons"
    mocked.get(url, json=load("exemption_reasons.json"))

    reasons = client.list_exemption_reasons()

    assert_sent(mocked.calls[0], "GET", url)
    assert reasons[2] == ExemptionReason(id=70, name="RESALE")
    assert len(reasons) == 4


def test_paging_stops_when_next_link_is_null(client, mocked) -> None:
    mocked.get(
        f"{API}/definitions/certificateexemptreasons",
        json={**load("exemption_reasons.json"), "@nextLink": None},
    )

    assert len(client.list_exemption_reasons()) == 4
    assert len(mocked.calls) == 1


def test_paging_stops_with_an_error_when_next_link_repeats(client, mocked) -> None:
    first = f"{API}/definitions/certificateexemptreasons"
    looping = {
        **load("exemption_reasons.json"),
        "@nextLink": "/api/v2/definitions/certificateexemptreasons?%24skip=4",
    }
    mocked.get(first, json=looping)
    mocked.get(f"{first}?%24skip=4", json=looping)

    with pytest.raises(AvalaraResponseError) as caught:
        client.list_exemption_reasons()

    assert caught.value.code is ErrorCode.UNKNOWN_ERROR
    assert caught.value.reason == "@nextLink repeats an earlier page"
    assert len(mocked.calls) == 2


def test_paging_stops_with_an_error_after_max_pages(mocked) -> None:
    first = f"{API}/definitions/certificateexemptreasons"
    client = make_client(max_pages=3)
    for skip in (0, 4, 8):
        link = f"/api/v2/definitions/certificateexemptreasons?%24skip={skip + 4}"
        url = first if skip == 0 else f"{first}?%24skip={skip}"
        mocked.get(url, json={**load("exemption_reasons.json"), "@nextLink": link})

    with pytest.raises(AvalaraResponseError) as caught:
        client.list_exemption_reasons()

    assert caught.value.reason == "more than 3 pages"
    assert len(mocked.calls) == 3


def test_paging_never_follows_a_next_link_to_another_host(client, mocked) -> None:
    mocked.get(
        f"{API}/definitions/certificateexemptreasons",
        json={
            **load("exemption_reasons.json"),
            "@nextLink": "https://attacker.example/api/v2/definitions/certificateexemptreasons",
        },
    )

    with pytest.raises(AvalaraResponseError) as caught:
        client.list_exemption_reasons()

    assert caught.value.reason == "@nextLink points to another host"
    assert len(mocked.calls) == 1


def test_paging_keeps_a_base_url_path_prefix(mocked) -> None:
    client = make_client(base_url="http://127.0.0.1:8765/avatax")
    first = "http://127.0.0.1:8765/avatax/api/v2/definitions/certificateexemptreasons"
    mocked.get(
        first,
        json={
            **load("exemption_reasons.json"),
            "@nextLink": "/api/v2/definitions/certificateexemptreasons?%24top=4&%24skip=4",
        },
    )
    mocked.get(f"{first}?%24top=4&%24skip=4", json=load("exemption_reasons.json"))

    assert len(client.list_exemption_reasons()) == 8
    assert mocked.calls[1].request.url == f"{first}?%24top=4&%24skip=4"


# Every method: 401, 404, 429, 500, timeouts, malformed bodies --------------------------------


@dataclass(frozen=True)
class Call:
    name: str
    operation: str
    method: str
    url: str
    invoke: Callable[[AvaTaxClient], object]
    failure_code: ErrorCode = ErrorCode.UNKNOWN_ERROR

    def __str__(self) -> str:
        return self.name


CUSTOMER_FAILED = ErrorCode.CUSTOMER_CREATION_FAILED
UPLOAD_FAILED = ErrorCode.CERTIFICATE_UPLOAD_FAILED
CALLS = [
    Call("ping", "Ping", "GET", f"{API}/utilities/ping", lambda c: c.ping()),
    Call(
        "query_companies",
        "QueryCompanies",
        "GET",
        f"{API}/companies",
        lambda c: c.query_companies(),
    ),
    Call(
        "get_default_company",
        "QueryCompanies",
        "GET",
        f"{API}/companies?$filter=isDefault%20eq%20true",
        lambda c: c.get_default_company(),
    ),
    Call("get_company", "GetCompany", "GET", COMPANY_URL, lambda c: c.get_company(COMPANY_ID)),
    Call(
        "get_certificate_setup",
        "GetCertificateSetup",
        "GET",
        f"{COMPANY_URL}/certificates/setup",
        lambda c: c.get_certificate_setup(COMPANY_ID),
    ),
    Call(
        "request_certificate_setup",
        "RequestCertificateSetup",
        "POST",
        f"{COMPANY_URL}/certificates/setup",
        lambda c: c.request_certificate_setup(COMPANY_ID),
    ),
    Call(
        "get_customer",
        "GetCustomer",
        "GET",
        CUSTOMER_URL,
        lambda c: c.get_customer(COMPANY_ID, CUSTOMER_CODE),
    ),
    Call(
        "find_customer",
        "GetCustomer",
        "GET",
        CUSTOMER_URL,
        lambda c: c.find_customer(COMPANY_ID, CUSTOMER_CODE),
    ),
    Call(
        "create_customers",
        "CreateCustomers",
        "POST",
        f"{COMPANY_URL}/customers",
        lambda c: c.create_customers(COMPANY_ID, [CUSTOMER_INPUT]),
        CUSTOMER_FAILED,
    ),
    Call(
        "update_customer",
        "UpdateCustomer",
        "PUT",
        CUSTOMER_URL,
        lambda c: c.update_customer(COMPANY_ID, CUSTOMER_CODE, CUSTOMER_INPUT),
        CUSTOMER_FAILED,
    ),
    Call(
        "query_customers",
        "QueryCustomers",
        "GET",
        f"{COMPANY_URL}/customers",
        lambda c: c.query_customers(COMPANY_ID),
    ),
    Call(
        "create_certificates",
        "CreateCertificates",
        "POST",
        f"{COMPANY_URL}/certificates",
        lambda c: c.create_certificates(COMPANY_ID, [CERTIFICATE_INPUT]),
        UPLOAD_FAILED,
    ),
    Call(
        "upload_certificate_attachment",
        "UploadCertificateImage",
        "POST",
        f"{CERTIFICATE_URL}/attachment",
        lambda c: c.upload_certificate_attachment(COMPANY_ID, CERTIFICATE_ID, PDF, "c.pdf"),
        UPLOAD_FAILED,
    ),
    Call(
        "download_certificate_attachment",
        "DownloadCertificateImage",
        "GET",
        f"{CERTIFICATE_URL}/attachment?$type=Pdf",
        lambda c: c.download_certificate_attachment(COMPANY_ID, CERTIFICATE_ID),
    ),
    Call(
        "link_certificates_to_customer",
        "LinkCertificatesToCustomer",
        "POST",
        f"{CUSTOMER_URL}/certificates/link",
        lambda c: c.link_certificates_to_customer(COMPANY_ID, CUSTOMER_CODE, [CERTIFICATE_ID]),
        UPLOAD_FAILED,
    ),
    Call(
        "link_customers_to_certificate",
        "LinkCustomersToCertificate",
        "POST",
        f"{CERTIFICATE_URL}/customers/link",
        lambda c: c.link_customers_to_certificate(COMPANY_ID, CERTIFICATE_ID, [CUSTOMER_CODE]),
        UPLOAD_FAILED,
    ),
    Call(
        "get_certificate",
        "GetCertificate",
        "GET",
        CERTIFICATE_URL,
        lambda c: c.get_certificate(COMPANY_ID, CERTIFICATE_ID),
    ),
    Call(
        "query_certificates",
        "QueryCertificates",
        "GET",
        f"{COMPANY_URL}/certificates",
        lambda c: c.query_certificates(COMPANY_ID),
    ),
    Call(
        "list_certificates_for_customer",
        "ListCertificatesForCustomer",
        "GET",
        f"{CUSTOMER_URL}/certificates?$include=customers",
        lambda c: c.list_certificates_for_customer(COMPANY_ID, CUSTOMER_CODE),
    ),
    Call(
        "list_exposure_zones",
        "ListCertificateExposureZones",
        "GET",
        f"{API}/definitions/certificateexposurezones",
        lambda c: c.list_exposure_zones(),
    ),
    Call(
        "list_exemption_reasons",
        "ListCertificateExemptReasons",
        "GET",
        f"{API}/definitions/certificateexemptreasons",
        lambda c: c.list_exemption_reasons(),
    ),
]
RETRIED_METHODS = {"GET", "PUT"}


def expected_attempts(call: Call) -> int:
    """max_retries=3: idempotent calls are tried four times, POSTs once."""
    return 4 if call.method in RETRIED_METHODS else 1


@pytest.mark.parametrize("call", CALLS, ids=str)
def test_http_401_is_invalid_credentials_and_never_retried(client, mocked, call: Call) -> None:
    mocked.add(call.method, call.url, json=load("error_authentication.json"), status=401)

    with pytest.raises(AvalaraResponseError) as caught:
        call.invoke(client)

    error = caught.value
    assert (error.code, error.retryable, error.operation, error.http_status) == (
        ErrorCode.INVALID_CREDENTIALS,
        False,
        call.operation,
        401,
    )
    assert (error.avalara_code, error.avalara_message) == (
        "AuthenticationException",
        "Authentication failed.",
    )
    assert len(mocked.calls) == 1
    assert_sent(mocked.calls[0], call.method, call.url)


@pytest.mark.parametrize("call", [c for c in CALLS if c.name != "find_customer"], ids=str)
def test_http_404_entity_not_found_is_the_methods_failure_and_terminal(
    client, mocked, call: Call
) -> None:
    mocked.add(call.method, call.url, json=load("error_entity_not_found.json"), status=404)

    with pytest.raises(AvalaraResponseError) as caught:
        call.invoke(client)

    error = caught.value
    assert (error.code, error.retryable, error.is_not_found, error.avalara_code) == (
        call.failure_code,
        False,
        True,
        "EntityNotFoundError",
    )
    assert error.details[0].number == 4
    assert len(mocked.calls) == 1


@pytest.mark.parametrize("call", CALLS, ids=str)
def test_http_429_is_retried_only_when_idempotent_and_carries_capped_retry_after(
    client, mocked, call: Call
) -> None:
    mocked.add(
        call.method,
        call.url,
        json=load("error_rate_limited.json"),
        status=429,
        headers={"Retry-After": "120"},
    )

    with pytest.raises(AvalaraResponseError) as caught:
        call.invoke(client)

    error = caught.value
    assert (error.code, error.retryable, error.is_rate_limited, error.retry_after) == (
        ErrorCode.UNABLE_TO_CONNECT,
        True,
        True,
        30.0,
    )
    assert error.http_status == 429
    assert len(mocked.calls) == expected_attempts(call)


@pytest.mark.parametrize("call", CALLS, ids=str)
def test_http_500_is_retried_only_when_idempotent_then_raised_as_retryable(
    client, mocked, call: Call
) -> None:
    mocked.add(
        call.method, call.url, body="Internal Server Error", status=500, content_type="text/plain"
    )

    with pytest.raises(AvalaraResponseError) as caught:
        call.invoke(client)

    error = caught.value
    assert (error.code, error.retryable, error.http_status, error.avalara_code) == (
        call.failure_code,
        True,
        500,
        None,
    )
    assert error.outcome_unknown is (call.method != "GET")
    assert len(mocked.calls) == expected_attempts(call)


@pytest.mark.parametrize("call", CALLS, ids=str)
def test_connect_timeout_is_unable_to_connect_and_nothing_was_sent(
    client, mocked, call: Call
) -> None:
    mocked.add(call.method, call.url, body=requests.exceptions.ConnectTimeout("connect timed out"))

    with pytest.raises(AvalaraConnectionError) as caught:
        call.invoke(client)

    error = caught.value
    assert (error.code, error.retryable, error.outcome_unknown, error.reason) == (
        ErrorCode.UNABLE_TO_CONNECT,
        True,
        False,
        "ConnectTimeout",
    )
    assert (error.operation, error.http_status) == (call.operation, None)
    assert len(mocked.calls) == 1


@pytest.mark.parametrize("call", CALLS, ids=str)
def test_read_timeout_is_unable_to_connect_and_leaves_a_write_unknown(
    client, mocked, call: Call
) -> None:
    mocked.add(call.method, call.url, body=requests.exceptions.ReadTimeout("read timed out"))

    with pytest.raises(AvalaraConnectionError) as caught:
        call.invoke(client)

    error = caught.value
    assert (error.code, error.retryable, error.reason) == (
        ErrorCode.UNABLE_TO_CONNECT,
        True,
        "ReadTimeout",
    )
    assert error.outcome_unknown is (call.method != "GET")


@pytest.mark.parametrize(
    "call", [c for c in CALLS if c.name != "download_certificate_attachment"], ids=str
)
def test_a_2xx_body_that_is_not_json_is_a_retryable_unknown_error(
    client, mocked, call: Call
) -> None:
    mocked.add(call.method, call.url, body=HTML_BODY, status=200, content_type="text/html")

    with pytest.raises(AvalaraResponseError) as caught:
        call.invoke(client)

    error = caught.value
    assert (error.code, error.retryable, error.http_status, error.operation) == (
        ErrorCode.UNKNOWN_ERROR,
        True,
        200,
        call.operation,
    )
    assert error.outcome_unknown is (call.method != "GET")
    assert len(mocked.calls) == 1


@pytest.mark.parametrize(
    ("url", "body", "invoke"),
    [
        (f"{API}/utilities/ping", [], lambda c: c.ping()),
        (f"{API}/companies", {"@recordsetCount": 1}, lambda c: c.query_companies()),
        (f"{API}/companies", {"value": [{"name": "no id"}]}, lambda c: c.query_companies()),
        (CERTIFICATE_URL, {"id": "9921"}, lambda c: c.get_certificate(COMPANY_ID, CERTIFICATE_ID)),
        (
            CERTIFICATE_URL,
            {"id": CERTIFICATE_ID, "signedDate": "31/01/2025"},
            lambda c: c.get_certificate(COMPANY_ID, CERTIFICATE_ID),
        ),
    ],
    ids=["array-for-object", "no-value", "company-without-id", "string-id", "bad-date"],
)
def test_a_2xx_body_of_the_wrong_shape_is_a_retryable_unknown_error(
    client, mocked, url, body, invoke
) -> None:
    mocked.get(url, json=body)

    with pytest.raises(AvalaraResponseError) as caught:
        invoke(client)

    assert (caught.value.code, caught.value.retryable) == (ErrorCode.UNKNOWN_ERROR, True)
    assert caught.value.reason.startswith("unexpected response shape")


@pytest.mark.parametrize(
    ("status", "fixture", "expected", "retryable"),
    [
        (403, "error_authorization.json", ErrorCode.AUTHENTICATION_FAILED, False),
        (401, "error_authentication_incomplete.json", ErrorCode.INVALID_CREDENTIALS, False),
        (400, "error_rate_limited.json", ErrorCode.UNABLE_TO_CONNECT, True),
    ],
)
def test_error_codes_map_to_the_guides_codes(
    client, mocked, status, fixture, expected, retryable
) -> None:
    mocked.get(f"{COMPANY_URL}/certificates/setup", json=load(fixture), status=status)

    with pytest.raises(AvalaraResponseError) as caught:
        client.get_certificate_setup(COMPANY_ID)

    assert (caught.value.code, caught.value.retryable) == (expected, retryable)


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_errors_are_unable_to_connect(client, mocked, status: int) -> None:
    mocked.post(f"{COMPANY_URL}/customers", body="Bad gateway", status=status)

    with pytest.raises(AvalaraResponseError) as caught:
        client.create_customers(COMPANY_ID, [CUSTOMER_INPUT])

    assert (caught.value.code, caught.value.retryable) == (ErrorCode.UNABLE_TO_CONNECT, True)
    assert len(mocked.calls) == 1


def test_a_redirect_is_not_followed(client, mocked) -> None:
    mocked.get(
        f"{API}/utilities/ping",
        status=302,
        headers={"Location": "https://elsewhere.example/api/v2/utilities/ping"},
    )

    with pytest.raises(AvalaraResponseError) as caught:
        client.ping()

    assert (caught.value.code, caught.value.http_status) == (ErrorCode.UNKNOWN_ERROR, 302)
    assert len(mocked.calls) == 1


# Secrets and logging -------------------------------------------------------------------------


def test_password_never_appears_in_errors_repr_or_logs(client, mocked, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    mocked.post(f"{COMPANY_URL}/customers", json=load("error_authentication.json"), status=401)

    with pytest.raises(AvalaraResponseError) as caught:
        client.create_customers(COMPANY_ID, [CUSTOMER_INPUT])

    error = caught.value
    encoded_auth = BASIC_AUTH.removeprefix("Basic ")
    for text in (str(error), repr(error), repr(client), str(client), caplog.text):
        assert PASSWORD not in text
        assert encoded_auth not in text
    assert str(error) == (
        "INVALID_CREDENTIALS in CreateCustomers (HTTP 401): AuthenticationException: "
        "Authentication failed."
    )


def test_password_echoed_by_avalara_is_masked_in_the_error(client, mocked) -> None:
    echoed = load("error_authentication.json")
    echoed["error"]["message"] = f"Login failed for password {PASSWORD}."
    echoed["error"]["details"][0]["description"] = f"Bad secret {PASSWORD}"
    mocked.get(f"{API}/utilities/ping", json=echoed, status=401)

    with pytest.raises(AvalaraResponseError) as caught:
        client.ping()

    assert caught.value.avalara_message == "Login failed for password ***."
    assert caught.value.details[0].description == "Bad secret ***"
    assert PASSWORD not in str(caught.value)


def test_connection_errors_do_not_leak_the_password(client, mocked, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    mocked.get(f"{API}/utilities/ping", body=requests.exceptions.ConnectionError("refused"))

    with pytest.raises(AvalaraConnectionError) as caught:
        client.ping()

    assert str(caught.value) == "UNABLE_TO_CONNECT in Ping: ConnectionError"
    assert PASSWORD not in caplog.text


def test_each_call_logs_one_line_with_status_duration_and_correlation_id(
    client, mocked, caplog
) -> None:
    caplog.set_level(logging.INFO, logger="nuvo.avalara")
    mocked.get(
        f"{API}/utilities/ping",
        json=load("ping_authenticated.json"),
        headers={"x-correlation-id": CORRELATION_ID},
    )

    client.ping()

    records = [record for record in caplog.records if record.name == "nuvo.avalara"]
    assert len(records) == 1
    record = records[0]
    assert record.levelno == logging.INFO
    assert record.getMessage().startswith("avalara Ping GET /api/v2/utilities/ping -> 200 in ")
    assert record.getMessage().endswith(f"(attempts 1, x-correlation-id {CORRELATION_ID})")
    assert (record.http_status, record.correlation_id, record.avalara_operation) == (
        200,
        CORRELATION_ID,
        "Ping",
    )
    assert isinstance(record.duration_ms, int)


def test_upload_logs_neither_the_pdf_nor_the_authorization_header(client, mocked, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    mocked.post(f"{CERTIFICATE_URL}/attachment", json="OK")

    client.upload_certificate_attachment(COMPANY_ID, CERTIFICATE_ID, PDF, "cert.pdf")

    assert "%PDF" not in caplog.text
    assert base64.b64encode(PDF[:30]).decode()[:20] not in caplog.text
    assert "Authorization" not in caplog.text


def test_an_expected_404_logs_at_info_and_a_server_error_at_warning(client, mocked, caplog) -> None:
    caplog.set_level(logging.INFO, logger="nuvo.avalara")
    mocked.get(CUSTOMER_URL, json=load("error_entity_not_found.json"), status=404)
    mocked.post(f"{COMPANY_URL}/customers", body="Internal Server Error", status=500)

    assert client.find_customer(COMPANY_ID, CUSTOMER_CODE) is None
    with pytest.raises(AvalaraResponseError):
        client.create_customers(COMPANY_ID, [CUSTOMER_INPUT])

    not_found, server_error = [r for r in caplog.records if r.name == "nuvo.avalara"]
    assert not_found.levelno == logging.INFO
    assert f"GET /api/v2/companies/{COMPANY_ID}/customers/{CUSTOMER_CODE} -> 404" in (
        not_found.getMessage()
    )
    assert server_error.levelno == logging.WARNING
    assert f"POST /api/v2/companies/{COMPANY_ID}/customers -> 500" in server_error.getMessage()


# Parsing -------------------------------------------------------------------------------------


def test_certificate_parsing_ignores_unknown_fields_and_defaults_missing_ones() -> None:
    certificate = Certificate.from_wire({"id": 5, "brandNewField": {"x": 1}, "customers": None})

    assert certificate == Certificate(
        id=5,
        company_id=None,
        signed_date=None,
        expiration_date=None,
        filename="",
        document_exists=False,
        valid=False,
        verified=False,
        exempt_percentage=None,
        exemption_number="",
        exemption_reason="",
        status="",
        ecm_status="",
        exposure_zone="",
        exposure_zone_region="",
        is_single_certificate=False,
        page_count=0,
        customer_codes=(),
        po_numbers=(),
        created_date=None,
        modified_date=None,
    )


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("2028-12-31", date(2028, 12, 31)),
        ("2028-12-31T00:00:00", date(2028, 12, 31)),
        ("2028-12-31T00:00:00Z", date(2028, 12, 31)),
        ("2028-12-31T00:00:00.0000000-08:00", date(2028, 12, 31)),
        ("9999-12-31", date(9999, 12, 31)),
    ],
)
def test_certificate_dates_parse_in_every_form_avalara_sends(wire: str, expected: date) -> None:
    certificate = Certificate.from_wire({"id": 1, "expirationDate": wire})

    assert certificate.expiration_date == expected


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("2025-02-03T17:28:28", datetime(2025, 2, 3, 17, 28, 28, tzinfo=UTC)),
        ("2025-02-03T17:28:28.1234567Z", datetime(2025, 2, 3, 17, 28, 28, 123456, tzinfo=UTC)),
        ("2025-02-03T09:28:28-08:00", datetime(2025, 2, 3, 17, 28, 28, tzinfo=UTC)),
    ],
)
def test_timestamps_parse_to_aware_datetimes(wire: str, expected: datetime) -> None:
    customer = Customer.from_wire({"customerCode": "C1", "createdDate": wire})

    assert customer.created_date == expected
    assert customer.created_date.tzinfo is not None


def test_customer_input_leaves_out_empty_optional_fields() -> None:
    payload = CustomerInput(
        customer_code="C1",
        name="N",
        line1="L1",
        city="C",
        region="WA",
        postal_code="98101",
        country="US",
        contact_name="Bob",
        taxpayer_id_number="12-3456789",
    ).to_payload(42)

    assert payload == {
        "companyId": 42,
        "customerCode": "C1",
        "name": "N",
        "line1": "L1",
        "city": "C",
        "region": "WA",
        "postalCode": "98101",
        "country": "US",
        "contactName": "Bob",
        "taxpayerIdNumber": "12-3456789",
    }


# Retries through the real adapter (responses bypasses urllib3's Retry sleeps and error retries)


@dataclass
class Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class ScriptedServer:
    """A loopback HTTP server answering each request with the next scripted reply."""

    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.received: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        scripted = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                reply = scripted.next_reply(self.command, self.path, dict(self.headers), body)
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (read timeout)

            do_GET = do_POST = do_PUT = do_DELETE = answer

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def script(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def next_reply(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        with self._lock:
            self.received.append({"method": method, "path": path, "headers": headers})
            if self.replies:
                return self.replies.pop(0)
            return Reply(599, b"unscripted request")

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as scripted:
        yield scripted


def loopback_client(url: str, **overrides: Any) -> AvaTaxClient:
    session = requests.Session()
    session.trust_env = False  # no proxy between us and 127.0.0.1
    options: dict[str, Any] = {"base_url": url, "backoff_jitter": 0.0, "session": session}
    options.update(overrides)
    return make_client(**options)


def json_reply(status: int, fixture: str, **headers: str) -> Reply:
    return Reply(
        status, (FIXTURES / fixture).read_bytes(), {"Content-Type": "application/json", **headers}
    )


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_get_is_retried_on_500_with_exponential_backoff_then_succeeds(server, sleeps) -> None:
    server.script(
        Reply(500, b"oops"),
        Reply(500, b"oops"),
        Reply(500, b"oops"),
        json_reply(200, "ping_authenticated.json"),
    )

    result = loopback_client(server.url).ping()

    assert result.authenticated is True
    assert len(server.received) == 4
    assert sleeps == [1.0, 2.0]  # urllib3 retries the first failure at once, then 0.5 * 2**n
    first = server.received[0]
    assert (first["method"], first["path"]) == ("GET", "/api/v2/utilities/ping")
    assert first["headers"]["Authorization"] == BASIC_AUTH
    assert first["headers"]["X-Avalara-Client"] == CLIENT_HEADER


def test_get_gives_up_after_max_retries_with_the_last_answer(server, sleeps, caplog) -> None:
    caplog.set_level(logging.INFO, logger="nuvo.avalara")
    server.script(*[Reply(500, b"oops") for _ in range(4)])

    with pytest.raises(AvalaraResponseError) as caught:
        loopback_client(server.url).get_certificate_setup(COMPANY_ID)

    assert (caught.value.code, caught.value.retryable, caught.value.http_status) == (
        ErrorCode.UNKNOWN_ERROR,
        True,
        500,
    )
    assert len(server.received) == 4
    assert sleeps == [1.0, 2.0]
    assert "(attempts 4, x-correlation-id -)" in caplog.records[-1].getMessage()


def test_backoff_adds_bounded_jitter(server, sleeps) -> None:
    server.script(Reply(503), Reply(503), json_reply(200, "ping_authenticated.json"))

    loopback_client(server.url, backoff_jitter=0.5).ping()

    assert len(sleeps) == 1
    assert 1.0 <= sleeps[0] <= 1.5


def test_get_429_waits_for_retry_after_capped_at_retry_after_max(server, sleeps) -> None:
    server.script(
        json_reply(429, "error_rate_limited.json", **{"Retry-After": "120"}),
        json_reply(429, "error_rate_limited.json", **{"Retry-After": "2"}),
        json_reply(200, "ping_authenticated.json"),
    )

    result = loopback_client(server.url, retry_after_max=30.0).ping()

    assert result.authenticated is True
    assert sleeps == [30.0, 2.0]
    assert len(server.received) == 3


def test_retry_after_as_an_http_date_is_honoured_and_capped(server, sleeps) -> None:
    in_an_hour = format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)
    server.script(
        json_reply(503, "error_rate_limited.json", **{"Retry-After": in_an_hour}),
        json_reply(200, "ping_authenticated.json"),
    )

    loopback_client(server.url, retry_after_max=12.5).ping()

    assert sleeps == [12.5]


def test_malformed_retry_after_falls_back_to_backoff(server, sleeps) -> None:
    server.script(
        Reply(503, headers={"Retry-After": "soon"}),
        Reply(503, headers={"Retry-After": "soon"}),
        json_reply(200, "ping_authenticated.json"),
    )

    loopback_client(server.url).ping()

    assert sleeps == [1.0]
    assert len(server.received) == 3


def test_put_is_retried_because_it_replaces(server, sleeps) -> None:
    server.script(Reply(503, headers={"Retry-After": "3"}), json_reply(200, "customer.json"))

    customer = loopback_client(server.url).update_customer(
        COMPANY_ID, CUSTOMER_CODE, CUSTOMER_INPUT
    )

    assert customer.customer_code == CUSTOMER_CODE
    assert [request["method"] for request in server.received] == ["PUT", "PUT"]
    assert sleeps == [3.0]


def test_post_500_is_never_retried(server, sleeps) -> None:
    server.script(Reply(500, b"oops"), json_reply(201, "customers_created.json"))

    with pytest.raises(AvalaraResponseError) as caught:
        loopback_client(server.url).create_customers(COMPANY_ID, [CUSTOMER_INPUT])

    assert (caught.value.code, caught.value.retryable) == (ErrorCode.CUSTOMER_CREATION_FAILED, True)
    assert len(server.received) == 1
    assert sleeps == []


def test_post_429_is_not_retried_but_reports_the_capped_retry_after(server, sleeps) -> None:
    server.script(json_reply(429, "error_rate_limited.json", **{"Retry-After": "120"}))

    with pytest.raises(AvalaraResponseError) as caught:
        loopback_client(server.url, retry_after_max=30.0).create_certificates(
            COMPANY_ID, [CERTIFICATE_INPUT]
        )

    assert (caught.value.code, caught.value.retry_after, caught.value.avalara_code) == (
        ErrorCode.UNABLE_TO_CONNECT,
        30.0,
        "RequestLimitExceeded",
    )
    assert len(server.received) == 1
    assert sleeps == []


def test_post_read_timeout_is_not_retried_and_leaves_the_outcome_unknown(server, sleeps) -> None:
    server.script(Reply(201, b"[]", delay=1.0))

    with pytest.raises(AvalaraConnectionError) as caught:
        loopback_client(server.url, timeout=(1.0, 0.2)).create_customers(
            COMPANY_ID, [CUSTOMER_INPUT]
        )

    assert (caught.value.code, caught.value.reason, caught.value.outcome_unknown) == (
        ErrorCode.UNABLE_TO_CONNECT,
        "ReadTimeout",
        True,
    )
    assert len(server.received) == 1
    assert sleeps == []


def test_get_read_timeout_is_retried(server, sleeps) -> None:
    slow = json_reply(200, "ping_authenticated.json")
    slow.delay = 1.0
    server.script(slow, json_reply(200, "ping_authenticated.json"))

    result = loopback_client(server.url, timeout=(1.0, 0.2)).ping()

    assert result.authenticated is True
    assert len(server.received) == 2


@pytest.mark.parametrize(
    "invoke",
    [
        lambda c: c.ping(),
        lambda c: c.create_customers(COMPANY_ID, [CUSTOMER_INPUT]),
    ],
    ids=["GET", "POST"],
)
def test_refused_connection_is_retried_even_for_post_then_unable_to_connect(sleeps, invoke) -> None:
    avatax = loopback_client(f"http://127.0.0.1:{unused_port()}")

    with pytest.raises(AvalaraConnectionError) as caught:
        invoke(avatax)

    assert (caught.value.code, caught.value.retryable, caught.value.outcome_unknown) == (
        ErrorCode.UNABLE_TO_CONNECT,
        True,
        False,
    )
    assert sleeps == [1.0, 2.0]  # three connect retries: at once, 1 s, 2 s
