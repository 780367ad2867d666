"""More > Send to Avalara, the approval toggle and bulk send, in Chromium against the simulator."""

import pytest
from playwright.sync_api import Page, expect

from creditapps import services as creditapps_services
from creditapps.models import CreditApplication
from integrations import services
from integrations.models import AvalaraCertificate, AvalaraCustomer
from integrations.simulator import run_in_thread
from tests.integrations.sending.helpers import add_certificate

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
def connected(simulator, admin_member, analyst_user, approver_user):
    return services.avalara_connect(
        member=admin_member, environment="sandbox", username="nuvo-demo", password="avalara-demo"
    )


def open_application(page: Page, live_server, application) -> None:
    page.goto(f"{live_server.url}{application.get_absolute_url()}")
    expect(page.get_by_role("heading", name=application.customer.display_name)).to_be_visible()


def send_from_more_menu(page: Page):
    page.get_by_role("button", name="More").click()
    page.get_by_role("menuitem", name="Send to Avalara").click()
    dialog = page.locator("dialog#modal")
    expect(dialog).to_be_visible()
    return dialog


def test_send_with_certificates_then_resend_with_one_new_certificate(
    live_server, page, log_in, application, connected, simulator, screenshot
):
    add_certificate(application.customer, regions=["KS", "NE"], text="Kansas Nebraska")
    log_in(page, "analyst")
    open_application(page, live_server, application)

    dialog = send_from_more_menu(page)
    expect(dialog.get_by_role("status")).to_have_text("Sent to Avalara.")
    expect(dialog.get_by_role("cell", name="Kansas", exact=True)).to_be_visible()
    expect(dialog.get_by_role("cell", name="Nebraska", exact=True)).to_be_visible()
    screenshot(page, "40-send-to-avalara-progress")
    code = AvalaraCustomer.objects.get().customer_code
    dialog.get_by_role("button", name="Close").first.click()
    page.reload()
    sidebar = page.get_by_role("complementary", name="Customer details")
    expect(sidebar.get_by_text(code, exact=True)).to_be_visible()

    add_certificate(application.customer, regions=["TX"], text="Texas")
    dialog = send_from_more_menu(page)
    expect(dialog.get_by_role("status")).to_have_text("Sent to Avalara.")
    expect(dialog.get_by_text("(already in Avalara)")).to_have_count(2)
    screenshot(page, "41-send-to-avalara-resend")
    assert len(simulator.state.companies[7100001].certificates) == 3
    assert len(simulator.state.companies[7100001].customers) == 1


def test_send_without_certificates_offers_request_info(
    live_server, page, log_in, application, connected, screenshot
):
    log_in(page, "analyst")
    open_application(page, live_server, application)

    dialog = send_from_more_menu(page)
    expect(dialog.get_by_text("NO_CERTIFICATES_FOUND")).to_be_visible()
    screenshot(page, "42-send-to-avalara-no-certificates")
    dialog.get_by_role("button", name="Request Info").click()
    expect(dialog.get_by_role("heading", name="Request Info")).to_be_visible()
    expect(dialog.get_by_label("Tax-exemption certificates")).to_be_checked()


def test_the_approval_toggle_sends_the_customer(
    live_server, page, log_in, analyst, application, connected, simulator, screenshot
):
    add_certificate(application.customer, regions=["TX"])
    CreditApplication.objects.filter(pk=application.pk).update(
        status=CreditApplication.Status.IN_REVIEW
    )
    application.refresh_from_db()
    creditapps_services.application_request_approval(member=analyst, application=application)
    log_in(page, "approver")
    open_application(page, live_server, application)

    page.get_by_role("button", name="Approve").click()
    dialog = page.locator("dialog#modal")
    toggle = dialog.get_by_role("switch", name="Send Customer to Avalara")
    expect(toggle).to_be_checked()
    screenshot(page, "43-approve-with-send-to-avalara")
    dialog.get_by_role("button", name="Approve").click()

    expect(page.get_by_text("Send Customer to Avalara: on.")).to_be_visible()
    expect(page.get_by_text(AvalaraCustomer.objects.get().customer_code).first).to_be_visible()
    assert AvalaraCertificate.objects.get().state == AvalaraCertificate.State.SENT


def test_bulk_send_from_the_applications_list(
    live_server, page, log_in, make_customer, make_application, connected, screenshot
):
    first = make_application(customer=make_customer(legal_name="Alpha Co.", email="a@a.example"))
    second = make_application(customer=make_customer(legal_name="Beta Co.", email="b@b.example"))
    add_certificate(first.customer)
    add_certificate(second.customer, regions=["OK"])
    log_in(page, "analyst")

    page.get_by_label(f"Choose {first.reference} (Alpha Co.)").check()
    page.get_by_label(f"Choose {second.reference} (Beta Co.)").check()
    page.get_by_role("button", name="Send to Avalara").click()

    expect(page.get_by_role("heading", name="Bulk send to Avalara")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Sent: 2.")
    screenshot(page, "44-bulk-send-to-avalara")


def test_badges_coverage_preview_and_download(
    live_server, page, log_in, analyst, application, connected, simulator, screenshot, tmp_path
):
    from integrations.services.sending import avalara_send_request

    customer = application.customer
    customer.ship_to_states = ["TX", "OK"]
    customer.save()
    certificate = add_certificate(customer, regions=["TX"], text="Texas resale")
    avalara_send_request(member=analyst, customer=customer)
    log_in(page, "analyst")
    open_application(page, live_server, application)

    badge = page.locator(".badge.badge-valid", has_text="Valid").first
    expect(badge).to_be_visible()
    assert badge.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(220, 250, 230)"
    badge.focus()
    tooltip = page.get_by_role("tooltip").first
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text("Pending review at Avalara.")
    expect(tooltip).to_contain_text("Exemption reason: RESALE")
    expect(tooltip).to_contain_text("Expiration date: Never")
    expect(page.get_by_text("Oklahoma: no valid certificate")).to_be_visible()
    screenshot(page, "45-certificate-badges-and-coverage")

    page.get_by_role("link", name=certificate.display_name, exact=True).click()
    image = page.locator("dialog#modal").get_by_role(
        "img", name=f"Page 1 of 1 of {certificate.display_name}"
    )
    expect(image).to_be_visible()
    assert image.evaluate("i => i.complete && i.naturalWidth") == 900
    with page.expect_download() as download_info:
        page.locator("dialog#modal").get_by_role("link", name="Download").click()
    saved = tmp_path / "certificate.pdf"
    download_info.value.save_as(saved)
    assert saved.read_bytes() == certificate.file.open("rb").read()
