"""In a browser, phone and laptop: a refused public application puts a focused error summary at
the top whose links focus their fields, keeps the chosen PDF ("name.pdf — Change"), and the
corrected form files the application with that certificate. The tax-exempt question reveals the
certificate blocks, and "Add another" adds and removes blocks."""

import pytest
from playwright.sync_api import Page, expect

from creditapps.models import CreditApplication
from tests.pdf_factory import make_pdf

pytestmark = pytest.mark.e2e

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 900}}


def fill_applicant_except_city(page: Page) -> None:
    for field, value in {
        "customer-legal_name": "Cascade Hardware Co.",
        "customer-contact_name": "Ben Okafor",
        "customer-email": "ben@cascade.example",
        "customer-address_line1": "88 Pike St",
        "customer-postal_code": "98101",
        "terms-requested_credit_limit": "5000",
    }.items():
        page.fill(f"#id_{field}", value)
    page.select_option("#id_customer-region", "WA")
    page.select_option("#id_terms-requested_terms", "net_30")


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_a_refused_application_keeps_the_pdf_and_the_summary_leads_to_the_field(
    live_server, page, organization, screen, tmp_path, screenshot
):
    page.set_viewport_size(VIEWPORTS[screen])
    certificate = tmp_path / "wa-resale.pdf"
    certificate.write_bytes(make_pdf(text="Washington reseller permit"))
    page.goto(f"{live_server.url}{organization.get_public_form_url()}")
    fill_applicant_except_city(page)
    page.get_by_label("Yes").check()
    block = page.locator("fieldset.subform", has_text="Certificate 1")
    block.get_by_label("Certificate PDF").set_input_files(certificate)
    block.get_by_label("Washington").check()
    block.get_by_label("Exemption reason").select_option("RESALE")
    block.get_by_label("Effective (signed) date").fill("2026-01-01")
    page.get_by_role("button", name="Submit application").click()

    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page).to_have_title("Error: Apply for credit with Acme Supply Co. · Nuvo")
    box = summary.bounding_box()
    assert box["y"] < VIEWPORTS[screen]["height"] / 2, box
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[screen]["width"]
    kept = page.locator(".kept-file")
    expect(kept).to_contain_text("wa-resale.pdf — Change")
    screenshot(page, f"public-form-errors-{screen}")

    summary.get_by_role("link", name="Enter the city or town of your business address").click()
    city = page.locator("#id_customer-city")
    expect(city).to_be_focused()
    city.fill("Seattle")
    page.get_by_role("button", name="Submit application").click()

    expect(
        page.get_by_role("heading", name="Thank you, your application was received")
    ).to_be_visible()
    application = CreditApplication.objects.get()
    assert application.customer.city == "Seattle"
    filed = application.customer.certificates.get()
    assert filed.original_filename == "wa-resale.pdf"
    assert filed.file.read() == certificate.read_bytes()


def test_change_reveals_the_file_input_again(live_server, page, organization, tmp_path):
    page.set_viewport_size(VIEWPORTS["phone"])
    first, second = tmp_path / "first.pdf", tmp_path / "second.pdf"
    first.write_bytes(make_pdf(text="first"))
    second.write_bytes(make_pdf(text="second"))
    page.goto(f"{live_server.url}{organization.get_public_form_url()}")
    page.get_by_label("Yes").check()
    page.get_by_label("Certificate PDF").set_input_files(first)
    page.get_by_role("button", name="Submit application").click()
    expect(page.locator(".kept-file")).to_contain_text("first.pdf — Change")
    file_input = page.get_by_label("Certificate PDF")
    expect(file_input).to_be_hidden()

    page.locator(".kept-file summary").click()

    expect(file_input).to_be_visible()
    file_input.set_input_files(second)
    fill_applicant_except_city(page)
    page.fill("#id_customer-city", "Seattle")
    block = page.locator("fieldset.subform", has_text="Certificate 1")
    block.get_by_label("Washington").check()
    block.get_by_label("Exemption reason").select_option("RESALE")
    block.get_by_label("Effective (signed) date").fill("2026-01-01")
    page.get_by_role("button", name="Submit application").click()
    expect(
        page.get_by_role("heading", name="Thank you, your application was received")
    ).to_be_visible()
    assert CreditApplication.objects.get().customer.certificates.get().original_filename == (
        "second.pdf"
    )


