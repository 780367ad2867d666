"""Sends when the machinery fails: a worker killed mid-send, Redis restarted with sends queued.

Real Celery workers over Redis on PostgreSQL (the worker tier). The Redis restarted here is a
server of the test's own on another port, so the machine's shared one is left alone.
"""

import shutil
import signal
import socket
import subprocess
import time
from contextlib import contextmanager

import pytest
import redis

from integrations.models import AvalaraCertificate, AvalaraSend
from integrations.services.sending import avalara_send_request
from integrations.tasks import resume_stalled_avalara_sends
from nuvo.celery import app as celery_app
from tests.conftest import worker_process
from tests.creditapps.test_tiers import wait_for
from tests.integrations.sending.helpers import add_certificate, company, connect

Status = AvalaraSend.Status
# A dead worker's task goes back to the queue after 3 s; a run older than 2 s is dead.
FAST_RECOVERY = {"CELERY_VISIBILITY_TIMEOUT_SECONDS": "3", "AVALARA_SEND_STALE_SECONDS": "2"}

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _done(*sends):
    pks = [send.pk for send in sends]
    return AvalaraSend.objects.filter(pk__in=pks, status=Status.DONE).count() == len(pks)


def _exactly_one_of_each(simulator, customers: int, certificates: int) -> None:
    held = company(simulator)
    assert len(held.customers) == customers
    assert len(held.certificates) == certificates
    rows = AvalaraCertificate.objects.all()
    assert sorted(rows.values_list("state", flat=True)) == ["sent"] * certificates
    assert {row.avalara_id for row in rows} == set(held.certificates)


def test_a_worker_killed_mid_send_is_redelivered_and_the_send_completes_exactly_once(
    analyst, admin_member, customer, simulator, tmp_path
):
    connect(admin_member)
    add_certificate(customer, regions=["TX"])
    add_certificate(customer, regions=["OK"], text="Oklahoma")
    # One certificate's create hangs at Avalara (and is stored when the hang ends).
    hang = simulator.state.faults.add(operation="CreateCertificates", latency_ms=4000, first_n=1)

    with worker_process(tmp_path / "first", **FAST_RECOVERY) as (worker, log):
        send = avalara_send_request(member=analyst, customer=customer).send
        assert wait_for(lambda: hang.fired, timeout=30), log.read_text()[-3000:]
        worker.send_signal(signal.SIGKILL)  # mid-task: the message is not acknowledged
        worker.wait(timeout=10)
    assert AvalaraSend.objects.get(pk=send.pk).status == Status.RUNNING
    # A worker starting looks for unacknowledged tasks past the visibility timeout (later scans
    # are throttled to minutes apart): the replacement comes up once the 3 s have passed.
    time.sleep(3.5)

    with worker_process(tmp_path / "second", **FAST_RECOVERY) as (_worker, log):
        assert wait_for(lambda: _done(send), timeout=60), log.read_text()[-4000:]

    _exactly_one_of_each(simulator, customers=1, certificates=2)
    # The create lost with the worker was read back and adopted, not sent again.
    assert simulator.state.count("CreateCertificates") == 2


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def own_redis(port: int):
    """A Redis server of this test's, keeping nothing on disk (a restart empties it)."""
    binary = shutil.which("redis-server")
    assert binary, "redis-server is not installed (apt-get install -y redis-server)"
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=1)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            assert time.monotonic() < deadline, "the test's Redis did not start"
            time.sleep(0.05)
    try:
        yield client
    finally:
        server.terminate()
        server.wait(timeout=10)


@contextmanager
def publishing_to(url: str):
    """This process's Celery publishes to `url` (its pools are rebuilt for it, then again)."""
    saved = celery_app.conf.broker_write_url

    def rebuild(broker: str) -> None:
        # Not closed: kombu keeps one pool per broker and would hand the closed one back.
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
        celery_app.conf.broker_write_url = broker  # what publishing connects to

    rebuild(url)
    try:
        yield
    finally:
        rebuild(saved)


def test_sends_queued_when_redis_restarts_or_is_down_are_resumed_and_complete_once(
    analyst, admin_member, customer, make_customer, simulator, tmp_path, settings, caplog
):
    connect(admin_member)
    customers = [customer] + [
        make_customer(legal_name=f"Queued Co. {n}", email=f"q{n}@x.example") for n in (1, 2)
    ]
    for each in customers:
        add_certificate(each, regions=["TX"])
    port = _free_port()
    url = f"redis://127.0.0.1:{port}/0"
    settings.AVALARA_SEND_STALE_SECONDS = 1

    with publishing_to(url):
        with own_redis(port) as server:
            queued = [avalara_send_request(member=analyst, customer=c).send for c in customers[:2]]
            assert server.llen(settings.CELERY_TASK_DEFAULT_QUEUE) == 2
        # Redis is down: the analyst's send is still taken, and waits for the broker.
        down = avalara_send_request(member=analyst, customer=customers[2]).send
        assert "the broker is unreachable" in caplog.text
        with own_redis(port) as server:  # back, empty: the two queued tasks are gone
            assert server.llen(settings.CELERY_TASK_DEFAULT_QUEUE) == 0
            with worker_process(tmp_path, broker_url=url, **FAST_RECOVERY) as (_worker, log):
                time.sleep(1.1)
                resume_stalled_avalara_sends()  # what beat runs every five minutes
                assert wait_for(lambda: _done(*queued, down), timeout=60), log.read_text()[-4000:]

    _exactly_one_of_each(simulator, customers=3, certificates=3)
