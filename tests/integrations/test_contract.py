"""A contract test: the real client against the real simulator, every body checked against the spec.

One scenario drives every AvaTaxClient method over loopback (small pages force ``@nextLink``
paging) through a recording session; the tests then validate each recorded request body and each
response with tests/integrations/contract.py against the 21.12 OpenAPI subset
(REFERENCE.md §11), and error bodies against Avalara's ErrorResult (§9).
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from integrations.avalara import (
    AvalaraResponseError,
    AvaTaxClient,
    CertificateInput,
    CustomerInput,
)
from integrations.simulator import run_in_thread
from tests.integrations.contract import (
    JSON,
    MULTIPART,
    SPEC_PATH,
    Exchange,
    OpenApiContract,
    avatax_contract,
    multipart_parts,
    recording_session,
)
from tests.pdf_factory import make_pdf

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_SPEC = REPO_ROOT.parent / "shared/avatax/avatax-rest-v2-21.12.0-ecm-subset.openapi.json"
CONTRACT = avatax_contract()

DEMO = ("nuvo-demo", "avalara-demo")
LICENSE_KEY = ("2000100002", "A1B2C3D4E5F6A7B8")
UNPROVISIONED = ("nuvo-unprovisioned", "avalara-demo")
WRONG_PASSWORD = ("nuvo-demo", "not-the-password")
COMPANY = 7100001
SLASH_CODE = "ACME/West Coast 01"
PAGE_SIZE = 2
UPLOADED_PDF = make_pdf(pages=3, text="Uploaded certificate")
LIFECYCLE_METHODS = {"close"}
PAGED_OPERATIONS = {
    "QueryCompanies",
    "QueryCustomers",
    "QueryCertificates",
    "ListCertificatesForCustomer",
    "ListCertificateExposureZones",
    "ListCertificateExemptReasons",
}
# A deliberate deviation, following Avalara's own create example (REFERENCE.md §5, dev guide
# 8.2.5) rather than the 21.12 spec: customers are linked by {companyId, customerCode}, where the
# spec's CustomerModel would demand a full address; isSingleCertificate (readOnly in the spec) is
# sent only for single-use certificates. The rest of the CreateCertificates body is checked in full.
CREATE_CERTIFICATES_MISMATCHED_FIELDS = ("customers", "isSingleCertificate")
EXPECTED_ERRORS = {
    ("QueryCustomers", 400, "CertificatesNotSetup"),
    ("QueryCompanies", 401, "AuthenticationException"),
    ("CreateCustomers", 400, "DuplicateEntry"),
    ("GetCustomer", 404, "EntityNotFoundError"),
}


@dataclass(frozen=True)
class Recording:
    exchanges: tuple[Exchange, ...]
    called: frozenset[str]

    def operation_ids(self) -> list[str]:
        return [operation_of(exchange) for exchange in self.exchanges]


class CallRecorder:
    """Forwards to an AvaTaxClient, noting which of its methods the scenario calls."""

    def __init__(self, client: AvaTaxClient, called: set[str]) -> None:
        self._client = client
        self._called = called

    def __getattr__(self, name: str) -> Any:
        self._called.add(name)
        return getattr(self._client, name)


def customer_input(code: str, **overrides: str) -> CustomerInput:
    fields = {
        "customer_code": code,
        "name": "Alice Example",
        "line1": "100 Ravine Lane",
        "city": "Bainbridge Island",
        "region": "WA",
        "postal_code": "98110",
        "country": "US",
        "email_address": "ap@example.org",
        **overrides,
    }
    return CustomerInput(**fields)


def certificate_input(
    zone: str, customer_codes: tuple[str, ...], **overrides: Any
) -> CertificateInput:
    fields = {
        "signed_date": date(2024, 1, 15),
        "expiration_date": date(2099, 12, 31),
        "exemption_reason": "RESALE",
        "exposure_zone_name": zone,
        "pdf": make_pdf(text=f"Certificate for {zone}"),
        "customer_codes": customer_codes,
        **overrides,
    }
    return CertificateInput(**fields)


def exercise_companies(demo, licensed, unprovisioned, wrong) -> None:
    assert demo.ping().authenticated_company_id == COMPANY
    license_ping = licensed.ping()
    assert (license_ping.authenticated, license_ping.authenticated_company_id) == (True, None)
    assert licensed.get_default_company().id == 7100002
    assert [company.id for company in licensed.query_companies(top=1)] == [7100002, 7100004]
    assert licensed.get_company(7100004).company_code == "SECOND"
    assert demo.get_certificate_setup(COMPANY).is_provisioned
    assert demo.request_certificate_setup(COMPANY).is_provisioned

    with pytest.raises(AvalaraResponseError) as not_set_up:
        unprovisioned.query_customers(7100003)
    assert (not_set_up.value.http_status, not_set_up.value.is_not_provisioned) == (400, True)
    assert unprovisioned.get_certificate_setup(7100003).status == "NotProvisioned"
    assert unprovisioned.request_certificate_setup(7100003).status in ("InProgress", "Provisioned")

    with pytest.raises(AvalaraResponseError) as unauthenticated:
        wrong.query_companies()
    assert unauthenticated.value.http_status == 401


def exercise_customers(demo) -> None:
    codes = ["NUVO-0001", "NUVO-0002", SLASH_CODE]
    created = demo.create_customers(COMPANY, [customer_input(code) for code in codes])
    assert [customer.customer_code for customer in created] == codes

    with pytest.raises(AvalaraResponseError) as duplicate:
        demo.create_customers(COMPANY, [customer_input("NUVO-0001")])
    assert duplicate.value.is_duplicate

    assert demo.get_customer(COMPANY, SLASH_CODE).customer_code == SLASH_CODE
    assert demo.find_customer(COMPANY, "NUVO-0002") is not None
    assert demo.find_customer(COMPANY, "NO SUCH/CUSTOMER") is None
    updated = demo.update_customer(COMPANY, SLASH_CODE, customer_input(SLASH_CODE, name="Acme W"))
    assert updated.name == "Acme W"


def exercise_certificates(demo) -> None:
    washington, california, oregon = demo.create_certificates(
        COMPANY,
        [
            certificate_input(
                "Washington",
                ("NUVO-0001", SLASH_CODE),
                exemption_number="WA-123",
                po_numbers=("PO-1",),
            ),
            certificate_input("California", (), exempt_percentage=100.0, valid=True),
            certificate_input("Oregon", (SLASH_CODE,)),
        ],
        pre_validated_exemption_reason=True,
    )
    demo.upload_certificate_attachment(COMPANY, california.id, UPLOADED_PDF, "california.pdf")
    assert demo.download_certificate_attachment(COMPANY, california.id) == UPLOADED_PDF

    linked = demo.link_certificates_to_customer(COMPANY, SLASH_CODE, [california.id])
    assert [certificate.id for certificate in linked] == [california.id]
    linked_customers = demo.link_customers_to_certificate(COMPANY, washington.id, ["NUVO-0002"])
    assert [customer.customer_code for customer in linked_customers] == ["NUVO-0002"]

    assert demo.get_certificate(COMPANY, oregon.id, include="customers").customer_codes == (
        SLASH_CODE,
    )
    assert len(demo.query_certificates(COMPANY, include="customers")) == 3
    first_page = demo.query_certificates_page(
        COMPANY, skip=0, top=2, order_by="id ASC", filter="modifiedDate ge '2000-01-01'"
    )
    assert (len(first_page.certificates), first_page.next_skip) == (2, 2)
    assert len(demo.list_certificates_for_customer(COMPANY, SLASH_CODE)) == 3
    assert len(demo.query_customers(COMPANY, include="certificates")) == 3
    assert len(demo.list_exposure_zones()) == 64
    assert len(demo.list_exemption_reasons()) == 17


@pytest.fixture(scope="module")
def recording() -> Recording:
    """Run the scenario once: four accounts' clients share one recording session."""
    session = recording_session()
    called: set[str] = set()
    with run_in_thread(provisioning_delay=0, page_size=PAGE_SIZE, seed=1) as sim, session:
        clients = [
            CallRecorder(
                AvaTaxClient(
                    base_url=sim.base_url,
                    username=username,
                    password=password,
                    timeout=(2.0, 5.0),
                    max_retries=0,
                    machine_name="contract-test",
                    session=session,
                ),
                called,
            )
            for username, password in (DEMO, LICENSE_KEY, UNPROVISIONED, WRONG_PASSWORD)
        ]
        exercise_companies(*clients)
        exercise_customers(clients[0])
        exercise_certificates(clients[0])
    return Recording(tuple(session.exchanges), frozenset(called))


