"""Send to Avalara end to end against the loopback simulator: once, and only what is missing."""

import pytest

from certificates.reasons import ExemptionReason
from integrations.avalara import AvalaraError, ErrorCode
from integrations.models import AvalaraCall, AvalaraCertificate, AvalaraCustomer, AvalaraSend
from integrations.services.presend import SendBlocked
from tests.integrations.sending.helpers import (
    COMPANY_ID,
    LICENSE_ACCOUNT,
    LICENSE_KEY,
    add_certificate,
    company,
    connect,
)

State = AvalaraCertificate.State


def test_first_send_creates_the_customer_once_and_one_certificate_per_region(
    analyst, customer, connected, simulator, send
):
    add_certificate(customer, regions=["TX"])
    add_certificate(customer, regions=["KS", "NE"], text="Multistate")

    result = send(analyst, customer)

    result.refresh_from_db()
    assert result.status == AvalaraSend.Status.DONE
    code = AvalaraCustomer.objects.get(customer=customer).customer_code
    assert code.startswith("NUVO_")
    assert len(code) == 41
    held = company(simulator)
    assert list(held.customers) == [code]
    zones = sorted(cert.exposure_zone["name"] for cert in held.certificates.values())
    assert zones == ["Kansas", "Nebraska", "Texas"]
    assert {code} == {c for _id, c in held.links}
    assert simulator.state.count("CreateCustomers") == 1
    assert simulator.state.count("CreateCertificates") == 3
    assert simulator.state.count() == 4  # certificates + 1: zones and reasons were cached


def test_the_certificate_goes_with_its_pdf_tax_id_po_number_and_a_full_exemption(
    analyst, customer, connected, simulator, send
):
    certificate = add_certificate(
        customer, regions=["WA"], tax_id="601-234-567", is_single_use=True, po_number="PO-77"
    )

    send(analyst, customer)

    (stored,) = company(simulator).certificates.values()
    assert stored.document == certificate.file.open("rb").read()
    assert stored.fields["exemptionNumber"] == "601-234-567"
    assert stored.fields["exemptPercentage"] == 100
    assert stored.exposure_zone["name"] == "Washington"
    assert [po["poNumber"] for po in stored.fields.get("poNumbers", [])] == ["PO-77"]


def test_sending_again_creates_nothing_and_a_new_certificate_alone(
    analyst, customer, connected, simulator, send
):
    add_certificate(customer, regions=["TX"])
    send(analyst, customer)
    simulator.state.clear_requests()

    again = send(analyst, customer)
    again.refresh_from_db()
    assert again.status == AvalaraSend.Status.DONE
    assert simulator.state.count() == 0

    add_certificate(customer, regions=["OK"], text="Oklahoma")
    send(analyst, customer)
    assert simulator.state.count("CreateCustomers") == 0
    assert simulator.state.count("CreateCertificates") == 1
    assert len(company(simulator).certificates) == 2
    assert len(company(simulator).customers) == 1


def test_every_call_is_recorded_for_the_customer_and_certificate_without_secrets(
    analyst, customer, connected, simulator, send
):
    certificate = add_certificate(customer, regions=["TX"])

    result = send(analyst, customer)

    calls = list(AvalaraCall.objects.filter(send=result).order_by("id"))
    assert [call.operation for call in calls] == ["CreateCustomers", "CreateCertificates"]
    assert all(call.customer_id == customer.pk for call in calls)
    assert calls[1].certificate_id == certificate.pk
    assert all(call.outcome == AvalaraCall.Outcome.OK and call.http_status == 200 for call in calls)
    assert all(call.correlation_id for call in calls)
    assert "avalara-demo" not in " ".join(f"{c.path} {c.avalara_message}" for c in calls)


def test_no_certificates_is_refused_before_any_call(analyst, customer, connected, simulator, send):
    with pytest.raises(AvalaraError) as caught:
        send(analyst, customer)

    assert caught.value.code == ErrorCode.NO_CERTIFICATES_FOUND
    assert simulator.state.count() == 0
    assert not AvalaraSend.objects.exists()
    assert not AvalaraCustomer.objects.exists()


