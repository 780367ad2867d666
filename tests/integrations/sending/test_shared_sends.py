"""A send asked for while another of the customer is under way: nothing asked for is left out."""

from integrations.models import AvalaraCertificate, AvalaraSend
from integrations.services import delivery
from integrations.services.delivery import avalara_send_run
from integrations.services.resends import avalara_send_follow_up
from integrations.services.sending import avalara_send_request
from tests.integrations.sending.helpers import add_certificate, company

State = AvalaraCertificate.State
Status = AvalaraSend.Status


def test_a_certificate_added_before_the_queued_send_ran_goes_with_it(
    analyst, customer, connected, simulator
):
    add_certificate(customer, regions=["TX"])
    first = avalara_send_request(member=analyst, customer=customer)  # its task has not run
    add_certificate(customer, regions=["OK"], text="Oklahoma")

    second = avalara_send_request(member=analyst, customer=customer)
    finished = avalara_send_run(send_id=first.send.pk)

    assert not second.created
    assert second.send.pk == first.send.pk
    assert finished.status == Status.DONE
    assert set(AvalaraCertificate.objects.values_list("region", "state")) == {
        ("TX", State.SENT),
        ("OK", State.SENT),
    }
    assert len(company(simulator).certificates) == 2


def test_a_certificate_asked_for_while_the_send_runs_goes_in_its_next_round(
    analyst, customer, connected, simulator, monkeypatch
):
    add_certificate(customer, regions=["TX"])
    running = avalara_send_request(member=analyst, customer=customer).send
    real_prepare = delivery._prepare
    asked = []

    def someone_sends_again_meanwhile(send, definitions, **options):
        prepared = real_prepare(send, definitions, **options)
        if not asked:
            add_certificate(customer, regions=["OK"], text="Oklahoma")
            asked.append(avalara_send_request(member=analyst, customer=customer))
        return prepared

    monkeypatch.setattr(delivery, "_prepare", someone_sends_again_meanwhile)
    finished = avalara_send_run(send_id=running.pk)

    assert asked[0].send.pk == running.pk
    assert finished.status == Status.DONE
    assert AvalaraCertificate.objects.filter(send=running, state=State.SENT).count() == 2
    assert simulator.state.count("CreateCertificates") == 2


def test_rows_that_joined_after_the_run_looked_go_in_a_follow_up_send(
    analyst, customer, connected, simulator, committed
):
    add_certificate(customer, regions=["TX"])
    late = add_certificate(customer, regions=["OK"], text="Oklahoma")
    send = avalara_send_request(member=analyst, customer=customer).send
    AvalaraSend.objects.filter(pk=send.pk).update(status=Status.DONE)  # ended as the row joined

    with committed():
        follow_up = avalara_send_follow_up(send)

    follow_up.refresh_from_db()
    assert (follow_up.trigger, follow_up.status) == (send.trigger, Status.DONE)
    assert follow_up.requested_by_id == analyst.user.pk
    row = AvalaraCertificate.objects.get(certificate=late)
    assert (row.send_id, row.state) == (follow_up.pk, State.SENT)
    assert avalara_send_follow_up(follow_up) is None  # nothing left


def test_the_bulk_summary_lists_a_send_under_way_that_a_chosen_customer_joined(
    analyst, analyst_client, application, connected
):
    from django.urls import reverse

    add_certificate(application.customer, regions=["TX"])
    under_way = avalara_send_request(member=analyst, customer=application.customer).send

    response = analyst_client.post(reverse("avalara:bulk-send"), {"application": [application.pk]})
    html = analyst_client.get(response["Location"]).content.decode()

    assert reverse("avalara:send-progress", args=[under_way.pk]) in html
    assert application.customer.legal_name in html
    assert AvalaraSend.objects.count() == 1


def test_a_row_that_joins_after_the_last_round_of_a_final_attempt_is_left_for_the_follow_up(
    analyst, customer, connected, simulator, monkeypatch
):
    add_certificate(customer, regions=["TX"])
    running = avalara_send_request(member=analyst, customer=customer).send
    simulator.state.faults.add(operation="CreateCertificates", status=503, first_n=10)
    real_prepare = delivery._prepare
    rounds = []

    def join_after_the_last_round(send, definitions, **options):
        prepared = real_prepare(send, definitions, **options)
        rounds.append(prepared)
        if len(rounds) == 2:  # the run found nothing more to do; a request joins now
            add_certificate(customer, regions=["OK"], text="Oklahoma")
            avalara_send_request(member=analyst, customer=customer)
        return prepared

    monkeypatch.setattr(delivery, "_prepare", join_after_the_last_round)
    avalara_send_run(send_id=running.pk, final_attempt=True)

    texas = AvalaraCertificate.objects.get(region="TX")
    oklahoma = AvalaraCertificate.objects.get(region="OK")
    assert (texas.state, texas.send_id) == (State.FAILED, running.pk)
    assert (oklahoma.state, oklahoma.attempts) == (State.QUEUED, 0)
    assert oklahoma.send_id != running.pk  # the follow-up send's, queued to run
    assert AvalaraSend.objects.get(pk=oklahoma.send_id).status == Status.QUEUED


def test_joining_a_running_send_does_not_queue_again_what_that_run_was_refused(
    analyst, customer, connected, simulator, monkeypatch
):
    add_certificate(customer, regions=["TX"])
    add_certificate(customer, regions=["OK"], text="Oklahoma")
    running = avalara_send_request(member=analyst, customer=customer).send
    simulator.state.faults.add(
        operation="CreateCertificates", status=400, error_code="ModelStateInvalid", first_n=1
    )
    real_prepare = delivery._prepare
    rounds = []

    def join_after_the_refusal(send, definitions, **options):
        prepared = real_prepare(send, definitions, **options)
        rounds.append(prepared)
        if len(rounds) == 2:
            avalara_send_request(member=analyst, customer=customer)
        return prepared

    monkeypatch.setattr(delivery, "_prepare", join_after_the_refusal)
    finished = avalara_send_run(send_id=running.pk)

    assert finished.status == Status.PARTIAL
    assert sorted(AvalaraCertificate.objects.values_list("state", flat=True)) == [
        State.FAILED,
        State.SENT,
    ]
    assert simulator.state.count("CreateCertificates") == 2
    assert AvalaraSend.objects.count() == 1


def test_a_send_that_ends_as_another_request_would_join_it_starts_a_new_one(
    analyst, customer, connected, monkeypatch
):
    from integrations.services import sending

    add_certificate(customer, regions=["TX"])
    first = avalara_send_request(member=analyst, customer=customer).send
    real_join = sending._join_active_send

    def it_finished_just_now(customer, *args, **options):
        AvalaraSend.objects.filter(pk=first.pk).update(status=Status.DONE)
        return real_join(customer, *args, **options)

    monkeypatch.setattr(sending, "_join_active_send", it_finished_just_now)
    second = avalara_send_request(member=analyst, customer=customer)

    assert second.created
    assert second.send.pk != first.pk
