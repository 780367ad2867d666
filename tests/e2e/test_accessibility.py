"""Every main page, as its user, at laptop and phone widths: axe-core finds nothing serious or
critical.

Each page is one test per viewport, so a mark can name the exact page and width that fails.
"""

import json
import re
from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from creditapps import services as creditapps_services
from creditapps.models import CreditApplication
from creditapps.tokens import info_request_token
from integrations.models import AvalaraSend
from integrations.services.presend import SendBlocked
from integrations.services.sending import avalara_send_request
from tests.e2e.accessibility import RESULTS, assert_no_serious_violations
from tests.e2e.navigation import main_navigation
from tests.e2e.test_send_to_avalara import send_from_more_menu
from tests.e2e.test_send_to_avalara import simulator as simulator
from tests.e2e.test_send_to_avalara import simulator_server as simulator_server
from tests.integrations.sending.helpers import add_certificate, connect

pytestmark = pytest.mark.e2e

VIEWPORTS = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def viewports():
    """Run the test at each width."""
    return pytest.mark.parametrize("viewport", list(VIEWPORTS), indirect=True)


@pytest.fixture
def viewport(request, page: Page) -> str:
    page.set_viewport_size(VIEWPORTS[request.param])
    return request.param


@pytest.fixture
def check(viewport, request, page: Page, assert_accessible, screenshot):
    """Check the page as it is now; `label` names the state (a menu open, a dialog)."""

    def run(label: str = "") -> None:
        name = f"axe-{request.node.originalname}{'-' + label if label else ''}-{viewport}"
        page.wait_for_load_state("networkidle")
        screenshot(page, name)
        assert_accessible(page, name)

    return run


@pytest.fixture
def people(analyst_user, approver_user, admin_user):
    return {"analyst": analyst_user, "approver": approver_user, "admin": admin_user}


@pytest.fixture
def certificate(people, application):
    return add_certificate(application.customer, regions=["TX", "OK"], text="Texas resale")


@pytest.fixture
def in_review(certificate, application) -> CreditApplication:
    CreditApplication.objects.filter(pk=application.pk).update(
        status=CreditApplication.Status.IN_REVIEW
    )
    application.refresh_from_db()
    return application


@pytest.fixture
def awaiting_approval(in_review, analyst) -> CreditApplication:
    creditapps_services.application_request_approval(member=analyst, application=in_review)
    in_review.refresh_from_db()
    return in_review


@pytest.fixture
def connected(simulator, admin_member, people):
    return connect(admin_member)


def open_application(page: Page, live_server, application) -> None:
    page.goto(f"{live_server.url}{application.get_absolute_url()}")
    expect(page.get_by_role("heading", name=application.customer.display_name)).to_be_visible()


def open_more_menu(page: Page):
    page.get_by_role("button", name="More").click()
    menu = page.get_by_role("menu", name="More actions")
    expect(menu).to_be_visible()
    return menu


ERRORS = ".error-summary, .form-errors, .has-error, [aria-invalid='true']"


def submit_with_errors(page: Page, form, button: str) -> None:
    """Submit a form the server will refuse, past the browser's own checks (`required`)."""
    form.evaluate("form => { form.noValidate = true; }")
    form.get_by_role("button", name=button).click()
    expect(page.locator(ERRORS).first).to_be_visible()


def modal(page: Page):
    dialog = page.locator("dialog#modal")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading").first).to_be_visible()
    return dialog


# The check itself


def test_the_check_names_each_serious_violation_under_the_strict_csp(live_server, page, db):
    response = page.goto(f"{live_server.url}/accounts/login/")
    policy = response.headers["content-security-policy"]
    assert "script-src" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    page.locator("main").evaluate(
        "main => { const image = document.createElement('img'); image.id = 'unlabelled';"
        " image.src = '/static/img/favicon.svg'; main.append(image); }"
    )

    with pytest.raises(AssertionError) as failure:
        assert_no_serious_violations(page, "axe-self-check-image-without-alt")

    message = str(failure.value)
    assert "axe found 1 serious or critical violation(s)" in message
    assert "- image-alt (critical): Images must have alternative text" in message
    assert "at #unlabelled:" in message


