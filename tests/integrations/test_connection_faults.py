"""Connecting Avalara when a call of the connection answers with a fault: the guide's code for
the user, nothing saved as connected, and a Connect once Avalara recovers that works."""

import pytest

from integrations.avalara import AvalaraError
from integrations.avalara import client as avalara_client
from integrations.models import AvalaraConnection, IntegrationEvent
from tests.integrations.read_faults import READ_FAULTS
from tests.integrations.test_connection import (
    DEMO_PASSWORD,
    DEMO_USER,
    LICENSE_ACCOUNT,
    LICENSE_KEY,
    connect,
)

# The calls of a Connect: ping, then the company (from ping, or the account's default company
# for an account whose ping names none), then its exemption-certificate setup.
CALLS = {
    "Ping": (DEMO_USER, DEMO_PASSWORD),
    "GetCompany": (DEMO_USER, DEMO_PASSWORD),
    "QueryCompanies": (LICENSE_ACCOUNT, LICENSE_KEY),
    "GetCertificateSetup": (DEMO_USER, DEMO_PASSWORD),
}


@pytest.mark.parametrize("fault", READ_FAULTS)
@pytest.mark.parametrize("operation", CALLS)
def test_a_fault_on_a_connect_call_is_reported_saves_nothing_and_a_retry_connects(
    admin_member, simulator, settings, monkeypatch, operation, fault
):
    monkeypatch.setattr(avalara_client, "_sleep", lambda seconds: None)
    settings.AVALARA_TIMEOUT = 0.3
    settings.AVALARA_CONNECT_TIMEOUT = 0.3
    username, password = CALLS[operation]
    rule, code = READ_FAULTS[fault]
    injected = simulator.state.faults.add(operation=operation, **rule)

    with pytest.raises(AvalaraError) as caught:
        connect(admin_member, username=username, password=password)

    assert injected.fired >= 1
    assert caught.value.code.value == code
    assert caught.value.summary
    assert caught.value.resolution
    assert not AvalaraConnection.objects.filter(status=AvalaraConnection.Status.CONNECTED).exists()
    assert IntegrationEvent.objects.filter(action=IntegrationEvent.Action.CONNECT_FAILED).exists()
    simulator.state.faults.clear()

    connection = connect(admin_member, username=username, password=password)

    assert connection.is_connected
