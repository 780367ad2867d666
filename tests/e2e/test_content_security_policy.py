"""The main pages, their menus and dialogs work under the strict CSP, and report no violation.

Every violation Chromium reports (the `securitypolicyviolation` event, and its console message)
is collected across navigations; htmx swaps, popovers, dialogs and progress polling all run.
"""

import pytest
from playwright.sync_api import Page, expect

from certificates.models import TaxExemptionCertificate
from creditapps.services.intake import file_certificates
from tests.creditapps.test_services import certificate_upload
from tests.integrations.conftest import simulator as simulator
from tests.integrations.conftest import simulator_server as simulator_server
from tests.pdf_factory import make_pdf

pytestmark = pytest.mark.e2e

# Injected before any page script, and not subject to the page's CSP.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def violations(page: Page) -> list[str]:
    found: list[str] = []
    page.add_init_script(REPORT_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            found.append(message.text)
            if message.type == "error"
            and ("CSP violation" in message.text or "Content Security Policy" in message.text)
            else None
        ),
    )
    return found


@pytest.fixture
def application(make_application):
    application = make_application()
    with file_certificates(
        source=TaxExemptionCertificate.Source.APPLICATION_FORM, actor_name="Maria Gonzales"
    ) as filing:
        filing.add(
            certificate_upload(make_pdf(text="Texas resale certificate"), tax_id="12-3456789"),
            customer=application.customer,
            application=application,
        )
    return application


def test_the_detector_sees_a_violation(live_server, page, violations):
    page.goto(f"{live_server.url}/accounts/login/")

    page.evaluate("document.head.appendChild(document.createElement('style')).textContent = 'a{}'")

    expect(page.get_by_role("heading", name="Log in to Nuvo")).to_be_visible()
    page.wait_for_timeout(200)
    assert any("style-src" in text for text in violations), violations


def test_main_pages_menus_and_dialogs_run_without_a_csp_violation(
    live_server, page, violations, application, analyst_user, admin_user, simulator, log_in, log_out
):
    organization = application.organization

    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", name="Log in to Nuvo")).to_be_visible()
    page.goto(f"{live_server.url}{organization.get_public_form_url()}")
    expect(
        page.get_by_role("heading", name="Apply for credit with Acme Supply Co.")
    ).to_be_visible()

    # An analyst: the list (filtered by htmx), the application, its More menu and dialogs.
    log_in(page, "analyst")
    page.locator("#id_q").fill("Lone Star")
    expect(page.get_by_role("link", name=application.reference)).to_be_visible()
    page.get_by_role("link", name=application.reference).click()
    expect(page.get_by_role("heading", name="Compliance & Tax Documents")).to_be_visible()
    dialog = page.locator("dialog#modal")
    page.get_by_role("link", name="Texas resale certificate", exact=True).click()
    first_page = dialog.get_by_role("img", name="Page 1 of 1 of Texas resale certificate")
    expect(first_page).to_be_visible()
    dialog.get_by_role("button", name="Close").first.click()
    expect(dialog).to_be_hidden()
    page.get_by_role("button", name="More").click()
    page.get_by_role("menuitem", name="Request Info").click()
    expect(dialog.get_by_role("heading", name="Request Info")).to_be_visible()
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    page.get_by_role("button", name="More").click()
    page.get_by_role("menuitem", name="Upload certificate").click()
    expect(dialog.get_by_label("Certificate PDF")).to_be_visible()
    dialog.get_by_role("button", name="Close").click()
    log_out(page)

    # An admin: Settings > Integrations, Connect and Test Connection (htmx swaps), then a send.
    log_in(page, "admin")
    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Services")).to_be_visible()
    row = page.locator("#service-avalara")
    row.get_by_role("button", name="Connect").click()
    dialog.get_by_label("Sandbox").check()
    dialog.get_by_label("Username/Account ID").fill("nuvo-demo")
    dialog.get_by_label("Password/License Key").fill("avalara-demo")
    dialog.get_by_role("button", name="Connect").click()
    expect(page.get_by_text("Avalara connected as nuvo-demo.")).to_be_visible()
    row.get_by_role("button", name="Avalara options").click()
    page.locator("#avalara-menu").get_by_role("menuitem", name="Test Connection").click()
    expect(row.get_by_text("Connection verified successfully")).to_be_visible()
    page.goto(f"{live_server.url}{application.get_absolute_url()}")
    page.get_by_role("button", name="More").click()
    page.get_by_role("menuitem", name="Send to Avalara").click()
    expect(dialog).to_be_visible()
    page.wait_for_timeout(1500)  # the progress fragment polls once a second

    assert violations == [], "\n".join(violations)
