"""The AvaTax client never leaks the password, and logs one line per call."""

from __future__ import annotations

import base64
import logging

import pytest
import requests

from integrations.avalara import AvalaraConnectionError, AvalaraResponseError
from tests.integrations.avalara_helpers import (
    API,
    BASIC_AUTH,
    CERTIFICATE_ID,
    CERTIFICATE_URL,
    COMPANY_ID,
    COMPANY_URL,
    CORRELATION_ID,
    CUSTOMER_CODE,
    CUSTOMER_INPUT,
    CUSTOMER_URL,
    PASSWORD,
    PDF,
    load,
)

# The fixtures this module uses (pytest finds them here); `sleeps` is autouse.
from tests.integrations.avalara_helpers import client_fixture as client_fixture
from tests.integrations.avalara_helpers import mocked_fixture as mocked_fixture
from tests.integrations.avalara_helpers import sleeps_fixture as sleeps_fixture

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
