"""The local AvaTax stand-in, driven over a real loopback socket with `requests`."""

import base64
import json
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from integrations.simulator import SimulatorState, run_in_thread
from tests.pdf_factory import make_pdf

REPO_ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = REPO_ROOT / "tests/fixtures/avalara/avatax-rest-v2-21.12.0-ecm-subset.openapi.json"
DEMO = ("nuvo-demo", "avalara-demo")
LICENSE_KEY = ("2000100002", "A1B2C3D4E5F6A7B8")
UNPROVISIONED = ("nuvo-unprovisioned", "avalara-demo")
CUSTOMERS = "/api/v2/companies/7100001/customers"
CERTIFICATES = "/api/v2/companies/7100001/certificates"


@pytest.fixture
def sim():
    with run_in_thread(provisioning_delay=0, seed=1234) as handle:
        yield handle


def call(sim, method, path, *, auth=DEMO, timeout=5, **kwargs) -> requests.Response:
    return requests.request(method, sim.base_url + path, auth=auth, timeout=timeout, **kwargs)


def customer(code="NUVO_0001", **overrides) -> dict:
    return {
        "customerCode": code,
        "name": "Alice Example",
        "line1": "100 Ravine Lane",
        "city": "Bainbridge Island",
        "region": "WA",
        "postalCode": "98110",
        "country": "US",
        **overrides,
    }


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def certificate(**overrides) -> dict:
    """A CertificateModel with an inline PDF; an override of None drops the field."""
    body = {
        "signedDate": "2024-01-15",
        "expirationDate": "2099-12-31",
        "exemptionReason": {"name": "RESALE"},
        "exposureZone": {"name": "Washington"},
        "pdf": b64(make_pdf()),
        **overrides,
    }
    return {key: value for key, value in body.items() if value is not None}


def create_customers(sim, *customers, auth=DEMO, path=CUSTOMERS) -> requests.Response:
    return call(sim, "POST", path, auth=auth, json=list(customers))


def create_certificate(sim, **overrides) -> dict:
    response = call(sim, "POST", CERTIFICATES, json=[certificate(**overrides)])
    assert response.status_code == 200, response.text
    return response.json()[0]


