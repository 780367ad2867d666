"""Reports > Failed API Calls, and the exemption matrix's CSV import."""

import csv
import io

from django.urls import reverse

from integrations.models import AvalaraCertificate, CertificateEvent, ReasonRegionRule
from tests.integrations.sending.helpers import add_certificate

URL = "avalara:failed-api-calls"
State = AvalaraCertificate.State


def failing_send(analyst, customer, simulator, send):
    simulator.state.faults.add(
        operation="CreateCertificates", status=400, error_code="ModelStateInvalid"
    )
    add_certificate(customer, regions=["TX"])
    send(analyst, customer)
    simulator.state.faults.clear()
    return AvalaraCertificate.objects.get(region="TX")


def test_failed_certificates_and_customers_are_listed_with_their_fix(
    analyst, analyst_client, customer, make_customer, connected, simulator, send
):
    failing_send(analyst, customer, simulator, send)
    other = make_customer(legal_name="Customer Refused", email="refused@x.example")
    add_certificate(other, regions=["AZ"])
    simulator.state.faults.add(
        operation="CreateCustomers", status=400, error_code="ModelStateInvalid"
    )
    send(analyst, other)

    html = analyst_client.get(reverse(URL)).content.decode()

    assert "Texas resale certificate (TX)" in html
    assert "CERTIFICATE_UPLOAD_FAILED" in html
    assert "Retry and confirm the certificate files are valid PDFs." in html
    assert "Customer Refused" in html
    assert "CUSTOMER_CREATION_FAILED" in html
    listing = analyst_client.get(reverse("creditapps:application-list")).content.decode()
    # Three: TX's certificate, and the refused customer with the certificate that could not go.
    assert 'aria-label="3 failed Avalara calls">3</span>' in listing


def test_filters_by_error_customer_and_date(
    analyst, analyst_client, customer, connected, simulator, send
):
    failing_send(analyst, customer, simulator, send)

    by_code = analyst_client.get(reverse(URL), {"error_code": "CUSTOMER_CREATION_FAILED"})
    by_customer = analyst_client.get(reverse(URL), {"customer": "lone star"})
    too_early = analyst_client.get(reverse(URL), {"until": "2000-01-01"})

    assert "Texas resale certificate (TX)" not in by_code.content.decode()
    assert "Texas resale certificate (TX)" in by_customer.content.decode()
    assert "No failed calls match these filters." in too_early.content.decode()


def test_retry_of_a_selection_sends_again_and_the_row_leaves(
    analyst, analyst_client, customer, connected, simulator, send, committed
):
    row = failing_send(analyst, customer, simulator, send)

    with committed():
        response = analyst_client.post(
            reverse("avalara:failed-retry"), {"row": [f"certificate-{row.pk}"]}
        )

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.state == State.SENT
    assert "Texas resale certificate (TX)" not in analyst_client.get(reverse(URL)).content.decode()


def test_retrying_or_dismissing_a_row_that_is_not_there_says_so(
    analyst_client, admin_client_member, connected
):
    for key in ["customer-999999", "certificate-999999", "banana-1", "certificate-x", ""]:
        retried = analyst_client.post(reverse("avalara:failed-retry"), {"row": [key]}, follow=True)
        dismissed = admin_client_member.post(
            reverse("avalara:failed-dismiss"), {"row": key, "reason": "gone"}, follow=True
        )
        for response in (retried, dismissed):
            assert response.status_code == 200
            assert "That row is not in the report" in response.content.decode()


def test_only_admins_dismiss_and_only_with_a_reason_kept_in_the_history(
    analyst, analyst_client, admin_client_member, customer, connected, simulator, send
):
    row = failing_send(analyst, customer, simulator, send)
    dismiss = reverse("avalara:failed-dismiss")

    assert (
        analyst_client.post(dismiss, {"row": f"certificate-{row.pk}", "reason": "x"}).status_code
        == 403
    )
    admin_client_member.post(dismiss, {"row": f"certificate-{row.pk}", "reason": " "})
    row.refresh_from_db()
    assert row.dismissed_at is None
    admin_client_member.post(
        dismiss, {"row": f"certificate-{row.pk}", "reason": "Customer stopped buying tax-exempt."}
    )

    row.refresh_from_db()
    assert row.dismiss_reason == "Customer stopped buying tax-exempt."
    event = CertificateEvent.objects.get(kind=CertificateEvent.Kind.DISMISSED)
    assert event.message == "Dismissed: Customer stopped buying tax-exempt."
    assert "Texas resale certificate (TX)" not in analyst_client.get(reverse(URL)).content.decode()