def test_without_a_connection_the_send_is_credentials_not_configured(analyst, customer, send):
    add_certificate(customer)

    with pytest.raises(AvalaraError) as caught:
        send(analyst, customer)

    assert caught.value.code == ErrorCode.CREDENTIALS_NOT_CONFIGURED
    assert not AvalaraSend.objects.exists()


def test_a_customer_sent_under_another_company_is_refused_as_company_mismatch(
    analyst, customer, connected, simulator, send
):
    add_certificate(customer)
    AvalaraCustomer.objects.create(
        organization=customer.organization,
        customer=customer,
        customer_code="NUVO_elsewhere",
        company_id=7100002,
        confirmed_at="2026-01-02T00:00:00Z",
    )

    with pytest.raises(AvalaraError) as caught:
        send(analyst, customer)

    assert caught.value.code == ErrorCode.COMPANY_MISMATCH
    assert simulator.state.count() == 0
    assert not AvalaraSend.objects.exists()


def test_a_customer_avalara_never_saw_follows_the_connection_to_its_company(
    analyst, customer, connected, simulator, send
):
    add_certificate(customer)
    AvalaraCustomer.objects.create(
        organization=customer.organization,
        customer=customer,
        customer_code="NUVO_never-created",
        company_id=7100002,  # the company an earlier connection resolved; nothing reached it
    )

    result = send(analyst, customer)

    result.refresh_from_db()
    assert result.status == AvalaraSend.Status.DONE
    record = AvalaraCustomer.objects.get(customer=customer)
    assert (record.company_id, record.customer_code) == (COMPANY_ID, "NUVO_never-created")
    assert list(company(simulator).customers) == ["NUVO_never-created"]


def test_approvers_may_not_send(approver, customer, connected, send):
    add_certificate(customer)

    with pytest.raises(Exception, match="credit analyst or admin"):
        send(approver, customer)


def test_a_reason_the_account_lacks_stops_that_certificate_before_any_call(
    analyst, customer, connected, simulator, send
):
    from integrations.models import AvalaraDefinitions

    definitions = AvalaraDefinitions.objects.get()
    definitions.exemption_reasons = [r for r in definitions.exemption_reasons if r != "RESALE"]
    definitions.save()
    add_certificate(customer, regions=["TX"], reason=ExemptionReason.RESALE)
    add_certificate(customer, regions=["OK"], reason=ExemptionReason.AGRICULTURE, text="Farm")

    result = send(analyst, customer)

    result.refresh_from_db()
    assert result.status == AvalaraSend.Status.PARTIAL
    blocked = AvalaraCertificate.objects.get(region="TX")
    assert blocked.state == State.BLOCKED
    assert blocked.error_message == "Certificate exempt reason doesn't exist in AvaTaxCalcApi."
    assert simulator.state.count("CreateCertificates") == 1
    assert AvalaraCertificate.objects.get(region="OK").state == State.SENT


def test_an_account_with_its_own_reason_names_needs_a_mapping_and_then_gets_its_names(
    analyst, admin_member, customer, simulator, send, committed
):
    from integrations.models import ExemptionReasonMapping

    with committed():
        connect(admin_member, username=LICENSE_ACCOUNT, password=LICENSE_KEY)
    add_certificate(customer, regions=["MI"], reason=ExemptionReason.INDUSTRIAL, text="Mfg")

    with pytest.raises(SendBlocked) as blocked:
        send(analyst, customer)

    (problem,) = blocked.value.check.problems
    assert problem.message == "Certificate exempt reason doesn't exist in AvaTaxCalcApi."
    assert (
        simulator.state.count("CreateCustomers") == simulator.state.count("CreateCertificates") == 0
    )

    ExemptionReasonMapping.objects.create(
        organization=customer.organization,
        nuvo_reason=ExemptionReason.INDUSTRIAL,
        avalara_reason="MANUFACTURER",
    )
    send(analyst, customer)

    (stored,) = company(simulator, 7100002).certificates.values()
    assert stored.exemption_reason["name"] == "MANUFACTURER"


