"""Retries through the real urllib3 adapter, against the Avalara simulator and its fault rules.

`responses` replaces the adapter, so it shows neither urllib3's Retry waits nor its error retries.
One simulator serves the module; each test gets it reset, with an account for USERNAME/PASSWORD.
"""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest
import requests

from integrations.avalara import (
    AvalaraConnectionError,
    AvalaraResponseError,
    AvaTaxClient,
    ErrorCode,
)
from integrations.simulator import SimulatorHandle, run_in_thread
from tests.integrations.avalara_helpers import (
    BASIC_AUTH,
    CERTIFICATE_INPUT,
    CLIENT_HEADER,
    COMPANY_ID,
    CUSTOMER_CODE,
    CUSTOMER_INPUT,
    PASSWORD,
    USERNAME,
    load,
    make_client,
)

# The fixtures this module uses (pytest finds them here); `sleeps` is autouse.
from tests.integrations.avalara_helpers import sleeps_fixture as sleeps_fixture

READ_TIMEOUT = 0.2
HANG_MS = 600  # a simulated hang, above READ_TIMEOUT


@pytest.fixture(scope="module")
def simulator() -> Iterator[SimulatorHandle]:
    with run_in_thread(provisioning_delay=0) as handle:
        yield handle


@pytest.fixture
def sim(simulator: SimulatorHandle) -> SimulatorHandle:
    simulator.state.reset()
    simulator.state.add_account(
        username=USERNAME, password=PASSWORD, company_ids=[COMPANY_ID], ping_company_id=COMPANY_ID
    )
    return simulator


def loopback_session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxy between us and 127.0.0.1
    return session


def loopback_client(url: str, **overrides: Any) -> AvaTaxClient:
    options: dict[str, Any] = {"base_url": url, "backoff_jitter": 0.0}
    options["session"] = loopback_session()
    options.update(overrides)
    return make_client(**options)


def logged_once_done(sim: SimulatorHandle, operation: str, expected: int) -> int:
    """How many `operation` calls the simulator logged, once a hung one has finished too.

    A request logs when its answer is ready, after the hang: waiting keeps it out of the next test.
    """
    deadline = time.monotonic() + 5
    while sim.state.count(operation) < expected and time.monotonic() < deadline:
        time.sleep(0.01)
    return sim.state.count(operation)


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_get_is_retried_on_500_with_exponential_backoff_then_succeeds(sim, sleeps) -> None:
    sim.state.faults.add(operation="Ping", status=500, body=b"oops", first_n=3)
    # The simulator logs no headers: read what the adapter sent (the same on every attempt).
    sent: list[Mapping[str, str]] = []
    session = loopback_session()
    session.hooks["response"].append(lambda response, **_: sent.append(response.request.headers))

    result = loopback_client(sim.base_url, session=session).ping()

    assert result.authenticated is True
    assert result.authenticated_user_name == USERNAME  # the simulator took the Basic credentials
    assert sim.state.count("Ping") == 4
    assert sleeps == [1.0, 2.0]  # urllib3 retries the first failure at once, then 0.5 * 2**n
    first = sim.state.requests("Ping")[0]
    assert (first.method, first.path) == ("GET", "/api/v2/utilities/ping")
    assert sent[0]["Authorization"] == BASIC_AUTH
    assert sent[0]["X-Avalara-Client"] == CLIENT_HEADER


def test_get_gives_up_after_max_retries_with_the_last_answer(sim, sleeps, caplog) -> None:
    caplog.set_level(logging.INFO, logger="nuvo.avalara")
    sim.state.faults.add(operation="GetCertificateSetup", status=500, body=b"oops")

    with pytest.raises(AvalaraResponseError) as caught:
        loopback_client(sim.base_url).get_certificate_setup(COMPANY_ID)

    assert (caught.value.code, caught.value.retryable, caught.value.http_status) == (
        ErrorCode.UNKNOWN_ERROR,
        True,
        500,
    )
    assert sim.state.count("GetCertificateSetup") == 4
    assert sleeps == [1.0, 2.0]
    last = sim.state.requests("GetCertificateSetup")[-1]
    assert f"(attempts 4, x-correlation-id {last.correlation_id})" in (
        caplog.records[-1].getMessage()
    )


def test_backoff_adds_bounded_jitter(sim, sleeps) -> None:
    sim.state.faults.add(operation="Ping", status=503, first_n=2)

    loopback_client(sim.base_url, backoff_jitter=0.5).ping()

    assert len(sleeps) == 1
    assert 1.0 <= sleeps[0] <= 1.5