def error_of(response: requests.Response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


# Ping and authentication


def test_ping_without_credentials_answers_200_unauthenticated(sim):
    response = call(sim, "GET", "/api/v2/utilities/ping", auth=None)

    assert response.status_code == 200
    assert response.json() == {
        "version": "21.12.0-nuvo-simulator",
        "authenticated": False,
        "authenticationType": "None",
    }


@pytest.mark.parametrize(
    "authorization",
    ["Basic " + base64.b64encode(b"nuvo-demo:wrong").decode(), "Basic !!!", "Bearer abc"],
)
def test_ping_with_bad_or_malformed_credentials_answers_200_unauthenticated(sim, authorization):
    response = call(
        sim, "GET", "/api/v2/utilities/ping", auth=None, headers={"Authorization": authorization}
    )

    assert response.status_code == 200
    assert '"authenticated":false' in response.text


def test_ping_with_username_password_reports_user_account_and_company(sim):
    response = call(sim, "GET", "/api/v2/utilities/ping", auth=DEMO)

    assert response.json() == {
        "version": "21.12.0-nuvo-simulator",
        "authenticated": True,
        "authenticationType": "UsernamePassword",
        "authenticatedUserName": "nuvo-demo",
        "authenticatedUserId": 9100001,
        "authenticatedAccountId": 2000100001,
        "authenticatedCompanyId": 7100001,
    }


def test_ping_with_account_id_and_license_key_has_no_company_id(sim):
    response = call(sim, "GET", "/api/v2/utilities/ping", auth=LICENSE_KEY)

    assert response.json() == {
        "version": "21.12.0-nuvo-simulator",
        "authenticated": True,
        "authenticationType": "AccountIdLicenseKey",
        "authenticatedAccountId": 2000100002,
    }


def test_call_without_authorization_header_is_401_authentication_incomplete(sim):
    response = call(sim, "GET", "/api/v2/companies", auth=None)

    assert response.status_code == 401
    assert response.json() == {
        "error": {
            "code": "AuthenticationIncomplete",
            "message": "Authentication Incomplete.",
            "target": "HttpRequestHeaders",
            "details": [
                {
                    "code": "AuthenticationIncomplete",
                    "number": 34,
                    "message": "Authentication Incomplete.",
                    "description": "You must provide an Authorization header of the type Basic "
                    "or Bearer to authenticate correctly.  ",
                    "faultCode": "Client",
                    "helpLink": "http://developer.avalara.com/avatax/errors/AuthenticationIncomplete",
                    "severity": "Exception",
                }
            ],
        }
    }


def test_wrong_credentials_get_avalaras_401_authentication_exception_body(sim):
    response = call(sim, "GET", "/api/v2/companies", auth=("nuvo-demo", "wrong"))

    assert response.status_code == 401
    assert response.json() == {
        "error": {
            "code": "AuthenticationException",
            "message": "Authentication failed.",
            "target": "HttpRequestHeaders",
            "details": [
                {
                    "code": "AuthenticationException",
                    "number": 30,
                    "message": "Authentication failed.",
                    "description": "Unable to authenticate the user or the account.",
                    "faultCode": "Client",
                    "helpLink": "http://developer.avalara.com/avatax/errors/AuthenticationException",
                    "severity": "Exception",
                }
            ],
        }
    }


@pytest.mark.parametrize("authorization", ["Basic !!!", "Basic " + "bm9jb2xvbg==", "Token x"])
def test_malformed_authorization_header_is_401_basic_auth_incorrect(sim, authorization):
    response = call(
        sim, "GET", "/api/v2/companies", auth=None, headers={"Authorization": authorization}
    )

    assert error_of(response) == (401, "BasicAuthIncorrect")


def test_responses_carry_json_content_type_and_a_uuid_correlation_id(sim):
    responses = [
        call(sim, "GET", "/api/v2/utilities/ping"),
        call(sim, "GET", "/api/v2/companies", auth=None),
        call(sim, "GET", CUSTOMERS + "/missing"),
    ]

    for response in responses:
        assert response.headers["Content-Type"] == "application/json; charset=utf-8"
        assert uuid.UUID(response.headers["x-correlation-id"]).version == 4
    assert len({r.headers["x-correlation-id"] for r in responses}) == 3


# Companies


@pytest.mark.parametrize("expression", ["isDefault eq true", "isDefault EQ true"])
def test_default_company_filter_returns_only_the_default_company(sim, expression):
    everything = call(sim, "GET", "/api/v2/companies", auth=LICENSE_KEY).json()
    default = call(
        sim, "GET", "/api/v2/companies", auth=LICENSE_KEY, params={"$filter": expression}
    ).json()

    assert [c["id"] for c in everything["value"]] == [7100002, 7100004]
    assert default["@recordsetCount"] == 1
    assert [(c["id"], c["name"], c["isDefault"]) for c in default["value"]] == [
        (7100002, "Simulator Default Company", True)
    ]


def test_filter_combines_clauses_with_and(sim):
    response = call(
        sim,
        "GET",
        "/api/v2/companies",
        auth=LICENSE_KEY,
        params={"$filter": "isDefault eq false and companyCode eq 'SECOND'"},
    )

    assert [c["id"] for c in response.json()["value"]] == [7100004]


@pytest.mark.parametrize(
    ("expression", "code"),
    [
        ("favouriteColour eq 'blue'", "InvalidQueryField"),
        ("isDefault ne true", "MalformedFilterException"),
        ("isDefault eq", "MalformedFilterException"),
    ],
)
def test_unsupported_filters_are_400(sim, expression, code):
    response = call(sim, "GET", "/api/v2/companies", params={"$filter": expression})

    assert error_of(response) == (400, code)


def test_company_of_another_account_is_404_entity_not_found(sim):
    company = call(sim, "GET", "/api/v2/companies/7100001", auth=LICENSE_KEY)
    customers = call(sim, "GET", CUSTOMERS, auth=LICENSE_KEY)

    assert company.status_code == 404
    assert company.json()["error"]["message"] == "Company not found."
    assert company.json()["error"]["details"][0] == {
        "code": "EntityNotFoundError",
        "number": 4,
        "message": "Company not found.",
        "description": "The Company with ID '7100001' was not found.",
        "faultCode": "Client",
        "helpLink": "http://developer.avalara.com/avatax/errors/EntityNotFoundError",
        "refersTo": "Company",
        "severity": "Error",
    }
    assert error_of(customers) == (404, "EntityNotFoundError")


# ECM provisioning


def test_provisioning_goes_from_not_provisioned_through_in_progress_to_provisioned(sim):
    setup = "/api/v2/companies/7100003/certificates/setup"

    before = call(sim, "GET", setup, auth=UNPROVISIONED).json()
    requested = call(sim, "POST", setup, auth=UNPROVISIONED).json()
    after = call(sim, "GET", setup, auth=UNPROVISIONED).json()

    assert before == {"status": "NotProvisioned", "accountId": 2000100003, "companyId": 7100003}
    assert requested == {"status": "InProgress", "accountId": 2000100003, "companyId": 7100003}
    assert after == {"status": "Provisioned", "accountId": 2000100003, "companyId": 7100003}


def test_provisioning_stays_in_progress_until_the_delay_has_passed():
    with run_in_thread(provisioning_delay=60) as sim:
        setup = "/api/v2/companies/7100003/certificates/setup"
        call(sim, "POST", setup, auth=UNPROVISIONED)

        assert call(sim, "GET", setup, auth=UNPROVISIONED).json()["status"] == "InProgress"


def test_ecm_calls_before_provisioning_are_400_certificates_not_setup(sim):
    customers = "/api/v2/companies/7100003/customers"
    zones = "/api/v2/definitions/certificateexposurezones"

    responses = [
        call(sim, "GET", customers, auth=UNPROVISIONED),
        create_customers(sim, customer(), auth=UNPROVISIONED, path=customers),
        call(sim, "GET", "/api/v2/companies/7100003/certificates", auth=UNPROVISIONED),
        call(sim, "GET", zones, auth=UNPROVISIONED),
    ]
    call(sim, "POST", "/api/v2/companies/7100003/certificates/setup", auth=UNPROVISIONED)

    for response in responses:
        assert error_of(response) == (400, "CertificatesNotSetup")
        assert response.json()["error"]["message"] == "This company has not been configured."
    assert call(sim, "GET", customers, auth=UNPROVISIONED).status_code == 200
    assert call(sim, "GET", zones, auth=UNPROVISIONED).status_code == 200
    companies = {c["id"]: c for c in sim.state.summary()["companies"]}
    assert companies[7100003]["customers"] == []


# Customers


def test_create_customer_answers_the_created_customer_and_get_reads_it_back(sim):
    created = create_customers(sim, customer("NUVO_0001"))
    fetched = call(sim, "GET", CUSTOMERS + "/NUVO_0001")

    assert created.status_code == 200
    [body] = created.json()
    assert body["companyId"] == 7100001
    assert body["customerCode"] == "NUVO_0001"
    assert isinstance(body["id"], int)
    assert fetched.json() == body


def test_existing_customer_code_is_400_duplicate_entry_and_nothing_changes(sim):
    create_customers(sim, customer("NUVO_0001", name="First"))

    response = create_customers(sim, customer("NUVO_0002"), customer("NUVO_0001", name="Second"))

    assert error_of(response) == (400, "DuplicateEntry")
    assert response.json()["error"]["message"] == "The object is a duplicate of an existing object."
    assert [c["customerCode"] for c in call(sim, "GET", CUSTOMERS).json()["value"]] == ["NUVO_0001"]
    assert call(sim, "GET", CUSTOMERS + "/NUVO_0001").json()["name"] == "First"


def test_customer_without_city_is_400_value_required_error_naming_city(sim):
    response = create_customers(sim, customer(city=None))

    assert error_of(response) == (400, "ValueRequiredError")
    assert response.json()["error"]["message"] == "Field city is required."
    assert response.json()["error"]["details"][0]["refersTo"] == "[0].city"
    assert call(sim, "GET", CUSTOMERS).json()["@recordsetCount"] == 0


def test_customer_line1_over_50_characters_is_400_string_length_error(sim):
    response = create_customers(sim, customer(line1="x" * 51))

    assert error_of(response) == (400, "StringLengthError")
    assert response.json()["error"]["message"] == (
        "Field line1 must be between 1 and 50 characters in length."
    )


def test_create_customers_body_must_be_a_json_array(sim):
    response = call(sim, "POST", CUSTOMERS, json=customer())

    assert error_of(response) == (400, "ModelStateInvalid")


def test_customer_code_with_slash_and_space_round_trips_url_encoded(sim):
    create_customers(sim, customer("ACME/East 01"))

    fetched = call(sim, "GET", CUSTOMERS + "/ACME%2FEast%2001")
    other_case = call(sim, "GET", CUSTOMERS + "/acme%2Feast%2001")

    assert fetched.status_code == 200
    assert fetched.json()["customerCode"] == "ACME/East 01"
    assert error_of(other_case) == (404, "EntityNotFoundError")


def test_update_replaces_the_customer_and_delete_removes_it(sim):
    create_customers(sim, customer("NUVO_0001", phoneNumber="(206) 555-1212"))

    updated = call(sim, "PUT", CUSTOMERS + "/NUVO_0001", json=customer("NUVO_0001", name="Bob"))
    deleted = call(sim, "DELETE", CUSTOMERS + "/NUVO_0001")

    assert updated.json()["name"] == "Bob"
    assert "phoneNumber" not in updated.json()
    assert deleted.json()["customerCode"] == "NUVO_0001"
    assert error_of(call(sim, "GET", CUSTOMERS + "/NUVO_0001")) == (404, "EntityNotFoundError")


# Certificates


def test_create_certificate_with_inline_pdf_creates_and_links_the_customers(sim):
    create_customers(sim, customer("NUVO_0001"))

    created = create_certificate(
        sim, customers=[{"customerCode": "NUVO_0001"}, {"customerCode": "NUVO_0002"}]
    )

    assert created["documentExists"] is True
    assert created["pageCount"] == 1
    assert created["valid"] is True
    assert created["ecmStatus"] == "Valid"
    assert created["exemptionReason"] == {"id": 7, "name": "RESALE"}
    assert created["exposureZone"] == {
        "id": 48,
        "name": "Washington",
        "region": "WA",
        "country": "US",
    }
    linked = call(sim, "GET", f"{CERTIFICATES}/{created['id']}/customers").json()
    assert [c["customerCode"] for c in linked["value"]] == ["NUVO_0001", "NUVO_0002"]


def test_certificate_pdf_that_is_not_a_pdf_is_400_certificates_error_with_certcapture_json(sim):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

    response = call(sim, "POST", CERTIFICATES, json=[certificate(pdf=b64(png))])

    assert error_of(response) == (400, "CertificatesError")
    detail = response.json()["error"]["details"][0]
    assert detail["message"] == "Certificates API returned error"
    assert json.loads(detail["description"].removesuffix(".")) == {
        "success": False,
        "code": "100110",
        "error": {"pdf": ["The uploaded file must be a base64 encoded PDF."]},
    }
    assert call(sim, "GET", CERTIFICATES).json()["@recordsetCount"] == 0


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"pdf": None}, "MissingRequiredFields"),
        ({"filename": "scan.pdf"}, "ConflictingFields"),
        ({"pdf": ""}, "InvalidPdfOrImageFile"),
        ({"exemptionReason": None}, "MissingExemptReason"),
        ({"exemptionReason": {"name": "EXPOSURE"}}, "InvalidExemptReason"),
        ({"exposureZone": None}, "ValueRequiredError"),
        ({"expirationDate": None}, "ValueRequiredError"),
    ],
)
def test_invalid_certificates_are_400_with_avalaras_code(sim, overrides, code):
    response = call(sim, "POST", CERTIFICATES, json=[certificate(**overrides)])

    assert error_of(response) == (400, code)
    assert call(sim, "GET", CERTIFICATES).json()["@recordsetCount"] == 0


