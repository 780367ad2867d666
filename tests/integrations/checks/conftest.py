"""Fixtures for the certificate status tests (the simulator comes from tests/integrations)."""

from contextlib import contextmanager

import pytest

from integrations.services.sending import avalara_send_request
from tests.integrations.sending.helpers import connect


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
