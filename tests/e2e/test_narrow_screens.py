"""Staff pages at phone width (390 px) and laptop width (1366 px): nothing wider than the screen,
a Menu disclosure that reaches Settings and Log out, the Upload dialog on screen, and at laptop
width an inline navigation and list cells that keep to one line."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone
from playwright.sync_api import Page, expect

from nuvo.roles import Role
from tests.integrations.sending.helpers import add_certificate

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
PASSWORD = "correct-horse-battery"


@pytest.fixture
def records(make_customer, make_application):
    """Long names and addresses, an expired and an expiring certificate: what widens pages."""
    customer = make_customer(
        legal_name="Lone Star Restaurant & Industrial Kitchen Supply of North Texas LLC",
        email="accounts.payable.department@lonestar-restaurant-supply.example",
    )
    application = make_application(customer=customer)
    today = timezone.localdate()
    add_certificate(
        customer, regions=["TX", "OK", "LA", "NM"], expiration_date=today - timedelta(days=20)
    )
    add_certificate(
        customer, regions=["TX"], text="Renewal", expiration_date=today + timedelta(days=10)
    )
    return {"customer": customer, "application": application}


@pytest.fixture
def staff(make_user):
    return {
        "analyst": make_user("analyst", Role.CREDIT_ANALYST),
        "approver": make_user("approver", Role.APPROVER),
        "admin": make_user("admin", Role.ADMIN),
    }


def pages_for(role: str, records) -> list[str]:
    every_member = [
        reverse("creditapps:application-list"),
        reverse("creditapps:application-detail", args=[records["application"].pk]),
        reverse("creditapps:customer-list"),
        reverse("creditapps:customer-detail", args=[records["customer"].pk]),
        reverse("creditapps:reports"),
        reverse("settings"),
        reverse("team"),
    ]
    if role in ("analyst", "admin"):
        every_member.append(reverse("avalara:failed-api-calls"))
    if role == "admin":
        every_member += [
            reverse("integrations:integrations"),
            reverse("creditapps:certificate-settings"),
        ]
    return every_member


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="Nuvo home")).to_be_visible()


def page_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def assert_on_screen(page: Page, locator, width: int) -> None:
    box = locator.bounding_box()
    assert box is not None
    assert box["x"] >= 0, box
    assert box["x"] + box["width"] <= width, box


def assert_menu_reaches_settings_and_log_out(page: Page) -> None:
    menu = page.get_by_role("button", name="Menu")
    settings_link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(settings_link).to_be_hidden()

    menu.click()

    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(settings_link).to_be_visible()
    assert_on_screen(page, settings_link, PHONE["width"])
    log_out = page.get_by_role("button", name="Log out")
    expect(log_out).to_be_visible()
    assert_on_screen(page, log_out, PHONE["width"])
    assert page_width(page) <= PHONE["width"]


@pytest.mark.parametrize("role", ["analyst", "approver", "admin"])
def test_every_main_staff_page_fits_a_phone(live_server, page, staff, records, role, screenshot):
    log_in(page, live_server.url, role)
    page.set_viewport_size(PHONE)

    for number, path in enumerate(pages_for(role, records)):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("main h1").first).to_be_visible()
        assert page_width(page) <= PHONE["width"], path
        if role == "analyst":
            screenshot(page, f"narrow-{number:02d}")
        assert_menu_reaches_settings_and_log_out(page)


def test_the_menu_closes_with_escape_and_gives_focus_back(
    live_server, page, staff, records, screenshot
):
    log_in(page, live_server.url, "analyst")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{reverse('creditapps:reports')}")
    menu = page.get_by_role("button", name="Menu")
    menu.click()
    screenshot(page, "narrow-menu-open")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Customers").focus()

    page.keyboard.press("Escape")

    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()


def test_tables_become_labelled_cards_on_a_phone(live_server, page, staff, records):
    log_in(page, live_server.url, "analyst")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{reverse('creditapps:application-list')}")

    cell = page.locator("#results td[data-label='Requested']").first
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Requested"'
    assert cell.evaluate("td => getComputedStyle(td).display") == "block"


def test_the_upload_certificate_dialog_fits_a_phone(live_server, page, staff, records):
    log_in(page, live_server.url, "analyst")
    page.set_viewport_size(PHONE)
    customer = records["customer"]
    page.goto(f"{live_server.url}{reverse('creditapps:customer-detail', args=[customer.pk])}")

    page.get_by_role("button", name="Upload certificate").click()

    dialog = page.locator("dialog#modal")
    expect(dialog.get_by_role("heading", name="Upload certificate")).to_be_visible()
    assert_on_screen(page, dialog, PHONE["width"])
    box = dialog.bounding_box()
    assert box["y"] >= 0, box
    assert box["y"] + box["height"] <= PHONE["height"], box
    expect(dialog.get_by_label("Certificate name (optional)")).to_be_visible()
    upload = dialog.get_by_role("button", name="Upload")
    upload.scroll_into_view_if_needed()
    expect(upload).to_be_in_viewport()
    assert page_width(page) <= PHONE["width"]


# Cells that must stay on one line at laptop width: money, dates and times, status.
ONE_LINE_CELLS = (
    ".table td.num, .table td.nowrap, .table td[data-label='Status'], .table td[data-label='When']"
)
TEXT_LINES = """cells => cells.map(cell => {
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  const tops = [];
  while (walker.nextNode()) {
    if (!walker.currentNode.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(walker.currentNode);
    for (const rect of range.getClientRects()) tops.push(rect.top);
  }
  const lineHeight = parseFloat(getComputedStyle(cell).lineHeight) || 20;
  return tops.length ? (Math.max(...tops) - Math.min(...tops)) / lineHeight : 0;
})"""


def test_at_laptop_width_the_navigation_is_inline_and_list_cells_do_not_wrap(
    live_server, page, staff, records
):
    page.set_viewport_size(LAPTOP)
    log_in(page, live_server.url, "analyst")
    customer = records["customer"]
    paths = [
        reverse("creditapps:application-list"),
        reverse("creditapps:customer-list"),
        reverse("creditapps:customer-detail", args=[customer.pk]),
        reverse("creditapps:reports"),
        reverse("avalara:failed-api-calls"),
    ]
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("button", name="Menu")).to_be_hidden()
        nav = page.get_by_role("navigation", name="Main")
        expect(nav.get_by_role("link", name="Settings")).to_be_visible()
        brand = page.get_by_role("link", name="Nuvo home").bounding_box()
        nav_box = nav.bounding_box()
        # One row: the links sit beside the brand, not under it.
        assert nav_box["x"] > brand["x"] + brand["width"]
        assert abs(nav_box["y"] - brand["y"]) < brand["height"]
        assert page_width(page) <= LAPTOP["width"], path
        lines = page.locator(ONE_LINE_CELLS).evaluate_all(TEXT_LINES)
        assert all(spread < 0.5 for spread in lines), (path, lines)

    page.goto(f"{live_server.url}{reverse('creditapps:customer-detail', args=[customer.pk])}")
    expired_cell = page.locator("td[data-label='Expires']").filter(has_text="Expired")
    expect(expired_cell).to_have_count(1)
    expired_on = timezone.localdate() - timedelta(days=20)
    expect(expired_cell).to_contain_text(dateformat.format(expired_on, "M j, Y"))
