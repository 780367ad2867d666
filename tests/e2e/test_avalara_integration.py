import pytest
from playwright.sync_api import Page, expect

from integrations.models import AvalaraConnection
from integrations.simulator import run_in_thread
from tests.integrations.test_connection import _closed_port

pytestmark = pytest.mark.e2e


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
def integrations_page(live_server, page, admin_user, log_in) -> Page:
    log_in(page, "admin")
    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Services")).to_be_visible()
    return page


def avalara_row(page: Page):
    return page.locator("#service-avalara")


def fill_connect_dialog(page: Page, username: str, password: str, environment="Sandbox"):
    dialog = page.locator("dialog#modal")
    expect(dialog).to_be_visible()
    dialog.get_by_label(environment).check()
    dialog.get_by_label("Username/Account ID").fill(username)
    dialog.get_by_label("Password/License Key").fill(password)
    return dialog


def open_options(page: Page):
    avalara_row(page).get_by_role("button", name="Avalara options").click()
    return page.locator("#avalara-menu")


def test_admin_connects_tests_reconnects_and_disconnects(integrations_page, simulator, screenshot):
    page = integrations_page
    row = avalara_row(page)
    expect(row.get_by_text("Not connected")).to_be_visible()
    screenshot(page, "20-integrations-not-connected")

    # Bad credentials first: the dialog shows the code and resolution, nothing is saved.
    row.get_by_role("button", name="Connect").click()
    dialog = fill_connect_dialog(page, "nuvo-demo", "wrong-password")
    dialog.get_by_role("button", name="Connect").click()
    expect(dialog.get_by_text("INVALID_CREDENTIALS")).to_be_visible()
    expect(dialog.get_by_text("Your username or password is incorrect.")).to_be_visible()
    screenshot(page, "21-connect-invalid-credentials")
    assert not AvalaraConnection.objects.exists()

    dialog = fill_connect_dialog(page, "nuvo-demo", "avalara-demo")
    dialog.get_by_role("button", name="Connect").click()
    expect(page.get_by_text("Avalara connected as nuvo-demo.")).to_be_visible()
    expect(row.get_by_text("Connected", exact=True)).to_be_visible()
    expect(row.get_by_text("nuvo-demo")).to_be_visible()
    expect(row.get_by_text("Acme Supply Co. (Simulator) (ID 7100001, ACMESUPPLY)")).to_be_visible()
    screenshot(page, "22-integrations-connected")

    open_options(page).get_by_role("menuitem", name="Test Connection").click()
    expect(row.get_by_text("Connection verified successfully")).to_be_visible()

    simulator.state.accounts[2000100001].password = "changed-at-avalara"
    open_options(page).get_by_role("menuitem", name="Test Connection").click()
    expect(
        row.get_by_text("Connection test failed. Please check your credentials.")
    ).to_be_visible()
    screenshot(page, "23-test-connection-failed")

    # The password was changed at Avalara: Reconnect/Update Credentials with the new one.
    open_options(page).get_by_role("menuitem", name="Reconnect/Update Credentials").click()
    dialog = fill_connect_dialog(page, "nuvo-demo", "changed-at-avalara")
    expect(dialog.get_by_role("heading", name="Reconnect/Update Credentials")).to_be_visible()
    dialog.get_by_role("button", name="Update credentials").click()
    expect(page.get_by_text("Avalara connected as nuvo-demo.")).to_be_visible()
    open_options(page).get_by_role("menuitem", name="Test Connection").click()
    expect(row.get_by_text("Connection verified successfully")).to_be_visible()

    # Credentials of another company are refused while connected.
    open_options(page).get_by_role("menuitem", name="Reconnect/Update Credentials").click()
    dialog = fill_connect_dialog(page, "2000100002", "A1B2C3D4E5F6A7B8")
    dialog.get_by_role("button", name="Update credentials").click()
    expect(dialog.get_by_text("COMPANY_MISMATCH")).to_be_visible()
    expect(dialog.get_by_text("disconnect the integration and connect again")).to_be_visible()
    dialog.get_by_role("button", name="Cancel").click()
    assert AvalaraConnection.objects.defer("secret").get().company_id == 7100001

    open_options(page).get_by_role("menuitem", name="Disconnect").click()
    expect(page.get_by_role("heading", name="Disconnect Avalara?")).to_be_visible()
    page.locator("dialog#modal").get_by_role("button", name="Disconnect").click()
    expect(page.get_by_text("Avalara disconnected.")).to_be_visible()
    expect(row.get_by_role("button", name="Connect")).to_be_visible()
    expect(row.get_by_text("Disconnected by Admin")).to_be_visible()
    expect(page.get_by_role("table").get_by_text("Disconnected", exact=True)).to_be_visible()
    screenshot(page, "24-integrations-disconnected")
    assert AvalaraConnection.objects.get().secret == ""


def test_license_key_login_without_a_company_in_ping_uses_the_default_company(
    integrations_page, simulator
):
    page = integrations_page
    row = avalara_row(page)

    row.get_by_role("button", name="Connect").click()
    dialog = fill_connect_dialog(page, "2000100002", "A1B2C3D4E5F6A7B8", environment="Production")
    dialog.get_by_role("button", name="Connect").click()

    expect(row.get_by_text("Simulator Default Company (ID 7100002")).to_be_visible()
    expect(row.get_by_text("Production")).to_be_visible()
    connection = AvalaraConnection.objects.defer("secret").get()
    assert connection.company_source == AvalaraConnection.CompanySource.DEFAULT_COMPANY
    assert simulator.state.count("QueryCompanies") == 1


def test_connect_when_avalara_is_unreachable(integrations_page, settings):
    settings.AVALARA_BASE_URL = f"http://127.0.0.1:{_closed_port()}"
    settings.AVALARA_MAX_RETRIES = 0
    page = integrations_page

    avalara_row(page).get_by_role("button", name="Connect").click()
    dialog = fill_connect_dialog(page, "nuvo-demo", "avalara-demo")
    dialog.get_by_role("button", name="Connect").click()

    expect(dialog.get_by_text("UNABLE_TO_CONNECT")).to_be_visible()
    expect(
        dialog.get_by_text("Check network connectivity and try again after a few minutes.")
    ).to_be_visible()
    assert not AvalaraConnection.objects.exists()


def test_company_without_ecm_offers_to_request_setup(integrations_page, simulator, screenshot):
    page = integrations_page
    row = avalara_row(page)

    row.get_by_role("button", name="Connect").click()
    dialog = fill_connect_dialog(page, "nuvo-unprovisioned", "avalara-demo")
    dialog.get_by_role("button", name="Connect").click()
    expect(row.get_by_text("Exemption Certificate Management is not provisioned")).to_be_visible()
    screenshot(page, "25-ecm-not-provisioned")

    row.get_by_role("button", name="Request setup").click()
    expect(page.get_by_text("Exemption Certificate Management setup requested.")).to_be_visible()
    expect(row.get_by_text("setup is in progress")).to_be_visible()

    open_options(page).get_by_role("menuitem", name="Test Connection").click()
    expect(row.get_by_text("Connection verified successfully")).to_be_visible()
    expect(row.get_by_text("not provisioned")).to_have_count(0)
    assert AvalaraConnection.objects.get().ecm_status == "Provisioned"
