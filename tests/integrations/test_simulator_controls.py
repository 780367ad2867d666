"""The simulator's own controls: the request log, the state summary, reset and added accounts."""

import json

import requests

from integrations.simulator import SimulatorState
from tests.integrations.simulator_helpers import (
    CUSTOMERS,
    UNPROVISIONED,
    call,
    create_certificate,
    create_customers,
    customer,
)

# Request log and state


def test_request_log_counts_avalara_calls_without_credentials(simulator):
    call(simulator, "GET", "/api/v2/utilities/ping")
    create_customers(simulator, customer())
    create_customers(simulator, customer())
    requests.get(simulator.base_url + "/_simulator/state", timeout=5)

    log = requests.get(simulator.base_url + "/_simulator/requests", timeout=5).json()

    assert log["count"] == 3
    assert log["byOperation"] == {"Ping": 1, "CreateCustomers": 2}
    assert [(r["method"], r["path"], r["status"]) for r in log["requests"]] == [
        ("GET", "/api/v2/utilities/ping", 200),
        ("POST", CUSTOMERS, 200),
        ("POST", CUSTOMERS, 400),
    ]
    assert "avalara-demo" not in json.dumps(log)
    assert "Authorization" not in json.dumps(log)
    assert simulator.state.count("CreateCustomers", status=400) == 1


def test_state_summary_lists_customers_and_certificates(simulator):
    cert = create_certificate(simulator, customers=[{"customerCode": "NUVO_0001"}])

    summary = requests.get(simulator.base_url + "/_simulator/state", timeout=5).json()

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


# Reset


def test_reset_restores_the_seeded_state(simulator):
    create_customers(simulator, customer())
    simulator.state.faults.add(operation="Ping", status=500)
    call(simulator, "POST", "/api/v2/companies/7100003/certificates/setup", auth=UNPROVISIONED)

    reset = requests.post(simulator.base_url + "/_simulator/reset", timeout=5)

    assert reset.json() == {"status": "reset"}
    assert call(simulator, "GET", CUSTOMERS).json()["@recordsetCount"] == 0
    assert call(simulator, "GET", "/api/v2/utilities/ping").status_code == 200
    setup = call(
        simulator, "GET", "/api/v2/companies/7100003/certificates/setup", auth=UNPROVISIONED
    )
    assert setup.json()["status"] == "NotProvisioned"
    assert simulator.state.count() == 3


def test_reset_restores_options_accounts_latency_and_fault_numbering(simulator):
    simulator.state.page_size = 2
    simulator.state.provisioning_delay = 60
    simulator.state.add_account(username="tester", password="pw", company_ids=[7200001])
    simulator.state.faults.configure(latency_ms=50, error_rate=0.5)
    simulator.state.faults.add(operation="Ping", status=500)

    simulator.state.reset()
    added = simulator.state.faults.add(operation="Ping", status=503)

    assert (simulator.state.page_size, simulator.state.provisioning_delay) == (1000, 0)
    assert simulator.state.authenticate("tester", "pw") is None
    assert 7200001 not in simulator.state.companies
    assert simulator.state.faults.base_latency_ms == 0
    assert simulator.state.faults.rules() == [added]
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


# Accounts


def test_added_account_can_sign_in_and_sees_only_its_company(simulator):
    simulator.state.add_account(username="tester", password="pw", company_ids=[7200001])

    ping = call(simulator, "GET", "/api/v2/utilities/ping", auth=("tester", "pw")).json()
    companies = call(simulator, "GET", "/api/v2/companies", auth=("tester", "pw")).json()

    assert (ping["authenticated"], ping.get("authenticatedCompanyId")) == (True, None)
    assert [(c["id"], c["isDefault"]) for c in companies["value"]] == [(7200001, True)]