@pytest.mark.parametrize(
    ("overrides", "ecm_status"),
    [
        ({"expirationDate": "2001-01-01", "signedDate": "2000-01-01"}, "Expired"),
        ({"signedDate": "2098-01-01"}, "PendingFuture"),
        ({"valid": False}, "Invalid"),
        ({}, "Valid"),
    ],
)
def test_certificate_ecm_status_follows_dates_and_validity(sim, overrides, ecm_status):
    assert create_certificate(sim, **overrides)["ecmStatus"] == ecm_status


def test_prevalidated_certificate_is_verified(sim):
    response = call(
        sim,
        "POST",
        CERTIFICATES,
        params={"$preValidatedExemptionReason": "true"},
        json=[certificate()],
    )

    assert (response.json()[0]["verified"], response.json()[0]["status"]) == (True, "COMPLETE")


def test_uploaded_attachment_downloads_as_identical_pdf_bytes(sim):
    created = create_certificate(sim, pdf=None, filename="scan.pdf")
    document = make_pdf(pages=2, text="line\r\nbreaks --boundary\n")
    attachment = f"{CERTIFICATES}/{created['id']}/attachment"

    uploaded = call(
        sim, "POST", attachment, files={"file": ("scan.pdf", document, "application/pdf")}
    )
    downloaded = call(sim, "GET", attachment, params={"$type": "Pdf"})

    assert (uploaded.status_code, uploaded.json()) == (200, "OK")
    assert downloaded.headers["Content-Type"] == "application/pdf"
    assert downloaded.content == document
    fetched = call(sim, "GET", f"{CERTIFICATES}/{created['id']}").json()
    assert (created["documentExists"], fetched["documentExists"]) == (False, True)
    assert fetched["pageCount"] == 2