def test_a_taken_customer_code_means_it_exists_and_the_send_goes_on(
    analyst, customer, connected, simulator, send
):
    add_certificate(customer)
    record = AvalaraCustomer.objects.create(
        organization=customer.organization,
        customer=customer,
        customer_code="NUVO_already-there",
        company_id=COMPANY_ID,
    )
    simulator.state.ecm.create_customers(
        company(simulator),
        [
            {
                "customerCode": record.customer_code,
                "companyId": COMPANY_ID,
                "name": customer.legal_name,
                "line1": customer.address_line1,
                "city": customer.city,
                "region": customer.region,
                "postalCode": customer.postal_code,
                "country": "US",
            }
        ],
    )

    result = send(analyst, customer)

    result.refresh_from_db()
    assert result.status == AvalaraSend.Status.DONE
    assert len(company(simulator).customers) == 1
    record.refresh_from_db()
    assert record.is_confirmed


def test_a_region_taken_off_before_it_reached_avalara_is_not_sent_or_retried(
    analyst, customer, connected, simulator, send
):
    from integrations.services.resends import avalara_certificate_retry
    from nuvo.errors import NuvoError

    certificate = add_certificate(customer, regions=["TX", "OK"])
    send(analyst, customer)
    failed = AvalaraCertificate.objects.get(certificate=certificate, region="OK")
    AvalaraCertificate.objects.filter(pk=failed.pk).update(state=State.FAILED)
    certificate.exempt_regions = ["TX"]
    certificate.save(update_fields=["exempt_regions"])

    with pytest.raises(NuvoError) as caught:
        avalara_certificate_retry(member=analyst, row=AvalaraCertificate.objects.get(pk=failed.pk))
    assert caught.value.code == "region_removed"

    simulator.state.clear_requests()
    send(analyst, customer)
    assert simulator.state.count("CreateCertificates") == 0
    assert list(
        AvalaraCertificate.objects.filter(certificate=certificate).values_list("region", flat=True)
    ) == ["TX"]


def test_a_send_from_the_customer_page_is_noted_on_its_latest_application(
    analyst, customer, make_application, connected, send
):
    from creditapps.models import ApplicationEvent

    older = make_application()
    latest = make_application()
    add_certificate(customer, regions=["TX"])

    send(analyst, customer)  # no application: the customer page's Send to Avalara

    (note,) = ApplicationEvent.objects.filter(kind=ApplicationEvent.Kind.INTEGRATION)
    assert note.application_id == latest.pk != older.pk
    assert note.message.startswith("Send to Avalara (More > Send to Avalara): Sent.")


def test_retrying_a_customer_avalara_never_saw_after_the_company_changed_sends_it_there(
    analyst, customer, connected, simulator, committed
):
    from integrations.services.resends import avalara_certificate_retry

    certificate = add_certificate(customer, regions=["TX"])
    AvalaraCustomer.objects.create(
        organization=customer.organization,
        customer=customer,
        customer_code="NUVO_never-created",
        company_id=7100002,
    )
    failed = AvalaraCertificate.objects.create(
        organization=customer.organization,
        certificate=certificate,
        region="TX",
        company_id=7100002,
        state=State.FAILED,
        error_code="UNABLE_TO_CONNECT",
    )

    with committed():
        retry = avalara_certificate_retry(member=analyst, row=failed)

    retry.send.refresh_from_db()
    assert retry.send.status == AvalaraSend.Status.DONE
    row = AvalaraCertificate.objects.get()
    assert (row.pk, row.company_id, row.state) == (failed.pk, COMPANY_ID, State.SENT)
    assert len(company(simulator).certificates) == 1
