"""Focus in dialogs and after Test Connection: where it starts, where errors send it, and back."""

import pytest
from playwright.sync_api import Page, expect

from integrations import services
from integrations.simulator import run_in_thread

pytestmark = pytest.mark.e2e

LAPTOP = {"width": 1366, "height": 900}


@pytest.fixture(scope="module")
def simulator_server():
    with run_in_thread(provisioning_delay=0) as handle:
        yield handle


@pytest.fixture
def simulator(simulator_server, settings):
    simulator_server.state.reset()
    settings.AVALARA_BASE_URL = simulator_server.base_url
    return simulator_server


@pytest.fixture
def integrations_page(live_server, page: Page, log_in, admin_user) -> Page:
    page.set_viewport_size(LAPTOP)
    log_in(page, "admin")
    page.goto(f"{live_server.url}/settings/integrations/")
    return page


@pytest.fixture
def connected(admin_member, simulator):
    return services.avalara_connect(
        member=admin_member, environment="sandbox", username="nuvo-demo", password="avalara-demo"
    )


def active(page: Page, script: str):
    return page.evaluate(f"(() => {{ const el = document.activeElement; return {script}; }})()")


def test_request_info_refused_focuses_the_first_invalid_field_with_one_alert(
    live_server, page, log_in, analyst_user, application
):
    page.set_viewport_size(LAPTOP)
    log_in(page, "analyst")
    page.goto(f"{live_server.url}{application.get_absolute_url()}")
    page.get_by_role("button", name="More").click()
    page.get_by_role("menuitem", name="Request Info").click()
    dialog = page.locator("dialog#modal")
    expect(dialog.get_by_role("heading", name="Request Info")).to_be_visible()

    checked = dialog.locator('input[name="items"]:checked')
    while checked.count():
        checked.first.uncheck()

    dialog.get_by_role("button", name="Send request").click()

    expect(dialog.get_by_role("heading", name="There is a problem")).to_be_visible()
    first_item = dialog.locator('input[name="items"]').first
    expect(first_item).to_be_focused()
    expect(first_item).to_have_attribute("aria-invalid", "true")
    expect(dialog.locator('[role="alert"]')).to_have_count(1)


def test_connect_with_a_wrong_password_keeps_focus_in_the_form_and_says_what_to_do(
    integrations_page, simulator, screenshot
):
    page = integrations_page
    page.get_by_role("button", name="Connect").click()
    dialog = page.locator("dialog#modal")
    sandbox = dialog.get_by_label("Sandbox")
    expect(sandbox).to_be_checked()
    expect(sandbox).to_be_focused()
    screenshot(page, "26-connect-sandbox-first")
    page.keyboard.press("Tab")
    dialog.get_by_label("Username/Account ID").fill("nuvo-demo")
    dialog.get_by_label("Password/License Key").fill("wrong-password")

    dialog.get_by_role("button", name="Connect").click()

    expect(dialog.get_by_text("INVALID_CREDENTIALS")).to_be_visible()
    expect(
        dialog.get_by_text(
            "Resolution: Check the Username/Account ID and Password/License Key, and that they "
            "belong to the environment you chose (Sandbox or Production), then select Connect "
            "again."
        )
    ).to_be_visible()
    assert active(page, "!!el.closest('dialog#modal form')")
    assert active(page, "el.getAttribute('role')") == "alert"
    expect(dialog.locator('[role="alert"]')).to_have_count(1)
    screenshot(page, "26-connect-wrong-password-focus")


def test_test_connection_keeps_focus_on_the_options_button_and_announces_the_result(
    connected, integrations_page
):
    page = integrations_page
    announcement = page.locator("#avalara-announcement")
    expect(announcement).to_have_attribute("role", "status")
    expect(announcement).to_have_text("")
    page.get_by_role("button", name="Avalara options").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("menuitem", name="Test Connection")).to_be_focused()

    page.keyboard.press("Enter")

    expect(announcement).to_have_text("Connection verified successfully")
    expect(page.locator("#service-avalara").get_by_text("Last test")).to_be_visible()
    expect(page.get_by_role("button", name="Avalara options")).to_be_focused()
    # Only the page's live region announces it: the row's copy is not a second live region.
    expect(page.locator('#service-avalara [role="status"]')).to_have_count(0)


def choose_disconnect(page: Page) -> None:
    """From the focused ⋮ button: open the menu, go to its last item, choose it."""
    page.keyboard.press("Enter")
    expect(page.get_by_role("menuitem", name="Test Connection")).to_be_focused()
    page.keyboard.press("End")
    expect(page.get_by_role("menuitem", name="Disconnect")).to_be_focused()
    page.keyboard.press("Enter")


def test_disconnect_opens_on_cancel_and_gives_focus_back_to_the_options_button(
    connected, integrations_page
):
    page = integrations_page
    options = page.get_by_role("button", name="Avalara options")
    options.focus()
    choose_disconnect(page)
    dialog = page.locator("dialog#modal")
    expect(dialog.get_by_role("heading", name="Disconnect Avalara?")).to_be_visible()

    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    dialog.get_by_role("button", name="Cancel").press("Enter")

    expect(dialog).to_be_hidden()
    expect(options).to_be_focused()
    # Escape closes it the same way.
    choose_disconnect(page)
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(options).to_be_focused()
