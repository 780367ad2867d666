import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from certificates.models import TaxExemptionCertificate
from creditapps.models import CreditApplication
from creditapps.services.intake import file_certificates
from tests.creditapps.test_services import certificate_upload
from tests.pdf_factory import make_pdf

pytestmark = pytest.mark.e2e


@pytest.fixture
def submitted_application(analyst_user, approver_user, admin_user, make_application):
    application = make_application()
    with file_certificates(
        source=TaxExemptionCertificate.Source.APPLICATION_FORM,
        actor_name="Maria Gonzales (customer)",
    ) as filing:
        filing.add(
            certificate_upload(make_pdf(text="Texas resale certificate")),
            customer=application.customer,
            application=application,
        )
    return application


def test_analyst_reviews_requests_info_customer_answers_and_approver_approves(
    live_server, page, browser, submitted_application, log_in, log_out, screenshot, tmp_path
):
    application = submitted_application
    log_in(page, "analyst")
    expect(page.get_by_role("heading", name="Credit applications")).to_be_visible()
    screenshot(page, "01-credit-applications")

    page.get_by_role("link", name=application.reference).click()
    expect(page.get_by_role("heading", name="Compliance & Tax Documents")).to_be_visible()
    page.get_by_role("button", name="Start review").click()
    expect(page.get_by_text(f"Review started on {application.reference}.")).to_be_visible()
    screenshot(page, "02-application")

    # Preview the certificate inside the page, then download it.
    page.get_by_role("link", name="Texas resale certificate", exact=True).click()
    dialog = page.locator("dialog#modal")
    expect(dialog).to_be_visible()
    first_page = dialog.get_by_role("img", name="Page 1 of 1 of Texas resale certificate")
    expect(first_page).to_be_visible()
    assert first_page.evaluate("image => image.naturalWidth") == 900
    screenshot(page, "03-certificate-preview")
    with page.expect_download() as download_info:
        dialog.get_by_role("link", name="Download").click()
    download = download_info.value
    assert download.suggested_filename == "Texas resale certificate.pdf"
    saved = tmp_path / "downloaded.pdf"
    download.save_as(saved)
    assert saved.read_bytes() == application.customer.certificates.get().file.read()
    dialog.get_by_role("button", name="Close").first.click()
    expect(dialog).to_be_hidden()

    # Request Info from the More menu.
    page.get_by_role("button", name="More").click()
    page.get_by_role("menuitem", name="Request Info").click()
    expect(dialog.get_by_role("heading", name="Request Info")).to_be_visible()
    dialog.get_by_label("Tax-exemption certificates").check()
    dialog.get_by_label("Message to the customer").fill("Please add your Oklahoma certificate.")
    screenshot(page, "04-request-info")
    dialog.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Request saved.")).to_be_visible()
    expect(page.locator(".page-header").get_by_text("Info requested")).to_be_visible()
    expect(page.locator(".waiting-card")).to_contain_text(
        re.compile(r"We emailed maria@lonestar\.example at \d{1,2}:\d\d [AP]M E[SD]T\.")
    )

    # The customer opens the emailed link, without an account.
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/respond/\S+/", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    customer_context = browser.new_context()
    customer_page = customer_context.new_page()
    customer_page.goto(f"{live_server.url}/{path}")
    expect(customer_page.get_by_text("Please add your Oklahoma certificate.")).to_be_visible()
    certificate_file = tmp_path / "ok-exemption.pdf"
    certificate_file.write_bytes(make_pdf(text="Oklahoma sales tax exemption"))
    first = customer_page.locator("fieldset.subform").first
    first.get_by_label("Certificate PDF").set_input_files(certificate_file)
    first.get_by_role("checkbox", name="Oklahoma").check()
    first.get_by_label("Exemption reason").select_option("RESALE")
    first.get_by_label("Effective (signed) date").fill("2026-02-01")
    customer_page.get_by_label("Message").fill("Attached, thanks.")
    screenshot(customer_page, "05-customer-upload")
    customer_page.get_by_role("button", name="Send to Acme Supply Co.").click()
    expect(customer_page.get_by_text("we received your information")).to_be_visible()
    customer_context.close()

    # The analyst sees the timeline update and sends the application for approval.
    page.reload()
    timeline = page.locator(".timeline")
    expect(timeline.get_by_text("Info received")).to_be_visible()
    expect(timeline.get_by_text("Attached, thanks.")).to_be_visible()
    expect(page.get_by_role("link", name="Oklahoma resale certificate", exact=True)).to_be_visible()
    page.get_by_role("button", name="Send for approval").click()
    dialog.get_by_label("Note for the approver").fill("References and certificates check out.")
    dialog.get_by_role("button", name="Send for approval").click()
    expect(page.get_by_text(f"{application.reference} sent for approval.")).to_be_visible()
    log_out(page)

    # The approver approves.
    log_in(page, "approver")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Needs my approval (1)"
    ).click()
    expect(page).to_have_url(re.compile(r"view=needs-my-approval"))
    page.get_by_role("link", name=application.reference).click()
    page.get_by_role("button", name="Approve").click()
    dialog.get_by_label("Approved credit limit (USD)").fill("40000")
    dialog.get_by_label("Terms").select_option("net_45")
    screenshot(page, "06-approve")
    dialog.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("heading", name="Approved")).to_be_visible()
    expect(page.locator(".decision").get_by_text("$40,000.00 on Net 45")).to_be_visible()
    screenshot(page, "07-approved")

    application.refresh_from_db()
    assert application.status == CreditApplication.Status.APPROVED
    assert list(application.events.values_list("kind", flat=True)) == [
        "certificate_added",
        "review_started",
        "info_requested",
        "certificate_added",
        "info_received",
        "approval_requested",
        "approved",
    ]


def test_main_pages_render_for_each_role(
    live_server, page, submitted_application, log_in, screenshot
):
    log_in(page, "analyst")
    page.get_by_role("link", name="Customers").click()
    expect(page.get_by_role("heading", name="Customers")).to_be_visible()
    screenshot(page, "10-customers")
    page.get_by_role("link", name="Lone Star Restaurant Supply LLC").click()
    expect(page.get_by_role("heading", name="Compliance & Tax Documents")).to_be_visible()
    screenshot(page, "11-customer")
    page.get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", name="Reports")).to_be_visible()
    screenshot(page, "12-reports")
    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Team")).to_be_visible()
    assert page.get_by_role("link", name="Integrations").count() == 0

    page.goto(f"{live_server.url}{submitted_application.organization.get_public_form_url()}")
    expect(
        page.get_by_role("heading", name="Apply for credit with Acme Supply Co.")
    ).to_be_visible()
    screenshot(page, "13-public-application-form")