def operation_of(exchange: Exchange) -> str:
    return CONTRACT.operation_for(exchange.method, exchange.url).operation_id


def describe(exchange: Exchange) -> str:
    parts = urlsplit(exchange.url)
    return f"{exchange.method} {parts.path}{'?' + parts.query if parts.query else ''}"


def check_request(exchange: Exchange) -> str:
    """Validate a request; CreateCertificates without the fields of the known mismatch."""
    if exchange.request_media_type == MULTIPART:
        parts = multipart_parts(exchange.request_content_type, exchange.request_body)
        fields = {part.name: part.payload.decode("latin-1") for part in parts}
        return CONTRACT.validate_request(
            exchange.method, exchange.url, fields, media_type=MULTIPART
        )
    if exchange.request_body:
        assert exchange.request_media_type == JSON, exchange.request_content_type
    body = exchange.request_json()
    if operation_of(exchange) == "CreateCertificates":
        body = [
            {
                key: value
                for key, value in certificate.items()
                if key not in CREATE_CERTIFICATES_MISMATCHED_FIELDS
            }
            for certificate in body
        ]
    return CONTRACT.validate_request(exchange.method, exchange.url, body)


def check_response(exchange: Exchange) -> str:
    return CONTRACT.validate_response(
        exchange.method, exchange.url, exchange.status, exchange.response_json()
    )