def test_attachment_upload_that_is_not_multipart_is_400_invalid_request_content_type(sim):
    created = create_certificate(sim)

    response = call(
        sim, "POST", f"{CERTIFICATES}/{created['id']}/attachment", json={"file": "JVBERi0="}
    )

    assert error_of(response) == (400, "InvalidRequestContentType")


def test_attachment_upload_without_a_file_is_400_invalid_pdf_or_image_file(sim):
    created = create_certificate(sim)

    response = call(sim, "POST", f"{CERTIFICATES}/{created['id']}/attachment", data=b"")

    assert error_of(response) == (400, "InvalidPdfOrImageFile")


def test_download_of_certificate_without_document_is_404(sim):
    created = create_certificate(sim, pdf=None, filename="scan.pdf")

    response = call(sim, "GET", f"{CERTIFICATES}/{created['id']}/attachment")

    assert error_of(response) == (404, "EntityNotFoundError")


def test_update_and_delete_certificate(sim):
    created = create_certificate(sim)
    changed = certificate(exposureZone={"name": "Oregon"}, pdf=None)

    updated = call(sim, "PUT", f"{CERTIFICATES}/{created['id']}", json=changed)
    deleted = call(sim, "DELETE", f"{CERTIFICATES}/{created['id']}")

    assert (updated.json()["exposureZone"]["region"], updated.json()["documentExists"]) == (
        "OR",
        True,
    )
    assert deleted.json()[0]["code"] == "DeleteInformation"
    assert error_of(call(sim, "GET", f"{CERTIFICATES}/{created['id']}")) == (
        404,
        "EntityNotFoundError",
    )