def test_certificates_show_after_yes_and_blocks_are_added_and_removed(
    live_server, page, organization
):
    page.set_viewport_size(VIEWPORTS["laptop"])
    page.goto(f"{live_server.url}{organization.get_public_form_url()}")
    certificate_pdf = page.get_by_label("Certificate PDF")
    expect(certificate_pdf).to_be_hidden()
    page.get_by_label("Yes").check()
    expect(certificate_pdf).to_be_visible()
    page.get_by_label("No", exact=True).check()
    expect(certificate_pdf).to_be_hidden()

    references = page.locator("[data-formset=references]")
    expect(references.locator("fieldset.subform")).to_have_count(1)
    for _ in range(4):
        page.get_by_role("button", name="Add another reference").click()
    expect(references.locator("fieldset.subform")).to_have_count(5)
    expect(page.get_by_role("button", name="Add another reference")).to_be_hidden()
    expect(references.locator("#id_references-4-company_name")).to_be_focused()
    references.locator("#id_references-2-company_name").fill("Third Supplier")
    references.locator("#id_references-3-company_name").fill("Fourth Supplier")

    references.locator("fieldset.subform").nth(1).get_by_role(
        "button", name="Remove this reference"
    ).click()

    expect(references.locator("fieldset.subform")).to_have_count(4)
    expect(references.locator("#id_references-1-company_name")).to_have_value("Third Supplier")
    expect(references.locator("#id_references-2-company_name")).to_have_value("Fourth Supplier")
    expect(references.locator("input[name=references-TOTAL_FORMS]")).to_have_value("4")
    expect(references.get_by_text("Reference 4")).to_be_visible()
    expect(page.get_by_role("button", name="Add another reference")).to_be_visible()

    fill_applicant_except_city(page)
    page.fill("#id_customer-city", "Seattle")
    references.locator("#id_references-0-company_name").fill("First Supplier")
    page.get_by_role("button", name="Submit application").click()
    expect(
        page.get_by_role("heading", name="Thank you, your application was received")
    ).to_be_visible()
    names = CreditApplication.objects.get().trade_references.values_list("company_name", flat=True)
    assert sorted(names) == ["First Supplier", "Fourth Supplier", "Third Supplier"]


def test_the_upload_certificate_dialog_keeps_the_pdf_across_a_refused_upload(
    live_server, page, analyst_user, customer, log_in, tmp_path
):
    page.set_viewport_size(VIEWPORTS["laptop"])
    certificate = tmp_path / "tx-resale.pdf"
    certificate.write_bytes(make_pdf(text="Texas resale certificate"))
    log_in(page, "analyst")
    page.goto(f"{live_server.url}{customer.get_absolute_url()}")
    page.get_by_role("button", name="Upload certificate").click()
    dialog = page.locator("dialog#modal")
    dialog.get_by_label("Certificate PDF").set_input_files(certificate)
    dialog.get_by_label("Texas").check()
    dialog.get_by_label("Exemption reason").select_option("RESALE")
    dialog.get_by_role("button", name="Upload").click()

    expect(dialog.get_by_text("There is a problem")).to_be_visible()
    expect(dialog.locator(".kept-file")).to_contain_text("tx-resale.pdf — Change")
    date = dialog.get_by_label("Effective (signed) date")
    expect(date).to_be_focused()
    date.fill("2026-03-01")
    dialog.get_by_role("button", name="Upload").click()

    expect(
        page.get_by_text(f"Texas resale certificate added to {customer.legal_name}.")
    ).to_be_visible()
    stored = customer.certificates.get()
    assert stored.file.read() == certificate.read_bytes()


def test_an_added_certificate_block_gets_a_working_region_picker(live_server, page, organization):
    page.set_viewport_size(VIEWPORTS["phone"])
    page.goto(f"{live_server.url}{organization.get_public_form_url()}")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Add another certificate").click()

    second = page.locator("[data-formset=certificates] [data-formset-block]").nth(1)
    filter_box = second.get_by_label("Filter by name or code")
    expect(filter_box).to_be_visible()
    filter_box.fill("tex")
    expect(second.locator("[data-region-count]")).to_have_text("1 of 64 shown")
    second.get_by_label("Texas").check()
    expect(second.get_by_role("button", name="Remove Texas")).to_be_visible()
    expect(second.locator("input[name='certificates-1-exempt_regions'][value=TX]")).to_be_checked()
    assert filter_box.get_attribute("aria-controls") == "id_certificates-1-exempt_regions_list"