def exchanges_for(recording: Recording, operation_id: str) -> list[Exchange]:
    return [exchange for exchange in recording.exchanges if operation_of(exchange) == operation_id]


def failures(check, exchanges) -> list[str]:
    found = []
    for exchange in exchanges:
        try:
            check(exchange)
        except AssertionError as error:
            found.append(f"{describe(exchange)} -> {exchange.status}\n{error}")
    return found


def client_operations() -> dict[str, str | None]:
    """Each public AvaTaxClient method and the spec operation its docstring names."""
    operation_ids = {operation.operation_id for operation in CONTRACT.operations}
    methods = {}
    for name, method in inspect.getmembers(AvaTaxClient, inspect.isfunction):
        if name.startswith("_"):
            continue
        named = [
            found
            for found in re.findall(r"\((\w+)", inspect.getdoc(method) or "")
            if found in operation_ids
        ]
        assert len(named) <= 1, f"{name} names several operations: {named}"
        methods[name] = named[0] if named else None
    return methods


# The scenario and what it covers


def test_scenario_calls_every_client_method_and_every_operation_the_client_implements(
    recording,
):
    methods = client_operations()
    implemented = {operation for operation in methods.values() if operation}

    assert {name for name, operation in methods.items() if not operation} == LIFECYCLE_METHODS
    assert recording.called == set(methods) - LIFECYCLE_METHODS
    assert set(recording.operation_ids()) == implemented


def test_list_calls_follow_next_link_across_pages(recording):
    paged = {
        operation_of(exchange)
        for exchange in recording.exchanges
        if "$skip" in dict(parse_qsl(urlsplit(exchange.url).query))
    }

    assert paged == PAGED_OPERATIONS


def test_the_expected_error_paths_were_exercised(recording):
    errors = {
        (operation_of(exchange), exchange.status, exchange.response_json()["error"]["code"])
        for exchange in recording.exchanges
        if exchange.status >= 400
    }

    assert errors == EXPECTED_ERRORS


# The contract


def test_every_request_the_client_sends_matches_the_spec(recording):
    assert failures(check_request, recording.exchanges) == []


def test_create_certificates_links_customers_as_in_avalaras_example(recording):
    (create,) = exchanges_for(recording, "CreateCertificates")
    company_id = int(create.url.split("/companies/")[1].split("/")[0])

    certificates = create.request_json()
    assert any(certificate["customers"] for certificate in certificates)
    for certificate in certificates:
        assert "isSingleCertificate" not in certificate
        assert all(
            set(link) == {"companyId", "customerCode"} and link["companyId"] == company_id
            for link in certificate["customers"]
        )


def test_every_successful_json_response_matches_the_spec(recording):
    successes = [
        exchange
        for exchange in recording.exchanges
        if exchange.status < 300 and exchange.response_media_type == JSON
    ]

    found = failures(check_response, successes)

    assert found == []


def test_every_error_response_has_avalaras_error_result_shape(recording):
    errors = [exchange for exchange in recording.exchanges if exchange.status >= 400]

    found = failures(check_response, errors)

    assert {exchange.response_media_type for exchange in errors} == {JSON}
    assert found == []


def test_attachment_upload_is_multipart_with_exactly_one_file_part(recording):
    (upload,) = exchanges_for(recording, "UploadCertificateImage")
    parts = multipart_parts(upload.request_content_type, upload.request_body)

    assert upload.request_media_type == MULTIPART
    assert [(part.name, part.filename, part.content_type) for part in parts] == [
        ("file", "california.pdf", "application/pdf")
    ]
    assert parts[0].payload == UPLOADED_PDF
    assert (upload.status, upload.response_json()) == (200, "OK")