# Links


def test_link_and_unlink_certificates_drive_the_customers_exemption_status(sim):
    create_customers(sim, customer("NUVO_0001"))
    cert = create_certificate(sim)
    link = CUSTOMERS + "/NUVO_0001/certificates/link"
    exempt_in_wa = CUSTOMERS + "/NUVO_0001/certificates/US/WA"

    linked = call(sim, "POST", link, json={"certificates": [cert["id"]]})
    status_linked = call(sim, "GET", exempt_in_wa).json()
    status_oregon = call(sim, "GET", CUSTOMERS + "/NUVO_0001/certificates/US/OR").json()
    unlinked = call(
        sim,
        "POST",
        CUSTOMERS + "/NUVO_0001/certificates/unlink",
        json={"certificates": [cert["id"]]},
    )

    assert [c["id"] for c in linked.json()["value"]] == [cert["id"]]
    assert status_linked["status"] == "Exempt"
    assert status_linked["certificate"]["id"] == cert["id"]
    assert status_oregon == {"status": "NotExempt"}
    assert unlinked.status_code == 200
    assert call(sim, "GET", exempt_in_wa).json() == {"status": "NotExempt"}
    assert call(sim, "GET", CUSTOMERS + "/NUVO_0001/certificates").json()["value"] == []


def test_linking_an_unknown_certificate_is_404_and_links_nothing(sim):
    create_customers(sim, customer("NUVO_0001"))

    response = call(
        sim, "POST", CUSTOMERS + "/NUVO_0001/certificates/link", json={"certificates": [99]}
    )

    assert error_of(response) == (404, "EntityNotFoundError")


def test_customer_certificates_include_their_linked_customers(sim):
    create_customers(sim, customer("NUVO_0001"), customer("NUVO_0002"))
    cert = create_certificate(sim, customers=[{"customerCode": "NUVO_0001"}])
    call(
        sim,
        "POST",
        f"{CERTIFICATES}/{cert['id']}/customers/link",
        json={"customers": ["NUVO_0002"]},
    )

    plain = call(sim, "GET", CUSTOMERS + "/NUVO_0001/certificates").json()
    included = call(
        sim, "GET", CUSTOMERS + "/NUVO_0001/certificates", params={"$include": "customers"}
    ).json()

    assert "customers" not in plain["value"][0]
    assert [c["customerCode"] for c in included["value"][0]["customers"]] == [
        "NUVO_0001",
        "NUVO_0002",
    ]


def test_unlinking_customers_from_a_certificate(sim):
    cert = create_certificate(sim, customers=[{"customerCode": "A"}, {"customerCode": "B"}])

    response = call(
        sim, "POST", f"{CERTIFICATES}/{cert['id']}/customers/unlink", json={"customers": ["A"]}
    )

    assert [c["customerCode"] for c in response.json()["value"]] == ["A"]
    remaining = call(sim, "GET", f"{CERTIFICATES}/{cert['id']}/customers").json()["value"]
    assert [c["customerCode"] for c in remaining] == ["B"]


# Paging


def test_paging_walks_three_pages_by_next_link_keeping_other_parameters():
    with run_in_thread(page_size=2) as sim:
        create_customers(sim, *(customer(f"NUVO_{n}") for n in range(5)))
        pages, path = [], CUSTOMERS + "?%24include=certificates"
        while path:
            page = call(sim, "GET", path).json()
            pages.append(page)
            path = page.get("@nextLink")

    assert [[c["customerCode"] for c in p["value"]] for p in pages] == [
        ["NUVO_0", "NUVO_1"],
        ["NUVO_2", "NUVO_3"],
        ["NUVO_4"],
    ]
    assert [p["@recordsetCount"] for p in pages] == [5, 5, 5]
    assert pages[0]["@nextLink"] == (
        "/api/v2/companies/7100001/customers?%24top=2&%24skip=2&%24include=certificates"
    )
    assert "@nextLink" not in pages[2]
    assert pages[2]["value"][0]["certificates"] == []


