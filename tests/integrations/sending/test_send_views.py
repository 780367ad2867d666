"""More > Send to Avalara, its progress dialog, retry, look-alikes, bulk send and the toggle."""

import re

import pytest
from django.urls import reverse

from creditapps import services as creditapps_services
from creditapps.models import ApplicationEvent, CreditApplication, Customer
from integrations.models import AvalaraCertificate, AvalaraCustomer, AvalaraSend
from tests.integrations.sending.helpers import add_certificate, company

State = AvalaraCertificate.State
Status = CreditApplication.Status


def htmx_post(client, url, data=None):
    return client.post(url, data or {}, HTTP_HX_REQUEST="true")


def send_url(application) -> str:
    return reverse("avalara:send-application", args=[application.pk])


def test_the_more_menu_offers_send_to_avalara_to_analysts_and_admins_only(
    analyst_client, admin_client_member, approver_client, application
):
    detail = reverse("creditapps:application-detail", args=[application.pk])
    item = '<button type="submit" role="menuitem">Send to Avalara</button>'

    assert item in analyst_client.get(detail).content.decode()
    assert item in admin_client_member.get(detail).content.decode()
    assert item not in approver_client.get(detail).content.decode()


def test_approvers_get_403_and_other_organizations_404(
    approver_client, outsider_client, application, connected
):
    add_certificate(application.customer)

    assert approver_client.post(send_url(application)).status_code == 403
    assert outsider_client.post(send_url(application)).status_code == 404
    assert not AvalaraSend.objects.exists()


def test_not_connected_says_credentials_not_configured_and_where_to_fix_it(
    analyst_client, admin_client_member, application
):
    add_certificate(application.customer)

    for client, fix in [
        (analyst_client, "Ask your admin to connect Avalara in Settings &gt; Integrations."),
        (admin_client_member, reverse("integrations:integrations")),
    ]:
        html = htmx_post(client, send_url(application)).content.decode()
        assert "CREDENTIALS_NOT_CONFIGURED" in html
        assert "No Avalara credentials are currently saved." in html
        assert "Resolution: Connect Avalara in Settings &gt; Integrations." in html
        assert fix in html


def test_no_certificates_offers_request_info_with_certificates_preselected(
    analyst_client, application, connected
):
    response = htmx_post(analyst_client, send_url(application))

    html = response.content.decode()
    assert response.status_code == 409
    assert "NO_CERTIFICATES_FOUND" in html
    assert "The customer has no tax exemption certificates on file." in html
    assert "Resolution: Request certificates from the customer using Request Info." in html
    request_info = reverse("creditapps:application-request-info", args=[application.pk])
    assert f'hx-get="{request_info}"' in html
    dialog = analyst_client.get(request_info, HTTP_HX_REQUEST="true").content.decode()
    assert re.search(r'value="tax_exemption_certificates"[^>]*checked', dialog)


