"""Exactly once when Avalara or a worker fails halfway: read back, adopt, never create twice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.models import AvalaraCertificate, AvalaraCustomer, AvalaraSend
from integrations.services import uploads
from integrations.services.delivery import SendRetryLater, avalara_send_run
from integrations.services.sending import avalara_send_request
from tests.integrations.sending.helpers import add_certificate, company

State = AvalaraCertificate.State
Status = AvalaraSend.Status


def queue(member, customer):
    """A queued send whose task has not run yet (its on-commit callback is not executed)."""
    return avalara_send_request(member=member, customer=customer).send


def test_a_certificate_stored_before_a_500_is_adopted_not_created_again(
    analyst, customer, connected, simulator, send
):
    add_certificate(customer, regions=["TX"])
    simulator.state.faults.add(operation="CreateCertificates", status=500, after=True, first_n=1)

    result = send(analyst, customer)

    result.refresh_from_db()
    assert result.status == Status.DONE
    assert len(company(simulator).certificates) == 1
    row = AvalaraCertificate.objects.get()
    assert (row.state, row.avalara_id) == (State.SENT, next(iter(company(simulator).certificates)))
    assert simulator.state.count("CreateCertificates") == 1
    assert simulator.state.count("ListCertificatesForCustomer") == 1


def test_a_timeout_after_avalara_stored_the_certificate_does_not_duplicate_it(
    analyst, customer, connected, simulator, send, settings
):
    settings.AVALARA_TIMEOUT = 0.3
    add_certificate(customer, regions=["TX"])
    add_certificate(customer, regions=["OK"], text="Oklahoma")
    simulator.state.faults.add(
        operation="CreateCertificates", timeout_ms=1500, after=True, first_n=1
    )

    send(analyst, customer)

    assert len(company(simulator).certificates) == 2
    assert set(AvalaraCertificate.objects.values_list("state", flat=True)) == {State.SENT}


def test_a_certificate_lost_without_being_stored_is_created_after_reading_back(
    analyst, customer, connected, simulator, send
):
    add_certificate(customer, regions=["TX"])
    simulator.state.faults.add(operation="CreateCertificates", status=500, first_n=1)

    send(analyst, customer)

    assert len(company(simulator).certificates) == 1
    assert simulator.state.count("CreateCertificates") == 2
    assert simulator.state.count("ListCertificatesForCustomer") == 1


def test_a_customer_stored_before_its_answer_was_lost_is_found_and_not_created_again(
    analyst, customer, connected, simulator, send
):
    add_certificate(customer, regions=["TX"])
    simulator.state.faults.add(operation="CreateCustomers", status=500, after=True, first_n=1)

    result = send(analyst, customer)

    result.refresh_from_db()
    assert result.status == Status.DONE
    assert len(company(simulator).customers) == 1
    assert simulator.state.count("GetCustomer") == 1
    assert AvalaraCustomer.objects.get().is_confirmed


def test_a_worker_that_died_after_avalara_answered_is_taken_over_and_adopts(
    analyst, customer, connected, simulator, committed, monkeypatch
):
    add_certificate(customer, regions=["TX"])
    send = queue(analyst, customer)
    real_set = uploads.set_row

    def die_before_saving_the_answer(row, **changes):
        if changes.get("state") == State.SENT:
            raise SystemExit("worker killed")
        real_set(row, **changes)

    monkeypatch.setattr(uploads, "set_row", die_before_saving_the_answer)
    with pytest.raises(SystemExit):
        avalara_send_run(send_id=send.pk)
    monkeypatch.setattr(uploads, "set_row", real_set)
    send.refresh_from_db()
    assert send.status == Status.RUNNING
    assert AvalaraCertificate.objects.get().state == State.SENDING
    assert len(company(simulator).certificates) == 1

    # Too soon: the run may still be alive; nothing happens.
    assert avalara_send_run(send_id=send.pk) is None
    AvalaraSend.objects.filter(pk=send.pk).update(
        started_at=timezone.now() - timedelta(seconds=400)
    )
    resumed = avalara_send_run(send_id=send.pk)

    assert resumed.status == Status.DONE
    assert len(company(simulator).certificates) == 1
    assert AvalaraCertificate.objects.get().state == State.SENT
    assert simulator.state.count("CreateCertificates") == 1


def test_a_rate_limited_send_is_left_queued_for_the_tasks_retry_and_then_completes(
    analyst, customer, connected, simulator
):
    add_certificate(customer, regions=["TX"])
    send = queue(analyst, customer)
    simulator.state.faults.add(operation="CreateCertificates", status=429, retry_after=2, first_n=1)

    with pytest.raises(SendRetryLater) as caught:
        avalara_send_run(send_id=send.pk)

    assert caught.value.error.retry_after == 2
    send.refresh_from_db()
    assert send.status == Status.QUEUED
    assert AvalaraCertificate.objects.get().state == State.QUEUED
    finished = avalara_send_run(send_id=send.pk)
    assert finished.status == Status.DONE
    assert len(company(simulator).certificates) == 1


def test_the_last_attempt_marks_what_still_could_not_go_as_failed_never_stuck(
    analyst, customer, connected, simulator
):
    add_certificate(customer, regions=["TX"])
    send = queue(analyst, customer)
    simulator.state.faults.add(operation="CreateCertificates", status=503)

    finished = avalara_send_run(send_id=send.pk, final_attempt=True)

    assert finished.status == Status.FAILED
    row = AvalaraCertificate.objects.get()
    assert row.state == State.FAILED
    assert row.error_code == "UNABLE_TO_CONNECT"


def test_run_eagerly_one_attempt_records_the_failure_for_a_retry_from_the_page(
    analyst, customer, connected, simulator, send
):
    add_certificate(customer, regions=["TX"])
    simulator.state.faults.add(operation="CreateCertificates", status=429)

    result = send(analyst, customer)

    result.refresh_from_db()
    assert result.status == Status.FAILED
    assert simulator.state.count("CreateCertificates") == 1
    row = AvalaraCertificate.objects.get()
    assert (row.state, row.error_code) == (State.FAILED, "UNABLE_TO_CONNECT")


def test_two_sends_requested_at_once_share_one_send(analyst, customer, connected):
    add_certificate(customer, regions=["TX"])

    first = avalara_send_request(member=analyst, customer=customer)
    second = avalara_send_request(member=analyst, customer=customer)

    assert first.created
    assert not second.created
    assert second.send.pk == first.send.pk
    assert AvalaraSend.objects.count() == 1


def test_a_customer_lost_before_it_was_stored_is_created_again_when_certcapture_says_so(
    analyst, customer, connected, simulator
):
    """GetCustomer answered with CertCapture's CertificatesError (1203) still means "not there"."""
    simulator.state.missing_customer_as_certificates_error = True
    add_certificate(customer, regions=["TX"])
    send = queue(analyst, customer)
    simulator.state.faults.add(operation="CreateCustomers", status=500, first_n=1)

    with pytest.raises(SendRetryLater):
        avalara_send_run(send_id=send.pk)
    finished = avalara_send_run(send_id=send.pk)

    assert finished.status == Status.DONE
    assert len(company(simulator).customers) == 1
    assert simulator.state.count("GetCustomer") == 1