def test_exemption_lists_refuse_skip_that_is_not_a_multiple_of_top(sim):
    response = call(sim, "GET", CUSTOMERS, params={"$top": "2", "$skip": "3"})
    companies = call(sim, "GET", "/api/v2/companies", params={"$top": "2", "$skip": "3"})

    assert error_of(response) == (400, "ExemptionPaginationLimits")
    assert companies.status_code == 200


def test_definitions_list_every_exposure_zone_and_the_exempt_reasons(sim):
    zones = call(sim, "GET", "/api/v2/definitions/certificateexposurezones").json()
    reasons = call(sim, "GET", "/api/v2/definitions/certificateexemptreasons").json()

    assert zones["@recordsetCount"] == 64
    assert {"id": 48, "name": "Washington", "region": "WA", "country": "US"} in zones["value"]
    assert {z["country"] for z in zones["value"]} == {"US", "CA"}
    assert [r["name"] for r in reasons["value"]][:3] == [
        "FEDERAL GOV",
        "STATE GOV",
        "TRIBAL GOVERNMENT",
    ]
    assert reasons["@recordsetCount"] == 17


# Faults


def test_fault_500_at_rate_one_fails_every_matching_call_and_nothing_else(sim):
    sim.state.faults.add(method="POST", operation="CreateCustomers", status=500)

    failed = create_customers(sim, customer())
    listed = call(sim, "GET", CUSTOMERS)

    assert error_of(failed) == (500, "InternalServerError")
    assert listed.json()["@recordsetCount"] == 0
    assert [r.fault for r in sim.state.requests()] == ["rule-1", None]


def test_fault_429_carries_retry_after(sim):
    sim.state.faults.add(path="/api/v2/companies/*/customers*", status=429, retry_after=7)

    response = call(sim, "GET", CUSTOMERS)

    assert error_of(response) == (429, "RateLimitExceededError")
    assert response.headers["Retry-After"] == "7"


def test_fault_on_first_n_requests_set_over_http_then_recovers(sim):
    posted = requests.post(
        sim.base_url + "/_simulator/faults",
        json={"operation": "Ping", "status": 503, "first_n": 2},
        timeout=5,
    )

    statuses = [call(sim, "GET", "/api/v2/utilities/ping").status_code for _ in range(3)]

    assert posted.json()["rules"][0]["first_n"] == 2
    assert statuses == [503, 503, 200]


def test_fault_control_rejects_unknown_fields(sim):
    response = requests.post(sim.base_url + "/_simulator/faults", json={"colour": "red"}, timeout=5)

    assert response.status_code == 400
    assert sim.state.faults.rules() == []


def test_fault_latency_delays_the_answer(sim):
    sim.state.faults.add(operation="Ping", latency_ms=200)

    started = time.perf_counter()
    response = call(sim, "GET", "/api/v2/utilities/ping")

    assert response.status_code == 200
    assert time.perf_counter() - started >= 0.2


def test_fault_timeout_outlasts_the_client_read_timeout_after_the_write_is_applied(sim):
    sim.state.faults.add(operation="CreateCustomers", timeout_ms=3000, after=True)

    with pytest.raises(requests.exceptions.ReadTimeout):
        call(sim, "POST", CUSTOMERS, json=[customer("NUVO_0001")], timeout=0.3)

    assert call(sim, "GET", CUSTOMERS + "/NUVO_0001").status_code == 200


def test_seeded_error_rate_fails_the_same_requests_every_run():
    def statuses() -> list[int]:
        with run_in_thread(seed=42, error_rate=0.5) as sim:
            return [call(sim, "GET", "/api/v2/utilities/ping").status_code for _ in range(12)]

    first, second = statuses(), statuses()

    assert first == second
    assert set(first) == {200, 500}


def test_stop_returns_promptly_while_a_request_hangs(sim):
    sim.state.faults.add(operation="Ping", timeout_ms=30_000)
    with pytest.raises(requests.exceptions.ReadTimeout):
        call(sim, "GET", "/api/v2/utilities/ping", timeout=0.2)

    started = time.perf_counter()
    sim.stop()

    assert time.perf_counter() - started < 2


# Request log, state and reset


