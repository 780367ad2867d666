"""Every way Avalara can fail, on every call a send makes, then Avalara recovers.

For each fault on each call: the code the user sees, whether the send is retried by its task
(SendRetryLater) or waits for a person (failed), and the end state once Avalara answers again and
the retry (or the user's resend) runs: one Avalara customer, one Avalara certificate per Nuvo
certificate and region, nothing lost, nothing left "sending".
"""

import socket
from dataclasses import dataclass, field

import pytest

from integrations.models import AvalaraCertificate, AvalaraDefinitions, AvalaraSend
from integrations.services.delivery import SendRetryLater, avalara_send_run
from integrations.services.sending import avalara_send_request
from tests.integrations.sending.helpers import add_certificate, company

State = AvalaraCertificate.State
Status = AvalaraSend.Status

AVALARA_400 = {
    "error": {
        "code": "InvalidParameterValue",
        "message": "The exposure zone is not valid.",
        "target": "IncorrectData",
        "details": [
            {
                "code": "InvalidParameterValue",
                "number": 21,
                "message": "The exposure zone is not valid.",
                "faultCode": "Client",
                "severity": "Error",
            }
        ],
    }
}
HTML_PAGE = "<html><head><title>502 Proxy Error</title></head><body>Try later</body></html>"


@dataclass(frozen=True)
class Fault:
    name: str
    rule: dict = field(default_factory=dict)
    # None: the task retries it by itself (SendRetryLater); else the send fails with this code.
    fails_with: str | None = None
    seen_as: str = "UNABLE_TO_CONNECT"  # the code on the retry or on the failed rows

    def __str__(self) -> str:
        return self.name


FAULTS = [
    Fault("429", {"status": 429, "retry_after": 2}),
    Fault("500", {"status": 500}, seen_as="*"),
    Fault("503", {"status": 503}),
    Fault("html-error-page", {"status": 502, "body": HTML_PAGE, "content_type": "text/html"}),
    Fault(
        "malformed-json",
        {"status": 200, "body": '{"value": [{"id": 1', "after": True},
        seen_as="UNKNOWN_ERROR",
    ),
    Fault("read-timeout-after-acting", {"timeout_ms": 1200, "after": True}),
    Fault("401", {"status": 401}, fails_with="INVALID_CREDENTIALS"),
    Fault("400-error-body", {"status": 400, "body": AVALARA_400}, fails_with="*"),
]


@dataclass(frozen=True)
class Step:
    """A call a send makes, and what makes the send reach it."""

    operation: str
    # Faults on other calls that lead there (read-backs happen only after an unknown outcome).
    lead_in: tuple[dict, ...] = ()
    stale_definitions: bool = False

    def __str__(self) -> str:
        return self.operation


STEPS = [
    Step("ListCertificateExposureZones", stale_definitions=True),
    Step("ListCertificateExemptReasons", stale_definitions=True),
    Step("CreateCustomers"),
    Step(
        "GetCustomer",  # reading back a customer whose create answered 500
        lead_in=({"operation": "CreateCustomers", "status": 500, "first_n": 1},),
    ),
    Step("CreateCertificates"),
    Step(
        "ListCertificatesForCustomer",  # reading back certificates after a lost answer
        lead_in=({"operation": "CreateCertificates", "status": 500, "after": True, "first_n": 1},),
    ),
]
# A write whose answer was lost (or garbled) after Avalara acted is read back in the same run.
ACTED_THEN_LOST = {"malformed-json", "read-timeout-after-acting"}
WRITES = {"CreateCustomers", "CreateCertificates"}


def step_outcomes(step: Step, fault: Fault) -> set[str]:
    if fault.fails_with is not None:
        return {"failed"}
    if fault.name in ACTED_THEN_LOST and step.operation in WRITES:
        return {"done"}
    return {"retried"}


REGIONS = {"first": ["TX", "OK"], "second": ["IL"]}


@pytest.fixture(autouse=True)
def no_waits(monkeypatch):
    """Retries of reads and Retry-After waits happen, without really waiting."""
    from integrations.avalara import client as client_module

    monkeypatch.setattr(client_module, "_sleep", lambda seconds: None)


def _end_state_is_exact(simulator) -> None:
    avalara = company(simulator)
    rows = AvalaraCertificate.objects.all()
    assert len(avalara.customers) == 1
    assert len(avalara.certificates) == 3  # TX and OK of the first, IL of the second
    assert sorted(rows.values_list("state", flat=True)) == [State.SENT] * 3
    assert len({row.avalara_id for row in rows}) == 3
    assert set(avalara.certificates) == {row.avalara_id for row in rows}


@pytest.mark.parametrize("fault", FAULTS, ids=str)
@pytest.mark.parametrize("step", STEPS, ids=str)
def test_a_fault_on_each_call_then_recovery_leaves_exactly_one_of_each(
    analyst, customer, connected, simulator, settings, step, fault
):
    settings.AVALARA_TIMEOUT = 0.3
    add_certificate(customer, regions=REGIONS["first"])
    add_certificate(customer, regions=REGIONS["second"], text="Illinois resale")
    if step.stale_definitions:
        AvalaraDefinitions.objects.update(fetched_at="2020-01-01T00:00:00Z")
    send = avalara_send_request(member=analyst, customer=customer).send
    for rule in step.lead_in:
        simulator.state.faults.add(**rule)
    injected = simulator.state.faults.add(operation=step.operation, **fault.rule)

    try:
        first = avalara_send_run(send_id=send.pk)
    except SendRetryLater as retry:
        outcome, code = "retried", retry.error.code.value
        send.refresh_from_db()
        assert send.status == Status.QUEUED
    else:
        outcome = "done" if first.status == Status.DONE else "failed"
        code = first.error_code
    assert outcome in step_outcomes(step, fault), (outcome, code)
    if outcome == "retried":
        assert fault.seen_as in ("*", code)
    if outcome == "failed":
        codes = {code} | set(
            AvalaraCertificate.objects.exclude(state=State.SENT).values_list(
                "error_code", flat=True
            )
        )
        assert fault.fails_with == "*" or fault.fails_with in codes
    assert not AvalaraCertificate.objects.filter(state=State.SENDING).exists()
    assert injected.fired >= 1  # the send reached the call and met the fault

    simulator.state.faults.clear()
    if outcome == "retried":
        finished = avalara_send_run(send_id=send.pk)  # the task's retry
    elif outcome == "done":
        finished = first
    else:
        again = avalara_send_request(member=analyst, customer=customer).send  # the user's resend
        finished = avalara_send_run(send_id=again.pk)

    assert finished.status == Status.DONE
    _end_state_is_exact(simulator)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_avalara_refusing_connections_is_retried_then_completes_exactly_once(
    analyst, customer, connected, simulator, settings
):
    add_certificate(customer, regions=REGIONS["first"])
    add_certificate(customer, regions=REGIONS["second"], text="Illinois resale")
    send = avalara_send_request(member=analyst, customer=customer).send
    settings.AVALARA_BASE_URL = f"http://127.0.0.1:{_closed_port()}"

    with pytest.raises(SendRetryLater) as caught:
        avalara_send_run(send_id=send.pk)

    assert (caught.value.error.code.value, caught.value.error.outcome_unknown) == (
        "UNABLE_TO_CONNECT",
        False,
    )
    assert not AvalaraCertificate.objects.exclude(state=State.QUEUED).exists()
    settings.AVALARA_BASE_URL = simulator.base_url
    finished = avalara_send_run(send_id=send.pk)
    assert finished.status == Status.DONE
    _end_state_is_exact(simulator)
