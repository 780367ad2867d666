"""The rest of the fault matrix, on every client call: a refused connection, 503, a 400 with an
Avalara error body, an HTML error page and JSON cut short (401, 404, 429, 500, timeouts and 2xx
HTML are in test_avalara_client_errors.py)."""

from __future__ import annotations

import socket

import pytest
import requests

from integrations.avalara import AvalaraConnectionError, AvalaraResponseError, ErrorCode
from tests.integrations.avalara_calls import CALLS, Call, expected_attempts
from tests.integrations.avalara_helpers import HTML_BODY, make_client

# The fixtures this module uses (pytest finds them here); `sleeps` is autouse.
from tests.integrations.avalara_helpers import client_fixture as client_fixture
from tests.integrations.avalara_helpers import mocked_fixture as mocked_fixture
from tests.integrations.avalara_helpers import sleeps_fixture as sleeps_fixture

AVALARA_400 = {
    "error": {
        "code": "InvalidParameterValue",
        "message": "The value of exposureZone is not valid.",
        "target": "IncorrectData",
        "details": [
            {
                "code": "InvalidParameterValue",
                "number": 21,
                "message": "The value of exposureZone is not valid.",
                "faultCode": "Client",
                "severity": "Error",
            }
        ],
    }
}


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("call", CALLS, ids=str)
def test_a_refused_connection_is_retried_then_unable_to_connect_with_nothing_sent(
    sleeps, call: Call
) -> None:
    session = requests.Session()
    session.trust_env = False
    avatax = make_client(base_url=f"http://127.0.0.1:{closed_port()}", session=session)

    with pytest.raises(AvalaraConnectionError) as caught:
        call.invoke(avatax)

    error = caught.value
    assert (error.code, error.retryable, error.outcome_unknown, error.safe_to_retry) == (
        ErrorCode.UNABLE_TO_CONNECT,
        True,
        False,  # never connected: even a POST cannot have reached Avalara
        True,
    )
    assert error.operation == call.operation
    assert len(sleeps) == 2  # urllib3 retried the connection, also for a POST


@pytest.mark.parametrize("call", CALLS, ids=str)
def test_http_503_is_unable_to_connect_retried_when_idempotent(client, mocked, call: Call) -> None:
    mocked.add(call.method, call.url, body="Service Unavailable", status=503)

    with pytest.raises(AvalaraResponseError) as caught:
        call.invoke(client)

    error = caught.value
    assert (error.code, error.retryable, error.http_status) == (
        ErrorCode.UNABLE_TO_CONNECT,
        True,
        503,
    )
    assert error.outcome_unknown is (call.method != "GET")
    assert len(mocked.calls) == expected_attempts(call)


@pytest.mark.parametrize("call", CALLS, ids=str)
def test_http_400_with_an_avalara_error_is_the_calls_failure_never_retried(
    client, mocked, call: Call
) -> None:
    mocked.add(call.method, call.url, json=AVALARA_400, status=400)

    with pytest.raises(AvalaraResponseError) as caught:
        call.invoke(client)

    error = caught.value
    assert (error.code, error.retryable, error.outcome_unknown) == (call.failure_code, False, False)
    assert (error.avalara_code, error.avalara_message) == (
        "InvalidParameterValue",
        "The value of exposureZone is not valid.",
    )
    assert [detail.number for detail in error.details] == [21]
    assert len(mocked.calls) == 1


@pytest.mark.parametrize("call", CALLS, ids=str)
def test_an_html_error_page_is_a_retryable_failure_without_an_avalara_code(
    client, mocked, call: Call
) -> None:
    mocked.add(call.method, call.url, body=HTML_BODY, status=500, content_type="text/html")

    with pytest.raises(AvalaraResponseError) as caught:
        call.invoke(client)

    error = caught.value
    assert (error.code, error.retryable, error.avalara_code, error.reason) == (
        call.failure_code,
        True,
        None,
        "no Avalara error body",
    )
    assert "<html>" not in str(error)
    assert len(mocked.calls) == expected_attempts(call)


@pytest.mark.parametrize(
    "call", [c for c in CALLS if c.name != "download_certificate_attachment"], ids=str
)
def test_json_cut_short_is_a_retryable_unknown_error(client, mocked, call: Call) -> None:
    mocked.add(call.method, call.url, body='{"value": [{"id": 99', status=200)

    with pytest.raises(AvalaraResponseError) as caught:
        call.invoke(client)

    error = caught.value
    assert (error.code, error.retryable) == (ErrorCode.UNKNOWN_ERROR, True)
    assert error.outcome_unknown is (call.method != "GET")
