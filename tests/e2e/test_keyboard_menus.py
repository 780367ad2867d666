"""The More and ⋮ menus follow the WAI-ARIA menu-button pattern, driven by the keyboard alone."""

import pytest
from playwright.sync_api import Page, expect

from integrations import services

pytestmark = pytest.mark.e2e

LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def focused_text(page: Page) -> str:
    return page.evaluate("document.activeElement.textContent.trim()")


def assert_menu_keyboard_contract(page: Page, button, menu, labels: list[str]) -> None:
    """Enter opens on the first item; arrows wrap; Home/End; Escape and Tab close it."""
    expect(button).to_have_attribute("aria-haspopup", "menu")
    expect(button).to_have_attribute("aria-expanded", "false")
    button.focus()
    page.keyboard.press("Enter")
    expect(menu).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("menuitem", name=labels[0])).to_be_focused()

    for key, expected in (
        ("ArrowDown", labels[1]),
        ("End", labels[-1]),
        ("ArrowDown", labels[0]),
        ("ArrowUp", labels[-1]),
        ("Home", labels[0]),
    ):
        page.keyboard.press(key)
        assert focused_text(page) == expected, key

    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(button).to_be_focused()
    expect(button).to_have_attribute("aria-expanded", "false")

    page.keyboard.press("ArrowUp")
    expect(menu).to_be_visible()
    expect(menu.get_by_role("menuitem", name=labels[-1])).to_be_focused()

    page.keyboard.press("Tab")
    expect(menu).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")
    assert page.evaluate("document.activeElement.closest('[role=menu]')") is None
    expect(button).not_to_be_focused()


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_more_menu_on_an_application_works_from_the_keyboard(
    live_server, page, log_in, analyst_user, application, viewport
):
    page.set_viewport_size(viewport)
    log_in(page, "analyst")
    page.goto(f"{live_server.url}{application.get_absolute_url()}")
    button = page.get_by_role("button", name="More")
    menu = page.get_by_role("menu", name="More actions")

    assert_menu_keyboard_contract(
        page,
        button,
        menu,
        ["Request Info", "Upload certificate", "Edit customer", "Send to Avalara"],
    )

    # Space opens it too; typing a letter jumps to the item; Enter chooses it and the menu closes.
    button.focus()
    page.keyboard.press(" ")
    expect(menu.get_by_role("menuitem", name="Request Info")).to_be_focused()
    page.keyboard.press("u")
    expect(menu.get_by_role("menuitem", name="Upload certificate")).to_be_focused()
    page.keyboard.press("Enter")
    dialog = page.locator("dialog#modal")
    expect(dialog.get_by_role("heading", name="Upload certificate")).to_be_visible()
    expect(menu).to_be_hidden()


def test_avalara_options_menu_works_from_the_keyboard(
    live_server, page, log_in, admin_member, simulator
):
    services.avalara_connect(
        member=admin_member, environment="sandbox", username="nuvo-demo", password="avalara-demo"
    )
    page.set_viewport_size(LAPTOP)
    log_in(page, "admin")
    page.goto(f"{live_server.url}/settings/integrations/")
    button = page.get_by_role("button", name="Avalara options")
    menu = page.get_by_role("menu", name="Avalara options")

    assert_menu_keyboard_contract(
        page, button, menu, ["Test Connection", "Reconnect/Update Credentials", "Disconnect"]
    )


@pytest.fixture(scope="module")
def simulator_server():
    from integrations.simulator import run_in_thread

    with run_in_thread(provisioning_delay=0) as handle:
        yield handle


@pytest.fixture
def simulator(simulator_server, settings):
    simulator_server.state.reset()
    settings.AVALARA_BASE_URL = simulator_server.base_url
    return simulator_server
