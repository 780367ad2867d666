"""Every AvaTax client method against 401, 404, 429, 500, timeouts and malformed bodies."""

from __future__ import annotations

import pytest
import requests

from integrations.avalara import AvalaraConnectionError, AvalaraResponseError, ErrorCode
from tests.integrations.avalara_calls import CALLS, Call, expected_attempts
from tests.integrations.avalara_helpers import (
    API,
    CERTIFICATE_ID,
    CERTIFICATE_URL,
    COMPANY_ID,
    COMPANY_URL,
    CUSTOMER_INPUT,
    HTML_BODY,
    assert_sent,
    load,
)

# The fixtures this module uses (pytest finds them here); `sleeps` is autouse.
from tests.integrations.avalara_helpers import client_fixture as client_fixture
from tests.integrations.avalara_helpers import mocked_fixture as mocked_fixture
from tests.integrations.avalara_helpers import sleeps_fixture as sleeps_fixture

# Every method: 401, 404, 429, 500, timeouts, malformed bodies --------------------------------


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
