"""Checks at send, in the API and the approval preview; holds; learned refusals; History."""

import pytest
import time_machine
from django.urls import reverse

from integrations.models import (
    AvalaraCall,
    AvalaraCertificate,
    AvalaraSend,
    CertificateEvent,
    ReasonRegionRule,
)
from integrations.services.presend import SendBlocked
from integrations.tasks import send_held_certificates
from tests.creditapps.test_api import token_client
from tests.integrations.sending.helpers import add_certificate

State = AvalaraCertificate.State
REGION_REFUSAL = (
    '{"success":false,"code":"100110","error":{"exempt_reason":'
    '["Reason Code G isn\'t exempt in region(s): OK."]}}.'
)


def test_a_customers_problem_stops_the_send_and_every_problem_is_shown_at_once(
    analyst, analyst_client, make_customer, make_application, connected, simulator, send
):
    customer = make_customer(city="", postal_code="", email="nocity@x.example")
    application = make_application(customer=customer)
    add_certificate(customer)

    with pytest.raises(SendBlocked) as blocked:
        send(analyst, customer)
    assert [p.code for p in blocked.value.check.problems] == [
        "customer_city_missing",
        "customer_zip_missing",
    ]
    assert simulator.state.count() == 0
    assert not AvalaraSend.objects.exists()
    (checked,) = CertificateEvent.objects.filter(kind=CertificateEvent.Kind.CHECKED)
    assert [p["code"] for p in checked.problems] == [
        "customer_city_missing",
        "customer_zip_missing",
    ]

    dialog = analyst_client.post(
        reverse("avalara:send-application", args=[application.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "There is a problem" in dialog
    assert "doesn&#x27;t contain a city." in dialog
    back = application.get_absolute_url().replace("/", "%2F")
    assert f"/customers/{customer.pk}/edit/?focus=city&amp;next={back}#id_city" in dialog

    api = token_client(analyst.user).post(f"/api/v1/customers/{customer.pk}/send-to-avalara/")
    assert api.status_code == 400
    assert [p["field"] for p in api.json()["problems"]] == ["city", "postal_code"]
    assert api.json()["problems"][0] == {
        "code": "customer_city_missing",
        "field": "city",
        "message": api.json()["problems"][0]["message"],
    }


def test_a_certificates_problem_holds_only_that_certificate(
    analyst, customer, connected, simulator, send
):
    bad = add_certificate(customer, regions=["WA"], tax_id="")
    add_certificate(customer, regions=["TX"], text="Texas")

    result = send(analyst, customer)

    result.refresh_from_db()
    assert result.status == AvalaraSend.Status.PARTIAL
    assert AvalaraCertificate.objects.get(certificate=bad).state == State.BLOCKED
    assert AvalaraCertificate.objects.get(region="TX").state == State.SENT
    assert simulator.state.count("CreateCertificates") == 1
    checked = CertificateEvent.objects.get(certificate=bad, kind=CertificateEvent.Kind.CHECKED)
    assert checked.problems[0]["message"] == "ExemptCertDetail.IdNo is required."


def test_avalaras_region_refusal_is_learned_and_blocks_the_next_send_before_any_call(
    analyst, analyst_client, customer, connected, simulator, send
):
    first = add_certificate(customer, regions=["OK"])
    simulator.state.faults.add(
        operation="CreateCertificates",
        status=400,
        body={
            "error": {
                "code": "CertificatesError",
                "message": "Certificates API returned error",
                "details": [
                    {"code": "CertificatesError", "number": 1203, "description": REGION_REFUSAL}
                ],
            }
        },
        first_n=1,
    )

    send(analyst, customer)

    row = AvalaraCertificate.objects.get(certificate=first)
    assert row.state == State.FAILED
    assert "Reason Code G isn't exempt in region(s): OK." in row.error_message
    # The refusal is the rule's: its fix, in the report and in History, opens the reason field.
    assert row.error_code == "certificate_reason_not_exempt_in_region"
    failed = CertificateEvent.objects.get(certificate=first, kind=CertificateEvent.Kind.FAILED)
    (problem,) = failed.problems
    assert problem["fix_url"].endswith("?focus=exemption_reason#id_exemption_reason")
    report = analyst_client.get(reverse("avalara:failed-api-calls")).content.decode()
    assert f"/certificates/{first.pk}/edit/?focus=exemption_reason" in report
    call = AvalaraCall.objects.get(operation="CreateCertificates")
    assert "isn't exempt in region(s): OK" in call.avalara_message
    learned = ReasonRegionRule.objects.get()
    assert (learned.exemption_reason, learned.region, learned.exempt, learned.source) == (
        "RESALE",
        "OK",
        False,
        ReasonRegionRule.Source.AVALARA,
    )
    add_certificate(customer, regions=["OK"], text="Another Oklahoma")
    simulator.state.clear_requests()
    with pytest.raises(SendBlocked):
        send(analyst, customer)
    assert simulator.state.count("CreateCertificates") == 0


def test_a_future_dated_certificate_is_held_and_sent_on_its_date(
    analyst, customer, connected, simulator, send, django_capture_on_commit_callbacks
):
    from datetime import date

    with time_machine.travel("2026-12-01 15:00 +0000", tick=False):
        add_certificate(customer, regions=["TX"], effective=date(2026, 12, 15))
        failed = add_certificate(customer, regions=["OK"], text="Oklahoma")
        send(analyst, customer)
        row = AvalaraCertificate.objects.get(region="TX")
        assert (row.state, row.held_until) == (State.HELD, date(2026, 12, 15))
        AvalaraCertificate.objects.filter(certificate=failed).update(
            state=State.FAILED, avalara_id=None
        )
        simulator.state.clear_requests()
        send_held_certificates()
        assert simulator.state.count("CreateCertificates") == 0

    with (
        time_machine.travel("2026-12-15 14:00 +0000", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        send_held_certificates()

    row.refresh_from_db()
    assert row.state == State.SENT
    assert AvalaraSend.objects.filter(trigger=AvalaraSend.Trigger.SCHEDULED).count() == 1
    # A failed certificate is not the scheduled job's to retry: it waits for a person.
    assert AvalaraCertificate.objects.get(certificate=failed).state == State.FAILED
    assert simulator.state.count("CreateCertificates") == 1


def test_history_of_a_certificate_that_failed_then_was_fixed_and_retried(
    analyst, analyst_client, customer, connected, simulator, send, committed
):
    certificate = add_certificate(customer, regions=["WA", "TX"], tax_id="")
    send(analyst, customer)
    blocked = AvalaraCertificate.objects.get(region="WA")
    assert blocked.state == State.BLOCKED

    edit = reverse("certificates:edit", args=[certificate.pk])
    page = analyst_client.get(f"{edit}?focus=tax_id").content.decode()
    assert 'name="tax_id"' in page
    assert (
        "autofocus"
        in page.split('name="tax_id"')[0].rsplit("<input", 1)[1]
        + page.split('name="tax_id"')[1].split(">")[0]
    )
    analyst_client.post(
        edit,
        {
            "exempt_regions": ["WA", "TX"],
            "exemption_reason": "RESALE",
            "effective_date": "2026-01-15",
            "tax_id": "601-234-567",
        },
    )
    with committed():
        analyst_client.post(reverse("avalara:certificate-retry", args=[blocked.pk]))

    blocked.refresh_from_db()
    assert blocked.state == State.SENT
    preview = analyst_client.get(
        reverse("certificates:preview", args=[certificate.pk])
    ).content.decode()
    history = preview.split('class="history-panel"')[1]
    retried = history.index("Retried")
    assert history.index("Uploaded") < history.index("Checked before sending") < retried
    assert retried < history.rindex(">Sent<")
    assert retried < history.rindex("Avalara call CreateCertificates")
    assert "ExemptCertDetail.IdNo is required." in history