def test_stalled_sends_are_queued_again_but_not_one_waiting_for_its_retry(
    analyst, customer, make_customer, connected, monkeypatch
):
    from integrations import tasks

    add_certificate(customer, regions=["TX"])
    lost = queue(analyst, customer)  # its task was lost
    other = make_customer(legal_name="Waiting Co.", email="wait@x.example")
    add_certificate(other, regions=["TX"])
    waiting = queue(analyst, other)
    long_ago = timezone.now() - timedelta(hours=1)
    AvalaraSend.objects.filter(pk__in=[lost.pk, waiting.pk]).update(created_at=long_ago)
    AvalaraSend.objects.filter(pk=waiting.pk).update(
        started_at=long_ago, retry_at=timezone.now() + timedelta(minutes=5)
    )
    queued = []
    monkeypatch.setattr(tasks.send_customer_to_avalara, "delay", queued.append)

    tasks.resume_stalled_avalara_sends()

    assert queued == [lost.pk]


def test_a_reason_the_account_dropped_after_the_check_waits_to_be_fixed(
    analyst, customer, connected, simulator
):
    from integrations.models import AvalaraDefinitions, CertificateEvent

    certificate = add_certificate(customer, regions=["TX"])
    send = queue(analyst, customer)  # checked against the account's reasons then
    definitions = AvalaraDefinitions.objects.get()
    definitions.exemption_reasons = [r for r in definitions.exemption_reasons if r != "RESALE"]
    definitions.save()

    avalara_send_run(send_id=send.pk)

    row = AvalaraCertificate.objects.get()
    assert (row.state, row.error_code) == (State.BLOCKED, "certificate_reason_not_in_account")
    assert simulator.state.count("CreateCertificates") == 0
    checked = CertificateEvent.objects.filter(
        certificate=certificate, kind=CertificateEvent.Kind.CHECKED
    ).last()
    assert checked.problems[0]["fix_url"].endswith("?focus=exemption_reason#id_exemption_reason")
