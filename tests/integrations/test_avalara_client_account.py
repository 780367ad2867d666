"""Constructing the AvaTax client, Ping, companies and ECM provisioning, via `responses`."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from integrations.avalara import (
    PRODUCTION_BASE_URL,
    SANDBOX_BASE_URL,
    AvalaraResponseError,
    Company,
    ErrorCode,
    PingResult,
    ProvisionStatus,
    base_url_for,
)
from tests.integrations.avalara_helpers import (
    API,
    COMPANY_ID,
    COMPANY_URL,
    CORRELATION_ID,
    CUSTOMER_INPUT,
    PASSWORD,
    assert_sent,
    load,
    make_client,
)

# The fixtures this module uses (pytest finds them here); `sleeps` is autouse.
from tests.integrations.avalara_helpers import client_fixture as client_fixture
from tests.integrations.avalara_helpers import mocked_fixture as mocked_fixture
from tests.integrations.avalara_helpers import sleeps_fixture as sleeps_fixture

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
