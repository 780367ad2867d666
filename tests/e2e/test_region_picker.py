"""In a browser, on a phone and a laptop: the region picker (nuvo.widgets.RegionPicker) filters
as you type and says how many match, ticks by keyboard and by touch without clearing earlier
picks, shows what is chosen, and the form saves every ticked region."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, expect

from certificates.models import TaxExemptionCertificate
from tests.pdf_factory import make_pdf

pytestmark = pytest.mark.e2e

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 900}}
REGION_COUNT = 64  # 50 states, DC and 13 provinces and territories


@pytest.fixture
def browser_context_args(browser_context_args):
    # A touch screen, so that tap() is a real touch; the keyboard and mouse still work.
    return {**browser_context_args, "has_touch": True}


def checkbox(picker: Locator, name: str) -> Locator:
    return picker.get_by_role("checkbox", name=name, exact=True)


def assert_picker_fits(page: Page, width: int) -> None:
    """No part of any picker reaches past the viewport, nor widens the box it sits in.

    (The staff pages around it reflow in their own piece of work; the pickers are this one's.)
    """
    overflowing = page.evaluate(
        """(width) => [...document.querySelectorAll("[data-region-picker], [data-region-picker] *")]
            .filter((element) => element.getClientRects().length
                && !element.matches(".visually-hidden"))
            .filter((element) => element.getBoundingClientRect().right > width + 0.5
                || element.scrollWidth > element.clientWidth + 1)
            .map((element) => element.outerHTML.slice(0, 80))""",
        width,
    )
    assert overflowing == []


def tick_texas_by_keyboard_and_ohio_by_touch(page: Page, picker: Locator) -> None:
    filter_box = picker.get_by_role("searchbox", name="Filter by name or code")
    expect(filter_box).to_be_focused()
    page.keyboard.type("tex")
    expect(picker.get_by_role("checkbox")).to_have_count(1)
    expect(checkbox(picker, "Texas")).to_be_visible()
    expect(picker.get_by_role("status")).to_have_text(f"1 of {REGION_COUNT} shown")
    # By code too: "tx" is Texas's code and inside no name.
    page.keyboard.press("Control+A")
    page.keyboard.type("tx")
    expect(picker.get_by_role("status")).to_have_text(f"1 of {REGION_COUNT} shown")
    page.keyboard.press("Control+A")
    page.keyboard.type("tex")

    page.keyboard.press("ArrowDown")
    expect(checkbox(picker, "Texas")).to_be_focused()
    page.keyboard.press("Space")
    expect(checkbox(picker, "Texas")).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(filter_box).to_be_focused()
    page.keyboard.press("Escape")  # clears the filter, and leaves a dialog open
    expect(filter_box).to_have_value("")
    expect(picker.get_by_role("checkbox")).to_have_count(REGION_COUNT)
    expect(picker.get_by_role("status")).to_have_text(f"{REGION_COUNT} of {REGION_COUNT} shown")

    checkbox(picker, "Ohio").tap()
    expect(checkbox(picker, "Ohio")).to_be_checked()
    # Arrows move between boxes; picking or moving never clears an earlier pick.
    checkbox(picker, "Ohio").focus()
    page.keyboard.press("ArrowDown")
    expect(checkbox(picker, "Oklahoma")).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(checkbox(picker, "Ohio")).to_be_focused()
    for name in ("Texas", "Ohio"):
        expect(checkbox(picker, name)).to_be_checked()
        expect(picker.get_by_role("button", name=f"Remove {name}")).to_be_visible()
    expect(picker.locator(".region-picker-chosen")).to_contain_text("Chosen:")


def serious_violations(page: Page, selector: str) -> list[str]:
    results = Axe().run(page, context=selector)
    return [
        f"{violation['id']}: {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_staff_upload_saves_regions_ticked_by_keyboard_and_touch(
    live_server, page, analyst_user, customer, log_in, screenshot, tmp_path, viewport
):
    page.set_viewport_size(viewport)
    log_in(page, "analyst")
    page.goto(f"{live_server.url}{customer.get_absolute_url()}")
    page.get_by_role("button", name="Upload certificate").click()
    dialog = page.locator("dialog#modal")
    picker = dialog.locator("[data-region-picker]")
    expect(picker.get_by_role("searchbox")).to_be_visible()
    assert "Hold Ctrl" not in dialog.inner_text()

    # Tab into the filter from the field before it.
    dialog.get_by_label("Certificate name").focus()
    page.keyboard.press("Tab")
    tick_texas_by_keyboard_and_ohio_by_touch(page, picker)
    assert_picker_fits(page, viewport["width"])
    assert serious_violations(page, "dialog#modal") == []
    screenshot(page, f"region-picker-upload-{viewport['width']}")

    certificate_file = tmp_path / "two-states.pdf"
    certificate_file.write_bytes(make_pdf(text="Texas and Ohio resale"))
    dialog.get_by_label("Certificate PDF").set_input_files(certificate_file)
    dialog.get_by_label("Exemption reason").select_option("RESALE")
    dialog.get_by_label("Effective (signed) date").fill("2026-03-01")
    dialog.get_by_role("button", name="Upload").click()
    expect(page.get_by_text(f"added to {customer.legal_name}")).to_be_visible()

    assert TaxExemptionCertificate.objects.get().exempt_regions == ["OH", "TX"]


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_customer_form_saves_ship_to_states_ticked_by_keyboard_and_touch(
    live_server, page, analyst_user, customer, log_in, screenshot, viewport
):
    page.set_viewport_size(viewport)
    log_in(page, "analyst")
    page.goto(f"{live_server.url}/customers/{customer.pk}/edit/")
    picker = page.locator("#id_ship_to_states")

    page.get_by_label("Country").focus()
    page.keyboard.press("Tab")
    tick_texas_by_keyboard_and_ohio_by_touch(page, picker)
    assert_picker_fits(page, viewport["width"])
    assert serious_violations(page, "#id_ship_to_states") == []
    screenshot(page, f"region-picker-customer-{viewport['width']}")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=customer.legal_name)).to_be_visible()

    customer.refresh_from_db()
    assert sorted(customer.ship_to_states) == ["OH", "TX"]


def test_removing_a_chip_unticks_its_region_and_keeps_focus_nearby(
    live_server, page, analyst_user, customer, log_in
):
    customer.ship_to_states = ["OH", "TX"]
    customer.save(update_fields=["ship_to_states"])
    log_in(page, "analyst")
    page.goto(f"{live_server.url}/customers/{customer.pk}/edit/")
    picker = page.locator("#id_ship_to_states")
    expect(picker.get_by_role("button", name="Remove Ohio")).to_be_visible()

    picker.get_by_role("button", name="Remove Ohio").click()

    expect(checkbox(picker, "Ohio")).not_to_be_checked()
    expect(checkbox(picker, "Texas")).to_be_checked()
    expect(picker.get_by_role("button", name="Remove Texas")).to_be_focused()
    page.keyboard.press("Enter")
    expect(checkbox(picker, "Texas")).not_to_be_checked()
    expect(picker.get_by_role("searchbox")).to_be_focused()
    expect(picker.locator(".region-picker-chosen")).to_have_text("Chosen: none")


def test_a_filter_that_matches_nothing_says_so(live_server, page, analyst_user, customer, log_in):
    log_in(page, "analyst")
    page.goto(f"{live_server.url}/customers/{customer.pk}/edit/")
    picker = page.locator("#id_ship_to_states")

    picker.get_by_role("searchbox").fill("zzz")

    expect(picker.get_by_role("checkbox")).to_have_count(0)
    expect(picker.get_by_text("Nothing matches.")).to_be_visible()
    expect(picker.get_by_role("status")).to_have_text(f"0 of {REGION_COUNT} shown")
    # Enter in the filter does not send the form.
    picker.get_by_role("searchbox").press("Enter")
    expect(page).to_have_url(f"{live_server.url}/customers/{customer.pk}/edit/")


def test_without_script_the_checkboxes_alone_work(
    live_server, browser, analyst_user, customer, log_in
):
    context = browser.new_context(java_script_enabled=False, viewport=VIEWPORTS["phone"])
    page = context.new_page()
    log_in(page, "analyst")
    page.goto(f"{live_server.url}/customers/{customer.pk}/edit/")
    picker = page.locator("#id_ship_to_states")

    expect(picker.get_by_role("searchbox")).to_be_hidden()
    expect(picker.get_by_text("Chosen:")).to_be_hidden()
    checkbox(picker, "Texas").check()
    checkbox(picker, "Ohio").check()
    assert_picker_fits(page, VIEWPORTS["phone"]["width"])
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=customer.legal_name)).to_be_visible()
    context.close()

    customer.refresh_from_db()
    assert sorted(customer.ship_to_states) == ["OH", "TX"]


def test_the_public_form_pickers_fit_a_phone(live_server, page, organization, screenshot):
    page.set_viewport_size(VIEWPORTS["phone"])
    page.goto(f"{live_server.url}{organization.get_public_form_url()}")
    ship_to = page.locator("#id_customer-ship_to_states")
    first_certificate = page.locator("#id_certificates-0-exempt_regions")
    page.get_by_label("Yes").check()

    ship_to.get_by_role("searchbox").fill("tex")
    checkbox(ship_to, "Texas").tap()
    checkbox(first_certificate, "Ohio").tap()

    expect(checkbox(ship_to, "Ohio")).to_be_hidden()
    expect(checkbox(first_certificate, "Texas")).to_be_visible()
    expect(checkbox(first_certificate, "Texas")).not_to_be_checked()
    expect(first_certificate.get_by_role("button", name="Remove Ohio")).to_be_visible()
    assert_picker_fits(page, VIEWPORTS["phone"]["width"])
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS["phone"]["width"]
    assert serious_violations(page, "main") == []
    screenshot(page, "region-picker-public-390")


def test_a_refused_upload_reopens_with_the_ticks_and_chips_kept(
    live_server, page, analyst_user, customer, log_in, tmp_path
):
    log_in(page, "analyst")
    page.goto(f"{live_server.url}{customer.get_absolute_url()}")
    page.get_by_role("button", name="Upload certificate").click()
    dialog = page.locator("dialog#modal")
    picker = dialog.locator("[data-region-picker]")
    checkbox(picker, "Texas").check()
    checkbox(picker, "Ohio").check()

    not_a_pdf = tmp_path / "notes.pdf"
    not_a_pdf.write_text("<html>not a pdf</html>")
    dialog.get_by_label("Certificate PDF").set_input_files(not_a_pdf)
    dialog.get_by_label("Exemption reason").select_option("RESALE")
    dialog.get_by_label("Effective (signed) date").fill("2026-03-01")

    # Refused: the dialog comes back (an htmx swap) with the error.
    dialog.get_by_role("button", name="Upload").click()
    expect(dialog.get_by_text("This file is not a PDF.").first).to_be_visible()

    picker = dialog.locator("[data-region-picker]")
    for name in ("Texas", "Ohio"):
        expect(checkbox(picker, name)).to_be_checked()
        expect(picker.get_by_role("button", name=f"Remove {name}")).to_be_visible()
    picker.get_by_role("searchbox").fill("ohio")
    expect(picker.get_by_role("checkbox")).to_have_count(1)
    assert TaxExemptionCertificate.objects.count() == 0