def test_request_log_counts_avalara_calls_without_credentials(sim):
    call(sim, "GET", "/api/v2/utilities/ping")
    create_customers(sim, customer())
    create_customers(sim, customer())
    requests.get(sim.base_url + "/_simulator/state", timeout=5)

    log = requests.get(sim.base_url + "/_simulator/requests", timeout=5).json()

    assert log["count"] == 3
    assert log["byOperation"] == {"Ping": 1, "CreateCustomers": 2}
    assert [(r["method"], r["path"], r["status"]) for r in log["requests"]] == [
        ("GET", "/api/v2/utilities/ping", 200),
        ("POST", CUSTOMERS, 200),
        ("POST", CUSTOMERS, 400),
    ]
    assert "avalara-demo" not in json.dumps(log)
    assert "Authorization" not in json.dumps(log)
    assert sim.state.count("CreateCustomers", status=400) == 1


def test_reset_restores_the_seeded_state(sim):
    create_customers(sim, customer())
    sim.state.faults.add(operation="Ping", status=500)
    call(sim, "POST", "/api/v2/companies/7100003/certificates/setup", auth=UNPROVISIONED)

    reset = requests.post(sim.base_url + "/_simulator/reset", timeout=5)

    assert reset.json() == {"status": "reset"}
    assert call(sim, "GET", CUSTOMERS).json()["@recordsetCount"] == 0
    assert call(sim, "GET", "/api/v2/utilities/ping").status_code == 200
    setup = call(sim, "GET", "/api/v2/companies/7100003/certificates/setup", auth=UNPROVISIONED)
    assert setup.json()["status"] == "NotProvisioned"
    assert sim.state.count() == 3


def test_reset_restores_options_accounts_latency_and_fault_numbering(sim):
    sim.state.page_size = 2
    sim.state.provisioning_delay = 60
    sim.state.add_account(username="tester", password="pw", company_ids=[7200001])
    sim.state.faults.configure(latency_ms=50, error_rate=0.5)
    sim.state.faults.add(operation="Ping", status=500)

    sim.state.reset()
    added = sim.state.faults.add(operation="Ping", status=503)

    assert (sim.state.page_size, sim.state.provisioning_delay) == (1000, 0)
    assert sim.state.authenticate("tester", "pw") is None
    assert 7200001 not in sim.state.companies
    assert sim.state.faults.base_latency_ms == 0
    assert sim.state.faults.rules() == [added]
    assert added.id == 1


def test_reset_keeps_the_constructor_latency_and_error_rate_and_replays_the_seed():
    state = SimulatorState(seed=42, latency_ms=5, error_rate=0.5)

    def fired() -> list[bool]:
        return [
            state.faults.decide("GET", "/api/v2/utilities/ping", "Ping").rule is not None
            for _ in range(12)
        ]

    first = fired()
    state.faults.clear()
    state.reset()

    assert fired() == first
    assert state.faults.base_latency_ms == 5
    assert [rule.name for rule in state.faults.rules()] == ["error-rate"]


def test_state_summary_lists_customers_and_certificates(sim):
    cert = create_certificate(sim, customers=[{"customerCode": "NUVO_0001"}])

    summary = requests.get(sim.base_url + "/_simulator/state", timeout=5).json()

    assert summary["companies"][0] == {
        "id": 7100001,
        "accountId": 2000100001,
        "name": "Acme Supply Co. (Simulator)",
        "isDefault": True,
        "provisionStatus": "Provisioned",
        "customers": ["NUVO_0001"],
        "certificates": [
            {
                "id": cert["id"],
                "exposureZone": "Washington",
                "exemptionReason": "RESALE",
                "documentExists": True,
                "ecmStatus": "Valid",
                "customers": ["NUVO_0001"],
            }
        ],
    }


def test_added_account_can_sign_in_and_sees_only_its_company(sim):
    sim.state.add_account(username="tester", password="pw", company_ids=[7200001])

    ping = call(sim, "GET", "/api/v2/utilities/ping", auth=("tester", "pw")).json()
    companies = call(sim, "GET", "/api/v2/companies", auth=("tester", "pw")).json()

    assert (ping["authenticated"], ping.get("authenticatedCompanyId")) == (True, None)
    assert [(c["id"], c["isDefault"]) for c in companies["value"]] == [(7200001, True)]


def test_unknown_path_is_404_and_wrong_method_is_405(sim):
    missing = call(sim, "GET", "/api/v2/transactions/create")
    wrong = call(sim, "PATCH", CUSTOMERS)

    assert error_of(missing) == (404, "EntityNotFoundError")
    assert wrong.status_code == 405
    assert wrong.headers["Allow"] == "GET, POST"


# The wire contract (../shared/avatax, REFERENCE.md §11)