def test_the_check_counts_a_reference_to_a_missing_id(live_server, page, db):
    page.goto(f"{live_server.url}/accounts/login/")
    for label in ("Username", "Password"):
        page.get_by_label(label).evaluate(
            "field => field.setAttribute('aria-describedby', field.id + '_error')"
        )

    with pytest.raises(AssertionError) as failure:
        assert_no_serious_violations(page, "axe-self-check-missing-id")

    message = str(failure.value)
    assert "- aria-valid-attr-value (critical): ARIA attributes must conform" in message
    missing = "ARIA attribute element ID does not exist on the page: aria-describedby="
    assert f'at #id_username: {missing}"id_username_error"' in message
    assert f'at #id_password: {missing}"id_password_error"' in message


def test_the_check_lets_moderate_violations_pass_and_keeps_them_on_file(live_server, page, db):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("heading", level=1).evaluate("heading => heading.remove()")

    assert_no_serious_violations(page, "axe-self-check-no-heading")

    kept = json.loads((RESULTS / "axe-self-check-no-heading.json").read_text())
    assert [(v["id"], v["impact"]) for v in kept["violations"]] == [
        ("page-has-heading-one", "moderate")
    ]


# The applicant's pages, without an account


@viewports()
def test_public_form(live_server, page, organization, check):
    page.goto(f"{live_server.url}{organization.get_public_form_url()}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Apply for credit")
    check()


@viewports()
def test_public_form_after_a_failed_submit(live_server, page, organization, check):
    page.goto(f"{live_server.url}{organization.get_public_form_url()}")
    # The server's messages, not the browser's own checks, are what this page is about.
    submit_with_errors(page, page.locator("main form"), "Submit application")
    check()


@viewports()
def test_public_thank_you_page(live_server, page, organization, check):
    form_key = organization.public_form_key
    done = reverse("creditapps:public-apply-done", kwargs={"form_key": form_key})
    page.goto(f"{live_server.url}{done}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thank you")
    check()


@viewports()
def test_request_info_answer_page(live_server, page, analyst, application, check):
    info_request = creditapps_services.application_request_info(
        member=analyst, application=application, items=["certificates"], message="Add OK, please."
    )
    token = info_request_token(info_request)
    page.goto(f"{live_server.url}{reverse('creditapps:info-request-respond', args=[token])}")
    expect(page.get_by_text("Add OK, please.")).to_be_visible()
    check()
    submit_with_errors(page, page.locator("main form"), f"Send to {application.organization.name}")
    check("refused")


