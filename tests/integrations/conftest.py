"""Fixtures for the tests that drive the Avalara simulator over loopback."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from integrations.services.sending import avalara_send_request
from integrations.simulator import SimulatorHandle, run_in_thread
from tests.integrations.sending.helpers import connect


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


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block's on-commit callbacks (queued tasks; Celery is eager here) as a commit would."""

    @contextmanager
    def block():
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return block


@pytest.fixture
def connected(admin_member, simulator, committed):
    with committed():
        connection = connect(admin_member)
    simulator.state.clear_requests()
    return connection


@pytest.fixture
def send(committed):
    """Ask for a send as a view would, and let its task run."""

    def run(member, customer, **options):
        with committed():
            return avalara_send_request(member=member, customer=customer, **options).send

    return run