def test_attachment_download_answers_pdf_bytes_not_json(recording):
    binary = [
        exchange
        for exchange in recording.exchanges
        if exchange.status < 300 and exchange.response_media_type != JSON
    ]

    assert [(operation_of(exchange), exchange.response_media_type) for exchange in binary] == [
        ("DownloadCertificateImage", "application/pdf")
    ]
    assert binary[0].response_body == UPLOADED_PDF


# The helper itself


@pytest.mark.parametrize(
    ("method", "path", "operation_id"),
    [
        ("GET", "/companies/1/certificates/setup", "GetCertificateSetup"),
        ("POST", "/companies/1/certificates/setup", "RequestCertificateSetup"),
        ("GET", "/companies/1/certificates/42", "GetCertificate"),
        ("GET", "/companies/1/customers/A%2FB%20C", "GetCustomer"),
        ("GET", "/companies/1/customers/A%2FB/certificates", "ListCertificatesForCustomer"),
        ("GET", "/companies/1/customers/A/certificates/US/WA", "ListValidCertificatesForCustomer"),
        ("POST", "/companies/1/customers/A/certificates/link", "LinkCertificatesToCustomer"),
        ("GET", "/companies/1/customers/setup", "GetCustomer"),
    ],
)
def test_contract_matches_literal_segments_before_templates(method, path, operation_id):
    url = f"http://127.0.0.1/api/v2{path}"

    assert CONTRACT.operation_for(method, url).operation_id == operation_id


def test_contract_reports_operation_pointer_and_offending_value():
    url = "http://127.0.0.1/api/v2/companies/1/certificates"
    body = [
        {
            "signedDate": "2024-02-30",
            "expirationDate": "2099-12-31",
            "exemptionReason": {"id": 2**31, "name": "RESALE"},
            "exposureZone": {"name": "Washington"},
            "createdDate": "2024-01-15 10:00",
        }
    ]

    with pytest.raises(AssertionError) as mismatch:
        CONTRACT.validate_request("POST", url, body)

    heading, *lines = str(mismatch.value).splitlines()
    assert heading == "CreateCertificates request body does not match the spec:"
    assert [(line.split(":")[0], line.rsplit(" (value: ")[-1]) for line in lines] == [
        ("  at /0/createdDate", "'2024-01-15 10:00')"),
        ("  at /0/exemptionReason/id", "2147483648)"),
        ("  at /0/signedDate", "'2024-02-30')"),
    ]


def test_contract_rejects_read_only_fields_in_requests_but_not_in_responses():
    url = "http://127.0.0.1/api/v2/companies/1/customers/A"
    customer = {
        "id": 7,
        "companyId": 1,
        "customerCode": "A",
        "name": "Alice Example",
        "line1": "100 Ravine Lane",
        "city": "Bainbridge Island",
        "region": "WA",
        "postalCode": "98110",
        "country": "US",
    }

    with pytest.raises(AssertionError, match="at /id: Tried to write read-only property"):
        CONTRACT.validate_request("PUT", url, customer)
    assert CONTRACT.validate_response("PUT", url, 200, customer) == "UpdateCustomer"


def test_contract_checks_path_and_query_parameters():
    contract = OpenApiContract()
    base = "http://127.0.0.1/api/v2/companies/1/certificates"

    with pytest.raises(AssertionError, match=r"QueryCertificates query parameter \$top"):
        contract.validate_request("GET", f"{base}?$top=ten", None)
    with pytest.raises(AssertionError, match=r"\$count: not declared by the spec"):
        contract.validate_request("GET", f"{base}?$count=true", None)
    with pytest.raises(AssertionError, match="the spec has no PATCH"):
        contract.validate_request("PATCH", f"{base}/1", None)


def test_contract_checks_error_bodies_as_error_result():
    url = "http://127.0.0.1/api/v2/companies/1/customers/X"
    body = {"error": {"code": "NoSuchCode", "message": "Nope.", "details": []}}

    with pytest.raises(AssertionError) as mismatch:
        CONTRACT.validate_response("GET", url, 404, body)

    message = str(mismatch.value)
    assert message.startswith("GetCustomer 404 response (ErrorResult) does not match the spec:")
    assert "at /error: 'target' is a required property" in message
    assert "at /error/code: 'NoSuchCode' is not one of" in message
    assert "at /error/details: [] should be non-empty" in message


def test_in_repo_spec_is_a_byte_identical_copy_of_the_shared_spec():
    if not SHARED_SPEC.exists():
        pytest.skip(f"{SHARED_SPEC} is outside this checkout (only the workspace has ../shared)")

    assert SPEC_PATH.read_bytes() == SHARED_SPEC.read_bytes()