def test_send_shows_progress_per_certificate_and_the_avalara_id(
    analyst_client, application, connected, simulator, committed
):
    add_certificate(application.customer, regions=["KS", "NE"])

    with committed():
        htmx_post(analyst_client, send_url(application))

    send = AvalaraSend.objects.get()
    response = analyst_client.get(
        reverse("avalara:send-progress", args=[send.pk]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    code = AvalaraCustomer.objects.get().customer_code
    assert code in html
    assert html.count(">Sent</span>") == 2
    assert "Kansas" in html
    assert "Nebraska" in html
    assert 'role="status"' in html
    assert "Sent to Avalara." in html
    assert 'hx-trigger="every 1s"' not in html  # done: nothing left to poll
    detail = analyst_client.get(reverse("creditapps:application-detail", args=[application.pk]))
    assert "<dt>Avalara ID</dt>" in detail.content.decode()
    assert code in detail.content.decode()
    customer_page = analyst_client.get(application.customer.get_absolute_url()).content.decode()
    assert code in customer_page


def test_progress_polls_while_the_send_is_under_way(analyst_client, application, connected):
    add_certificate(application.customer)
    htmx_post(analyst_client, send_url(application))  # its task waits for a commit

    send = AvalaraSend.objects.get()
    url = reverse("avalara:send-progress", args=[send.pk])
    fragment = analyst_client.get(f"{url}?fragment=rows", HTTP_HX_REQUEST="true")

    html = fragment.content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert ">Queued</span>" in html


def test_a_failed_certificate_can_be_retried_on_its_own(
    analyst_client, application, connected, simulator, committed
):
    add_certificate(application.customer, regions=["TX"])
    add_certificate(application.customer, regions=["OK"], text="Oklahoma")
    simulator.state.faults.add(operation="CreateCertificates", status=429, first_n=1)
    with committed():
        htmx_post(analyst_client, send_url(application))
    failed = AvalaraCertificate.objects.get(state=State.FAILED)
    assert AvalaraCertificate.objects.filter(state=State.SENT).count() == 1
    simulator.state.clear_requests()

    with committed():
        response = htmx_post(analyst_client, reverse("avalara:certificate-retry", args=[failed.pk]))

    assert response.status_code == 200
    failed.refresh_from_db()
    assert failed.state == State.SENT
    assert simulator.state.count("CreateCertificates") == 1
    assert simulator.state.count("CreateCustomers") == 0
    assert len(company(simulator).certificates) == 2


def test_a_returning_customer_is_shown_to_the_analyst_before_sending(
    analyst, analyst_client, application, make_customer, connected, simulator
):
    known = make_customer(legal_name="Lone Star Supply (2019)", tax_id="74-1234567")
    AvalaraCustomer.objects.create(
        organization=known.organization,
        customer=known,
        customer_code="NUVO_known",
        company_id=7100001,
    )
    application.customer.tax_id = "74-1234567"
    application.customer.save()
    add_certificate(application.customer)

    response = htmx_post(analyst_client, send_url(application))

    html = response.content.decode()
    assert response.status_code == 409
    assert "Lone Star Supply (2019)" in html
    assert "NUVO_known" in html
    assert "Same customer: merge and send" in html
    assert simulator.state.count() == 0


def test_merging_a_returning_customer_sends_under_the_existing_avalara_id(
    analyst_client, application, make_customer, connected, simulator, committed
):
    known = make_customer(legal_name="Lone Star Supply (2019)", email="maria@lonestar.example")
    AvalaraCustomer.objects.create(
        organization=known.organization,
        customer=known,
        customer_code="NUVO_known",
        company_id=7100001,
        confirmed_at="2025-01-01T00:00:00Z",
    )
    duplicate = application.customer
    add_certificate(duplicate)

    with committed():
        htmx_post(
            analyst_client,
            reverse("avalara:merge-into", args=[duplicate.pk, known.pk]),
            {"application": application.pk},
        )

    application.refresh_from_db()
    assert application.customer_id == known.pk
    assert not Customer.objects.filter(pk=duplicate.pk).exists()
    assert simulator.state.count("CreateCustomers") == 0  # known was confirmed already
    assert {code for _id, code in company(simulator).links} == {"NUVO_known"}
    assert application.events.filter(kind=ApplicationEvent.Kind.CUSTOMERS_MERGED).exists()


def test_merging_a_sent_duplicate_keeps_what_avalara_has_of_a_file_both_customers_hold(
    analyst, make_customer, connected, simulator, send
):
    from integrations.services.matching import merge_customers

    sent = make_customer(legal_name="Lone Star Supply (2019)", email="maria@lonestar.example")
    add_certificate(sent, regions=["TX"], text="Resale")
    send(analyst, sent, check_duplicates=False)
    kept = make_customer(legal_name="Lone Star Supply", email="maria@lonestar.example")
    twin = add_certificate(kept, regions=["TX"], text="Resale")
    twin.sha256 = sent.certificates.get().sha256  # the same file, uploaded to both
    twin.save(update_fields=["sha256"])

    merge_customers(member=analyst, duplicate=sent, into=kept)
    simulator.state.clear_requests()
    send(analyst, kept)

    assert AvalaraCertificate.objects.get().certificate_id == twin.pk
    assert simulator.state.count("CreateCertificates") == 0
    assert len(company(simulator).certificates) == 1


def test_different_customers_are_remembered_and_sent_as_new(
    analyst_client, application, make_customer, connected, simulator, committed
):
    other = make_customer(legal_name="Another Maria Co.", email="maria@lonestar.example")
    add_certificate(application.customer)

    with committed():
        htmx_post(
            analyst_client,
            reverse("avalara:dismiss-match", args=[application.customer_id, other.pk]),
            {"application": application.pk},
        )

    assert AvalaraSend.objects.get().status == AvalaraSend.Status.DONE
    assert len(company(simulator).customers) == 1
    with committed():
        again = htmx_post(analyst_client, send_url(application))
    assert again.status_code == 200


def test_bulk_send_sends_each_chosen_customer_and_summarises(
    analyst_client, make_customer, make_application, connected, simulator, committed
):
    with_certificates = make_application(
        customer=make_customer(legal_name="Alpha Co.", email="a@alpha.example")
    )
    add_certificate(with_certificates.customer)
    without = make_application(customer=make_customer(legal_name="Beta Co.", email="b@b.example"))
    listing = analyst_client.get(reverse("creditapps:application-list")).content.decode()
    assert f'name="application" value="{with_certificates.pk}"' in listing
    assert 'formaction="' + reverse("avalara:bulk-send") + '"' in listing

    with committed():
        response = analyst_client.post(
            reverse("avalara:bulk-send"), {"application": [with_certificates.pk, without.pk]}
        )

    html = analyst_client.get(response["Location"]).content.decode()
    assert "1 customer queued" in html
    assert "Alpha Co." in html
    assert "Beta Co.</strong>: NO_CERTIFICATES_FOUND" in html
    assert "Sent: 1." in html
    assert len(company(simulator).customers) == 1


@pytest.fixture
def awaiting_approval(analyst, application):
    application.status = Status.IN_REVIEW
    application.save()
    creditapps_services.application_request_approval(member=analyst, application=application)
    return application


def approve_url(application) -> str:
    return reverse("creditapps:application-approve", args=[application.pk])


def switch(html: str) -> str:
    found = re.search(r'<input[^>]*name="send_to_avalara"[^>]*>', html)
    return found.group() if found else ""


def test_the_toggle_is_absent_when_avalara_is_not_connected(approver_client, awaiting_approval):
    add_certificate(awaiting_approval.customer)

    assert switch(approver_client.get(approve_url(awaiting_approval)).content.decode()) == ""


def test_the_toggle_is_on_with_certificates_and_off_without(
    approver_client, awaiting_approval, connected
):
    html = approver_client.get(approve_url(awaiting_approval)).content.decode()
    assert 'role="switch"' in switch(html)
    assert "checked" not in switch(html)
    assert "Send Customer to Avalara" in html

    add_certificate(awaiting_approval.customer)
    assert "checked" in switch(approver_client.get(approve_url(awaiting_approval)).content.decode())


def test_approving_with_the_toggle_on_sends_after_the_approval_and_keeps_a_snapshot(
    approver_client, awaiting_approval, connected, simulator, committed
):
    add_certificate(awaiting_approval.customer, regions=["TX"])

    with committed():
        approver_client.post(
            approve_url(awaiting_approval),
            {"credit_limit": "40000", "terms": "net_30", "send_to_avalara": "on"},
        )

    awaiting_approval.refresh_from_db()
    assert awaiting_approval.status == Status.APPROVED
    send = AvalaraSend.objects.get()
    assert send.trigger == AvalaraSend.Trigger.APPROVAL
    assert send.status == AvalaraSend.Status.DONE
    approved = awaiting_approval.events.get(kind=ApplicationEvent.Kind.APPROVED)
    assert "Send Customer to Avalara: on. Certificates at approval:" in approved.message
    assert "TX not sent" in approved.message
    summary = awaiting_approval.events.get(kind=ApplicationEvent.Kind.INTEGRATION)
    assert "Send to Avalara (Send Customer to Avalara (approval)): Sent." in summary.message
    assert "2 Avalara call(s)." in summary.message


def test_approving_with_the_toggle_off_sends_nothing(
    approver_client, awaiting_approval, connected, simulator, committed
):
    add_certificate(awaiting_approval.customer)

    with committed():
        approver_client.post(
            approve_url(awaiting_approval), {"credit_limit": "40000", "terms": "net_30"}
        )

    assert not AvalaraSend.objects.exists()
    assert simulator.state.count() == 0
    approved = awaiting_approval.events.get(kind=ApplicationEvent.Kind.APPROVED)
    assert approved.message.endswith("Send Customer to Avalara: off.")


def test_a_limit_above_the_request_without_a_reason_sends_nothing_and_keeps_the_toggle(
    approver_client, awaiting_approval, connected, simulator, committed
):
    add_certificate(awaiting_approval.customer, regions=["TX"])
    above = str(awaiting_approval.requested_credit_limit + 1)

    with committed():
        refused = approver_client.post(
            approve_url(awaiting_approval),
            {"credit_limit": above, "terms": "net_30", "send_to_avalara": "on"},
        )
    assert "checked" in switch(refused.content.decode())
    assert "There is a problem" in refused.content.decode()
    assert not AvalaraSend.objects.exists()
    with committed():
        approver_client.post(
            approve_url(awaiting_approval),
            {
                "credit_limit": above,
                "terms": "net_30",
                "send_to_avalara": "on",
                "limit_reason": "Volume pricing agreed.",
            },
        )

    assert AvalaraSend.objects.get().status == AvalaraSend.Status.DONE
    approved = awaiting_approval.events.get(kind=ApplicationEvent.Kind.APPROVED)
    assert "Above the requested" in approved.message
    assert "Send Customer to Avalara: on." in approved.message