def test_get_429_waits_for_retry_after_capped_at_retry_after_max(sim, sleeps) -> None:
    sim.state.faults.add(operation="Ping", status=429, retry_after=120, first_n=1)
    # Matches the first two requests; the rule above, added first, answers the first.
    sim.state.faults.add(operation="Ping", status=429, retry_after=2, first_n=2)

    result = loopback_client(sim.base_url, retry_after_max=30.0).ping()

    assert result.authenticated is True
    assert sleeps == [30.0, 2.0]
    assert sim.state.count("Ping") == 3


def test_retry_after_as_an_http_date_is_honoured_and_capped(sim, sleeps) -> None:
    in_an_hour = format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)
    # The simulator sends str(retry_after), so a string gives any header value.
    sim.state.faults.add(operation="Ping", status=503, retry_after=in_an_hour, first_n=1)

    loopback_client(sim.base_url, retry_after_max=12.5).ping()

    assert sleeps == [12.5]


def test_malformed_retry_after_falls_back_to_backoff(sim, sleeps) -> None:
    sim.state.faults.add(operation="Ping", status=503, retry_after="soon", first_n=2)

    loopback_client(sim.base_url).ping()

    assert sleeps == [1.0]
    assert sim.state.count("Ping") == 3


def test_put_is_retried_because_it_replaces(sim, sleeps) -> None:
    avatax = loopback_client(sim.base_url)
    avatax.create_customers(COMPANY_ID, [CUSTOMER_INPUT])
    sim.state.faults.add(operation="UpdateCustomer", status=503, retry_after=3, first_n=1)

    customer = avatax.update_customer(COMPANY_ID, CUSTOMER_CODE, CUSTOMER_INPUT)

    assert customer.customer_code == CUSTOMER_CODE
    assert [request.method for request in sim.state.requests("UpdateCustomer")] == ["PUT", "PUT"]
    assert sleeps == [3.0]


def test_post_500_is_never_retried(sim, sleeps) -> None:
    sim.state.faults.add(operation="CreateCustomers", status=500, body=b"oops", first_n=1)

    with pytest.raises(AvalaraResponseError) as caught:
        loopback_client(sim.base_url).create_customers(COMPANY_ID, [CUSTOMER_INPUT])

    assert (caught.value.code, caught.value.retryable) == (ErrorCode.CUSTOMER_CREATION_FAILED, True)
    assert sim.state.count("CreateCustomers") == 1
    assert sleeps == []


def test_post_429_is_not_retried_but_reports_the_capped_retry_after(sim, sleeps) -> None:
    sim.state.faults.add(
        operation="CreateCertificates",
        status=429,
        retry_after=120,
        body=load("error_rate_limited.json"),
        first_n=1,
    )

    with pytest.raises(AvalaraResponseError) as caught:
        loopback_client(sim.base_url, retry_after_max=30.0).create_certificates(
            COMPANY_ID, [CERTIFICATE_INPUT]
        )

    assert (caught.value.code, caught.value.retry_after, caught.value.avalara_code) == (
        ErrorCode.UNABLE_TO_CONNECT,
        30.0,
        "RequestLimitExceeded",
    )
    assert sim.state.count("CreateCertificates") == 1
    assert sleeps == []


def test_post_read_timeout_is_not_retried_and_leaves_the_outcome_unknown(sim, sleeps) -> None:
    # after=True: the customer is created, then the answer hangs past the read timeout.
    sim.state.faults.add(operation="CreateCustomers", timeout_ms=HANG_MS, after=True)

    with pytest.raises(AvalaraConnectionError) as caught:
        loopback_client(sim.base_url, timeout=(1.0, READ_TIMEOUT)).create_customers(
            COMPANY_ID, [CUSTOMER_INPUT]
        )

    assert (caught.value.code, caught.value.reason, caught.value.outcome_unknown) == (
        ErrorCode.UNABLE_TO_CONNECT,
        "ReadTimeout",
        True,
    )
    assert logged_once_done(sim, "CreateCustomers", 1) == 1
    assert sleeps == []


def test_get_read_timeout_is_retried(sim, sleeps) -> None:
    sim.state.faults.add(operation="Ping", timeout_ms=HANG_MS, first_n=1)

    result = loopback_client(sim.base_url, timeout=(1.0, READ_TIMEOUT)).ping()

    assert result.authenticated is True
    assert logged_once_done(sim, "Ping", 2) == 2


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
