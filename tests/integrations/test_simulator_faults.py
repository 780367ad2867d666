"""The simulator's injected faults: error statuses, Retry-After, latency, timeouts, seeded rates."""

import time

import pytest
import requests

from integrations.simulator import run_in_thread
from tests.integrations.simulator_helpers import (
    CUSTOMERS,
    call,
    create_customers,
    customer,
    error_of,
)


def test_fault_500_at_rate_one_fails_every_matching_call_and_nothing_else(simulator):
    simulator.state.faults.add(method="POST", operation="CreateCustomers", status=500)

    failed = create_customers(simulator, customer())
    listed = call(simulator, "GET", CUSTOMERS)

    assert error_of(failed) == (500, "InternalServerError")
    assert listed.json()["@recordsetCount"] == 0
    assert [r.fault for r in simulator.state.requests()] == ["rule-1", None]


def test_fault_429_carries_retry_after(simulator):
    simulator.state.faults.add(path="/api/v2/companies/*/customers*", status=429, retry_after=7)

    response = call(simulator, "GET", CUSTOMERS)

    assert error_of(response) == (429, "RateLimitExceededError")
    assert response.headers["Retry-After"] == "7"


def test_fault_on_first_n_requests_set_over_http_then_recovers(simulator):
    posted = requests.post(
        simulator.base_url + "/_simulator/faults",
        json={"operation": "Ping", "status": 503, "first_n": 2},
        timeout=5,
    )

    statuses = [call(simulator, "GET", "/api/v2/utilities/ping").status_code for _ in range(3)]

    assert posted.json()["rules"][0]["first_n"] == 2
    assert statuses == [503, 503, 200]


def test_fault_control_rejects_unknown_fields(simulator):
    response = requests.post(
        simulator.base_url + "/_simulator/faults", json={"colour": "red"}, timeout=5
    )

    assert response.status_code == 400
    assert simulator.state.faults.rules() == []


def test_fault_latency_delays_the_answer(simulator):
    simulator.state.faults.add(operation="Ping", latency_ms=200)

    started = time.perf_counter()
    response = call(simulator, "GET", "/api/v2/utilities/ping")

    assert response.status_code == 200
    assert time.perf_counter() - started >= 0.2


def test_fault_timeout_outlasts_the_client_read_timeout_after_the_write_is_applied():
    # Not the shared simulator: reset does not end a held request, which would keep a server
    # thread for 3 s into a later test. Stopping this one releases it.
    with run_in_thread() as simulator:
        simulator.state.faults.add(operation="CreateCustomers", timeout_ms=3000, after=True)

        with pytest.raises(requests.exceptions.ReadTimeout):
            call(simulator, "POST", CUSTOMERS, json=[customer("NUVO_0001")], timeout=0.3)

        assert call(simulator, "GET", CUSTOMERS + "/NUVO_0001").status_code == 200


def test_seeded_error_rate_fails_the_same_requests_every_run():
    def statuses() -> list[int]:
        with run_in_thread(seed=42, error_rate=0.5) as simulator:
            return [call(simulator, "GET", "/api/v2/utilities/ping").status_code for _ in range(12)]

    first, second = statuses(), statuses()

    assert first == second
    assert set(first) == {200, 500}


def test_stop_returns_promptly_while_a_request_hangs():
    with run_in_thread() as simulator:
        simulator.state.faults.add(operation="Ping", timeout_ms=30_000)
        with pytest.raises(requests.exceptions.ReadTimeout):
            call(simulator, "GET", "/api/v2/utilities/ping", timeout=0.2)

        started = time.perf_counter()
        simulator.stop()

        assert time.perf_counter() - started < 2


@pytest.mark.parametrize("after", [False, True])
def test_a_request_held_across_a_reset_leaves_the_new_state_untouched(simulator, after):
    simulator.state.faults.add(operation="CreateCustomers", timeout_ms=600, after=after)
    with pytest.raises(requests.exceptions.ReadTimeout):
        call(simulator, "POST", CUSTOMERS, json=[customer("NUVO_0001")], timeout=0.2)

    simulator.state.reset()  # what the next test's `simulator` fixture does
    time.sleep(0.8)  # the held request wakes up in the new state

    assert simulator.state.requests() == []
    assert call(simulator, "GET", CUSTOMERS + "/NUVO_0001").status_code == 404
