"""Fixtures for the tests that drive the Avalara simulator over loopback."""

from collections.abc import Iterator

import pytest

from integrations.simulator import SimulatorHandle, run_in_thread


@pytest.fixture(scope="module")
def simulator_server() -> Iterator[SimulatorHandle]:
    """One running simulator per test module; tests take `simulator`, which resets it."""
    with run_in_thread(provisioning_delay=0, seed=1234) as handle:
        yield handle


@pytest.fixture
def simulator(simulator_server: SimulatorHandle, settings) -> SimulatorHandle:
    """The module's simulator as a fresh one would be: seeded data, no faults, empty log.

    Options a test sets on `simulator.state` (page_size, provisioning_delay, fault latency and
    error rate) go back to these construction values too.
    """
    simulator_server.state.reset()
    settings.AVALARA_BASE_URL = simulator_server.base_url  # Nuvo's clients go there
    return simulator_server
