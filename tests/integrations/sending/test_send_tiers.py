"""Sends that only a real PostgreSQL and a real Celery worker over Redis can show."""

import pytest

from integrations.models import AvalaraCertificate, AvalaraSend
from integrations.services.sending import avalara_send_request
from nuvo.roles import member_for
from tests.creditapps.test_tiers import race, wait_for
from tests.integrations.sending.helpers import add_certificate, company, connect


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_sends_make_one_customer_and_no_duplicate_certificate(
    analyst_user, admin_member, customer, simulator
):
    connect(admin_member)
    add_certificate(customer, regions=["TX"])
    add_certificate(customer, regions=["KS", "NE"], text="Multistate")

    results = race(
        20, lambda: avalara_send_request(member=member_for(analyst_user), customer=customer)
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    held = company(simulator)
    assert len(held.customers) == 1
    assert len(held.certificates) == 3
    assert simulator.state.count("CreateCustomers") == 1
    assert simulator.state.count("CreateCertificates") == 3
    assert set(AvalaraCertificate.objects.values_list("state", flat=True)) == {"sent"}
    assert not AvalaraSend.objects.filter(status__in=AvalaraSend.ACTIVE).exists()


@pytest.mark.worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_send_runs_on_a_real_worker_over_redis(
    analyst, admin_member, customer, simulator, celery_worker_process
):
    _mail_dir, worker_log = celery_worker_process
    connect(admin_member)
    add_certificate(customer, regions=["TX"])

    send = avalara_send_request(member=analyst, customer=customer).send

    finished = wait_for(
        lambda: AvalaraSend.objects.filter(pk=send.pk, status=AvalaraSend.Status.DONE).first()
    )
    assert finished, worker_log.read_text()[-3000:]
    assert len(company(simulator).certificates) == 1