def spec_validators() -> dict[str, OAS30Validator]:
    spec = json.loads(SPEC_PATH.read_text())
    registry = Registry().with_resource(
        "urn:avatax", Resource.from_contents(spec, default_specification=DRAFT4)
    )
    validators = {}
    for path_item in spec["paths"].values():
        for operation in path_item.values():
            content = operation["responses"]["200"].get("content", {})
            schema = content.get("application/json", {}).get("schema")
            if schema:
                schema = json.loads(json.dumps(schema).replace('"#/', '"urn:avatax#/'))
                validators[operation["operationId"]] = OAS30Validator(
                    schema, registry=registry, format_checker=OAS30Validator.FORMAT_CHECKER
                )
    return validators


def test_responses_match_the_avatax_21_12_schemas(sim):
    validators = spec_validators()
    create_customers(sim, customer("NUVO_0001", exposureZones=[{"name": "Washington"}]))
    cert = create_certificate(
        sim, customers=[{"customerCode": "NUVO_0001"}, {"customerCode": "NEW"}], exemptionNumber="1"
    )
    cert_path = f"{CERTIFICATES}/{cert['id']}"
    call(sim, "POST", CUSTOMERS, json=[customer("NUVO_0002")])
    calls = [
        ("GET", "/api/v2/utilities/ping", None, None),
        ("POST", CUSTOMERS, None, [customer("NUVO_0003")]),
        ("POST", CERTIFICATES, None, [certificate()]),
        ("GET", "/api/v2/companies", None, None),
        ("GET", CUSTOMERS, {"$include": "certificates"}, None),
        ("GET", CUSTOMERS + "/NUVO_0001", {"$include": "certificates"}, None),
        ("PUT", CUSTOMERS + "/NUVO_0002", None, customer("NUVO_0002")),
        ("GET", CUSTOMERS + "/NUVO_0001/certificates", {"$include": "customers"}, None),
        ("GET", CUSTOMERS + "/NUVO_0001/certificates/US/WA", None, None),
        ("POST", CUSTOMERS + "/NUVO_0002/certificates/link", None, {"certificates": [cert["id"]]}),
        (
            "POST",
            CUSTOMERS + "/NUVO_0002/certificates/unlink",
            None,
            {"certificates": [cert["id"]]},
        ),
        ("GET", CERTIFICATES, {"$include": "customers"}, None),
        ("GET", cert_path, {"$include": "customers"}, None),
        ("PUT", cert_path, None, certificate(pdf=None, filename="x.pdf")),
        ("GET", cert_path + "/customers", None, None),
        ("POST", cert_path + "/customers/link", None, {"customers": ["NUVO_0002"]}),
        ("POST", cert_path + "/customers/unlink", None, {"customers": ["NUVO_0002"]}),
        ("GET", "/api/v2/companies/7100001/certificates/setup", None, None),
        ("POST", "/api/v2/companies/7100001/certificates/setup", None, None),
        ("GET", "/api/v2/definitions/certificateexposurezones", None, None),
        ("GET", "/api/v2/definitions/certificateexemptreasons", None, None),
        ("DELETE", cert_path, None, None),
        ("DELETE", CUSTOMERS + "/NUVO_0002", None, None),
    ]

    for method, path, params, body in calls:
        response = call(sim, method, path, params=params, json=body)
        assert response.status_code == 200, (path, response.text)
        operation = sim.state.requests()[-1].operation
        errors = [e.message for e in validators[operation].iter_errors(response.json())]
        assert errors == [], (operation, errors)


# The management command


def test_management_command_prints_the_demo_credentials_serves_and_stops_on_ctrl_c():
    command = [sys.executable, "manage.py", "avalara_simulator", "--port", "0", "--page-size", "5"]
    with subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True) as process:
        try:
            banner = [process.stdout.readline() for _ in range(6)]
            base_url = banner[0].split(" on ")[1].split()[0]
            ping = requests.get(base_url + "/api/v2/utilities/ping", auth=DEMO, timeout=5)
            process.send_signal(signal.SIGINT)
            rest = process.communicate(timeout=5)[0]
        finally:
            process.kill()

    assert banner[0].startswith("Avalara simulator on http://127.0.0.1:")
    assert "nuvo-demo / avalara-demo" in "".join(banner)
    assert "2000100002 / A1B2C3D4E5F6A7B8" in "".join(banner)
    assert "nuvo-unprovisioned / avalara-demo" in "".join(banner)
    assert banner[5] == f"Controls: {base_url}/_simulator (faults, requests, reset, state)\n"
    assert ping.json()["authenticatedCompanyId"] == 7100001
    assert (rest, process.returncode) == ("Stopped.\n", 0)