def test_the_csv_export_cannot_run_formulas(
    analyst, analyst_client, make_customer, connected, simulator, send
):
    hostile = make_customer(legal_name='=HYPERLINK("http://evil.example","x")', email="h@x.example")
    failing_send(analyst, hostile, simulator, send)

    response = analyst_client.get(reverse(URL), {"format": "csv"})

    assert response["Content-Disposition"] == 'attachment; filename="failed-api-calls.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["When", "Customer", "What", "Error", "Message", "Fix"]
    assert rows[1][1] == '\'=HYPERLINK("http://evil.example","x")'
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows[1:] for cell in row)


def test_admins_import_the_exemption_matrix_after_checking_it(
    admin_client_member, analyst_client, connected
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("integrations:avalara-matrix")

    def upload(text, button):
        return admin_client_member.post(
            url, {"file": SimpleUploadedFile("m.csv", text.encode()), button: "1"}
        )

    broken = upload("reason,region,exempt\nRESALE,ZZ,no\n", "check")
    assert "Unknown region" in broken.content.decode()
    checked = upload(
        "reason,region,exempt,note\nG,OK,no,from our tax adviser\nRESALE,TX,yes,\n", "check"
    )
    assert "Checked, nothing imported" in checked.content.decode()
    assert not ReasonRegionRule.objects.exists()
    upload("reason,region,exempt,note\nG,OK,no,from our tax adviser\nRESALE,TX,yes,\n", "import")

    cells = {
        (c.exemption_reason, c.region): (c.exempt, c.source) for c in ReasonRegionRule.objects.all()
    }
    assert cells == {("RESALE", "OK"): (False, "csv"), ("RESALE", "TX"): (True, "csv")}
    assert analyst_client.get(url).status_code == 403


def test_an_unsent_certificate_shows_what_would_stop_it(analyst_client, application, connected):
    add_certificate(application.customer, regions=["WA"], tax_id="")

    html = analyst_client.get(application.get_absolute_url()).content.decode()

    assert "Before sending to Avalara:" in html
    assert "ExemptCertDetail.IdNo is required." in html


def test_the_matrix_reads_the_usual_ways_of_writing_yes_and_no():
    import pytest
    from django.core.exceptions import ValidationError

    from integrations.services.matrix import exempt_from

    assert [exempt_from(v) for v in ["yes", "Y", "TRUE", "t", "1", "exempt"]] == [True] * 6
    assert [exempt_from(v) for v in ["no", "N", "false", "F", "0", "Not exempt"]] == [False] * 6
    with pytest.raises(ValidationError, match="Exempt must be yes or no"):
        exempt_from("maybe")


def test_dismissing_a_refused_customer_says_so_and_a_later_failure_brings_it_back(
    analyst, admin_client_member, make_customer, connected, simulator, send
):
    from integrations.models import AvalaraCustomer

    other = make_customer(legal_name="Customer Refused", email="refused@x.example")
    add_certificate(other, regions=["AZ"])
    simulator.state.faults.add(
        operation="CreateCustomers", status=400, error_code="ModelStateInvalid"
    )
    send(analyst, other)
    record = AvalaraCustomer.objects.get(customer=other)

    response = admin_client_member.post(
        reverse("avalara:failed-dismiss"),
        {"row": f"customer-{record.pk}", "reason": "Duplicate of an ERP account."},
        follow=True,
    )

    html = response.content.decode()
    assert "Dismissed Customer Refused&#x27;s failure" in html
    row = f'value="customer-{record.pk}"'
    assert row not in html
    send(analyst, other)  # fails again
    assert row in admin_client_member.get(reverse(URL)).content.decode()


def test_only_a_row_in_the_report_can_be_dismissed_and_a_new_failure_brings_it_back(
    analyst, admin_client_member, customer, connected, simulator, send, committed
):
    row = failing_send(analyst, customer, simulator, send)
    dismiss = reverse("avalara:failed-dismiss")
    admin_client_member.post(dismiss, {"row": f"certificate-{row.pk}", "reason": "Known issue."})

    again = admin_client_member.post(
        dismiss, {"row": f"certificate-{row.pk}", "reason": "Twice."}, follow=True
    )
    assert "That row is not in the report" in again.content.decode()

    simulator.state.faults.add(
        operation="CreateCertificates", status=400, error_code="ModelStateInvalid"
    )
    with committed():
        admin_client_member.post(
            reverse("avalara:failed-retry"), {"row": [f"certificate-{row.pk}"]}
        )
    row.refresh_from_db()
    assert row.state == State.FAILED
    assert row.dismissed_at is None
