"""The local AvaTax stand-in over a real loopback socket: ping, authentication and companies.

Also ECM provisioning, routing and the management command; the test_simulator_*.py modules
cover customers, certificates, queries, faults, the controls and the wire schemas.
"""

import ast
import base64
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests

from tests.integrations.simulator_helpers import (
    CUSTOMERS,
    DEMO,
    LICENSE_KEY,
    UNPROVISIONED,
    call,
    create_customers,
    customer,
    error_of,
)

REPO_ROOT = Path(__file__).resolve().parents[2]


# Ping and authentication


def test_ping_without_credentials_answers_200_unauthenticated(simulator):
    response = call(simulator, "GET", "/api/v2/utilities/ping", auth=None)

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
def test_ping_with_bad_or_malformed_credentials_answers_200_unauthenticated(
    simulator, authorization
):
    response = call(
        simulator,
        "GET",
        "/api/v2/utilities/ping",
        auth=None,
        headers={"Authorization": authorization},
    )

    assert response.status_code == 200
    assert '"authenticated":false' in response.text


def test_ping_with_username_password_reports_user_account_and_company(simulator):
    response = call(simulator, "GET", "/api/v2/utilities/ping", auth=DEMO)

    assert response.json() == {
        "version": "21.12.0-nuvo-simulator",
        "authenticated": True,
        "authenticationType": "UsernamePassword",
        "authenticatedUserName": "nuvo-demo",
        "authenticatedUserId": 9100001,
        "authenticatedAccountId": 2000100001,
        "authenticatedCompanyId": 7100001,
    }


def test_ping_with_account_id_and_license_key_has_no_company_id(simulator):
    response = call(simulator, "GET", "/api/v2/utilities/ping", auth=LICENSE_KEY)

    assert response.json() == {
        "version": "21.12.0-nuvo-simulator",
        "authenticated": True,
        "authenticationType": "AccountIdLicenseKey",
        "authenticatedAccountId": 2000100002,
    }


def test_call_without_authorization_header_is_401_authentication_incomplete(simulator):
    response = call(simulator, "GET", "/api/v2/companies", auth=None)

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


def test_wrong_credentials_get_avalaras_401_authentication_exception_body(simulator):
    response = call(simulator, "GET", "/api/v2/companies", auth=("nuvo-demo", "wrong"))

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
def test_malformed_authorization_header_is_401_basic_auth_incorrect(simulator, authorization):
    response = call(
        simulator, "GET", "/api/v2/companies", auth=None, headers={"Authorization": authorization}
    )

    assert error_of(response) == (401, "BasicAuthIncorrect")


def test_responses_carry_json_content_type_and_a_uuid_correlation_id(simulator):
    responses = [
        call(simulator, "GET", "/api/v2/utilities/ping"),
        call(simulator, "GET", "/api/v2/companies", auth=None),
        call(simulator, "GET", CUSTOMERS + "/missing"),
    ]

    for response in responses:
        assert response.headers["Content-Type"] == "application/json; charset=utf-8"
        assert uuid.UUID(response.headers["x-correlation-id"]).version == 4
    assert len({r.headers["x-correlation-id"] for r in responses}) == 3


# Companies and routing


def test_company_of_another_account_is_404_entity_not_found(simulator):
    company = call(simulator, "GET", "/api/v2/companies/7100001", auth=LICENSE_KEY)
    customers = call(simulator, "GET", CUSTOMERS, auth=LICENSE_KEY)

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


def test_unknown_path_is_404_and_wrong_method_is_405(simulator):
    missing = call(simulator, "GET", "/api/v2/transactions/create")
    wrong = call(simulator, "PATCH", CUSTOMERS)

    assert error_of(missing) == (404, "EntityNotFoundError")
    assert wrong.status_code == 405
    assert wrong.headers["Allow"] == "GET, POST"


# ECM provisioning


def test_provisioning_goes_from_not_provisioned_through_in_progress_to_provisioned(simulator):
    setup = "/api/v2/companies/7100003/certificates/setup"

    before = call(simulator, "GET", setup, auth=UNPROVISIONED).json()
    requested = call(simulator, "POST", setup, auth=UNPROVISIONED).json()
    after = call(simulator, "GET", setup, auth=UNPROVISIONED).json()

    assert before == {"status": "NotProvisioned", "accountId": 2000100003, "companyId": 7100003}
    assert requested == {"status": "InProgress", "accountId": 2000100003, "companyId": 7100003}
    assert after == {"status": "Provisioned", "accountId": 2000100003, "companyId": 7100003}


def test_provisioning_stays_in_progress_until_the_delay_has_passed(simulator):
    simulator.state.provisioning_delay = 60
    setup = "/api/v2/companies/7100003/certificates/setup"
    call(simulator, "POST", setup, auth=UNPROVISIONED)

    assert call(simulator, "GET", setup, auth=UNPROVISIONED).json()["status"] == "InProgress"


def test_ecm_calls_before_provisioning_are_400_certificates_not_setup(simulator):
    customers = "/api/v2/companies/7100003/customers"
    zones = "/api/v2/definitions/certificateexposurezones"

    responses = [
        call(simulator, "GET", customers, auth=UNPROVISIONED),
        create_customers(simulator, customer(), auth=UNPROVISIONED, path=customers),
        call(simulator, "GET", "/api/v2/companies/7100003/certificates", auth=UNPROVISIONED),
        call(simulator, "GET", zones, auth=UNPROVISIONED),
    ]
    call(simulator, "POST", "/api/v2/companies/7100003/certificates/setup", auth=UNPROVISIONED)

    for response in responses:
        assert error_of(response) == (400, "CertificatesNotSetup")
        assert response.json()["error"]["message"] == "This company has not been configured."
    assert call(simulator, "GET", customers, auth=UNPROVISIONED).status_code == 200
    assert call(simulator, "GET", zones, auth=UNPROVISIONED).status_code == 200
    companies = {c["id"]: c for c in simulator.state.summary()["companies"]}
    assert companies[7100003]["customers"] == []


# Dependencies


def test_the_simulator_imports_only_the_standard_library():
    script = (
        "import sys; before = set(sys.modules); import integrations.simulator; "
        "print(sorted(set(sys.modules) - before))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )

    imported = ast.literal_eval(result.stdout)
    outside = [
        name
        for name in imported
        if name.split(".")[0] not in sys.stdlib_module_names
        and name != "integrations"
        and not name.startswith("integrations.simulator")
    ]
    assert "integrations.simulator.operations" in imported
    assert outside == []


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