@viewports()
def test_link_error_page(live_server, page, db, check):
    page.goto(f"{live_server.url}/respond/not-a-valid-link/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("no longer valid")
    check()


@viewports()
def test_login_page(live_server, page, db, check):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", name="Log in to Nuvo")).to_be_visible()
    check()
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("not-the-password")
    submit_with_errors(page, page.locator("main form"), "Log in")
    check("refused")


@viewports()
def test_not_found_page(live_server, page, db, check):
    page.goto(f"{live_server.url}/no-such-page/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check()


# The credit team's pages


@viewports()
def test_credit_applications_list(live_server, page, certificate, log_in, check):
    log_in(page, "analyst")
    expect(page.get_by_role("heading", name="Credit Applications")).to_be_visible()
    check()


@viewports()
def test_application_page_and_its_more_menu(
    live_server, page, certificate, application, log_in, check
):
    log_in(page, "analyst")
    open_application(page, live_server, application)
    check()
    open_more_menu(page)
    check("more-menu")


@viewports()
def test_request_info_dialog(live_server, page, certificate, application, log_in, check):
    log_in(page, "analyst")
    open_application(page, live_server, application)
    open_more_menu(page).get_by_role("menuitem", name="Request Info").click()
    dialog = modal(page)
    expect(dialog.get_by_role("heading", name="Request Info")).to_be_visible()
    check()
    for box in dialog.get_by_role("checkbox").all():
        box.uncheck()
    submit_with_errors(page, dialog.locator("form"), "Send request")
    check("refused")


@viewports()
def test_upload_certificate_dialog(live_server, page, certificate, application, log_in, check):
    log_in(page, "analyst")
    open_application(page, live_server, application)
    open_more_menu(page).get_by_role("menuitem", name="Upload certificate").click()
    expect(modal(page).get_by_label("Certificate PDF").first).to_be_visible()
    check()


@viewports()
def test_upload_certificate_dialog_after_a_refused_upload(
    live_server, page, certificate, application, log_in, check
):
    log_in(page, "analyst")
    open_application(page, live_server, application)
    open_more_menu(page).get_by_role("menuitem", name="Upload certificate").click()
    submit_with_errors(page, modal(page).locator("form"), "Upload")
    check()


@viewports()
def test_send_for_approval_dialog(live_server, page, in_review, log_in, check):
    log_in(page, "analyst")
    open_application(page, live_server, in_review)
    page.get_by_role("button", name="Send for approval").click()
    expect(modal(page).get_by_label("Note for the approver")).to_be_visible()
    check()


@viewports()
def test_approve_dialog(live_server, page, awaiting_approval, log_in, check):
    log_in(page, "approver")
    open_application(page, live_server, awaiting_approval)
    page.get_by_role("button", name="Approve").click()
    expect(modal(page).get_by_label("Approved credit limit (USD)")).to_be_visible()
    check()


@viewports()
def test_decline_dialog(live_server, page, awaiting_approval, log_in, check):
    log_in(page, "approver")
    open_application(page, live_server, awaiting_approval)
    page.get_by_role("button", name="Decline").click()
    expect(modal(page).get_by_role("button", name="Decline")).to_be_visible()
    check()


@viewports()
def test_certificate_preview_dialog(live_server, page, certificate, application, log_in, check):
    log_in(page, "analyst")
    open_application(page, live_server, application)
    page.get_by_role("link", name=certificate.display_name, exact=True).click()
    image = modal(page).get_by_role("img", name=f"Page 1 of 1 of {certificate.display_name}")
    expect(image).to_be_visible()
    check()


@viewports()
def test_certificate_edit_page(live_server, page, certificate, log_in, check):
    log_in(page, "analyst")
    page.goto(f"{live_server.url}{reverse('certificates:edit', args=[certificate.pk])}")
    expect(page.get_by_role("heading", name="Edit certificate details")).to_be_visible()
    check()
    form = page.locator("main form")
    form.get_by_label(re.compile("Effective")).fill("")
    submit_with_errors(page, form, "Save")
    check("refused")


@viewports()
def test_customer_list(live_server, page, certificate, log_in, check):
    log_in(page, "analyst")
    main_navigation(page).get_by_role("link", name="Customers").click()
    expect(page.get_by_role("heading", name="Customers", exact=True)).to_be_visible()
    check()


@viewports()
def test_customer_page(live_server, page, certificate, customer, log_in, check):
    log_in(page, "analyst")
    page.goto(f"{live_server.url}{customer.get_absolute_url()}")
    expect(page.get_by_role("heading", name=customer.display_name)).to_be_visible()
    check()


@viewports()
def test_customer_edit_page(live_server, page, certificate, customer, log_in, check):
    log_in(page, "analyst")
    page.goto(f"{live_server.url}{reverse('creditapps:customer-edit', args=[customer.pk])}")
    form = page.locator("main form")
    expect(form.get_by_label(re.compile("Legal name"))).to_be_visible()
    check()


@viewports()
def test_customer_edit_page_after_a_refused_save(
    live_server, page, certificate, customer, log_in, check
):
    log_in(page, "analyst")
    page.goto(f"{live_server.url}{reverse('creditapps:customer-edit', args=[customer.pk])}")
    form = page.locator("main form")
    form.get_by_label(re.compile("Legal name")).fill("")
    submit_with_errors(page, form, "Save")
    check()


@viewports()
def test_new_customer_page(live_server, page, people, log_in, check):
    log_in(page, "analyst")
    page.goto(f"{live_server.url}{reverse('creditapps:customer-create')}")
    expect(page.locator("main form")).to_be_visible()
    check()


@viewports()
def test_reports(live_server, page, certificate, log_in, check):
    log_in(page, "analyst")
    page.goto(f"{live_server.url}{reverse('creditapps:reports')}")
    expect(page.get_by_role("heading", name="Reports", exact=True)).to_be_visible()
    check()


@viewports()
def test_failed_api_calls(
    live_server, page, connected, analyst, make_customer, make_application, log_in, check
):
    cityless = make_customer(legal_name="Cityless Supply", city="", email="c@cityless.example")
    make_application(customer=cityless)
    add_certificate(cityless, regions=["TX"])
    with pytest.raises(SendBlocked):
        avalara_send_request(member=analyst, customer=cityless)
    log_in(page, "analyst")
    page.goto(f"{live_server.url}{reverse('avalara:failed-api-calls')}")
    expect(page.get_by_role("link", name="Cityless Supply", exact=True)).to_be_visible()
    check()


# Settings


@viewports()
def test_settings_team(live_server, page, people, log_in, check):
    log_in(page, "admin")
    page.goto(f"{live_server.url}{reverse('team')}")
    expect(page.get_by_role("heading", name="Team", exact=True)).to_be_visible()
    check()


@viewports()
def test_settings_certificates(live_server, page, people, log_in, check):
    log_in(page, "admin")
    page.goto(f"{live_server.url}{reverse('creditapps:certificate-settings')}")
    expect(page.locator("main form")).to_be_visible()
    check()


def open_integrations(page: Page, live_server):
    page.goto(f"{live_server.url}{reverse('integrations:integrations')}")
    row = page.locator("#service-avalara")
    expect(row).to_be_visible()
    return row


@viewports()
def test_integrations_not_connected_and_the_connect_dialog(
    live_server, page, people, simulator, log_in, check
):
    log_in(page, "admin")
    row = open_integrations(page, live_server)
    expect(row.get_by_text("Not connected")).to_be_visible()
    check()
    row.get_by_role("button", name="Connect").click()
    dialog = modal(page)
    expect(dialog.get_by_label("Username/Account ID")).to_be_visible()
    check("connect-dialog")
    dialog.get_by_label("Sandbox").check()
    dialog.get_by_label("Username/Account ID").fill("nuvo-demo")
    dialog.get_by_label("Password/License Key").fill("wrong-password")
    dialog.get_by_role("button", name="Connect").click()
    expect(dialog.get_by_text("INVALID_CREDENTIALS")).to_be_visible()
    check("connect-dialog-refused")


@viewports()
def test_integrations_connected_with_the_options_menu_open(
    live_server, page, connected, log_in, check
):
    log_in(page, "admin")
    row = open_integrations(page, live_server)
    expect(row.get_by_text("Connected", exact=True)).to_be_visible()
    check()
    row.get_by_role("button", name="Avalara options").click()
    expect(page.locator("#avalara-menu")).to_be_visible()
    check("options-menu")


@viewports()
def test_exemption_matrix(live_server, page, connected, log_in, check):
    log_in(page, "admin")
    page.goto(f"{live_server.url}{reverse('integrations:avalara-matrix')}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check()


@viewports()
def test_exemption_reasons(live_server, page, connected, log_in, check):
    log_in(page, "admin")
    page.goto(f"{live_server.url}{reverse('integrations:avalara-reasons')}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check()


# Send to Avalara


@viewports()
def test_approve_dialog_with_the_send_to_avalara_preview(
    live_server, page, connected, awaiting_approval, log_in, check
):
    customer = awaiting_approval.customer
    add_certificate(customer, regions=["KS"], tax_id="", text="Kansas without a tax ID")
    add_certificate(customer, regions=["NE"], effective=date(2027, 6, 1), text="Nebraska")
    log_in(page, "approver")
    open_application(page, live_server, awaiting_approval)
    page.get_by_role("button", name="Approve").click()
    dialog = modal(page)
    expect(dialog.get_by_role("switch", name="Send Customer to Avalara")).to_be_visible()
    expect(dialog.get_by_role("note")).to_be_visible()
    check()


@viewports()
def test_send_to_avalara_progress_dialog_and_page(
    live_server, page, connected, certificate, application, log_in, check
):
    log_in(page, "analyst")
    open_application(page, live_server, application)
    dialog = send_from_more_menu(page)
    expect(dialog.get_by_role("status")).to_have_text("Sent to Avalara.")
    check()
    send = AvalaraSend.objects.get()
    page.goto(f"{live_server.url}{reverse('avalara:send-progress', args=[send.pk])}")
    expect(page.get_by_role("status")).to_have_text("Sent to Avalara.")
    check("page")


@viewports()
def test_send_to_avalara_refused_without_certificates(
    live_server, page, connected, application, log_in, check
):
    log_in(page, "analyst")
    open_application(page, live_server, application)
    dialog = send_from_more_menu(page)
    expect(dialog.get_by_text("NO_CERTIFICATES_FOUND")).to_be_visible()
    check()


@viewports()
def test_bulk_send_summary(live_server, page, connected, certificate, application, log_in, check):
    log_in(page, "analyst")
    page.get_by_label(re.compile(f"Choose {application.reference}")).check()
    page.get_by_role("button", name="Send to Avalara").click()
    expect(page.get_by_role("heading", name="Bulk send to Avalara")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Sent: 1.")
    check()
