"""In a browser: a double click sends a form once, and the approval dialog's checks."""

import time
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from creditapps import public_views, services
from creditapps.models import CreditApplication, Customer

pytestmark = pytest.mark.e2e


def fill_public_form(page: Page) -> None:
    for field, value in {
        "customer-legal_name": "Cascade Hardware Co.",
        "customer-contact_name": "Ben Okafor",
        "customer-email": "ben@cascade.example",
        "customer-address_line1": "88 Pike St",
        "customer-city": "Seattle",
        "customer-postal_code": "98101",
        "terms-requested_credit_limit": "5000",
    }.items():
        page.fill(f"#id_{field}", value)
    page.select_option("#id_customer-region", "WA")
    page.select_option("#id_terms-requested_terms", "net_30")


@pytest.fixture
def slow_submission(monkeypatch):
    """The live server (a thread of this process) takes a second to file the application."""
    real = services.public_application_submit

    def slow(**kwargs):
        time.sleep(1)
        return real(**kwargs)

    monkeypatch.setattr(public_views.services, "public_application_submit", slow)


def test_a_double_click_on_the_public_form_sends_it_once(
    live_server, page, organization, slow_submission
):
    posts = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))
    page.goto(f"{live_server.url}{organization.get_public_form_url()}")
    fill_public_form(page)
    button = page.get_by_role("button", name="Submit application")

    # The page is gone by the time an assertion could look, so it notes its own states.
    page.evaluate(
        """() => {
            const button = document.querySelector("form.stack [type=submit]");
            new MutationObserver(() => sessionStorage.setItem("seen", JSON.stringify(
                [button.textContent, button.disabled, button.form.getAttribute("aria-busy")]
            ))).observe(button, {attributes: true, childList: true, subtree: true});
        }"""
    )

    button.dblclick()

    expect(
        page.get_by_role("heading", name="Thank you, your application was received")
    ).to_be_visible()
    assert len(posts) == 1
    assert page.evaluate('JSON.parse(sessionStorage.getItem("seen"))') == ["Sending…", True, "true"]
    assert Customer.objects.count() == 1
    assert CreditApplication.objects.count() == 1

    page.go_back()
    expect(page.get_by_role("button", name="Submit application")).to_be_enabled()


def test_the_approve_dialog_asks_why_the_limit_is_above_the_request(
    live_server, page, log_in, analyst, approver_user, make_application, screenshot
):
    application = make_application(
        status=CreditApplication.Status.IN_REVIEW, requested_credit_limit=Decimal("5000")
    )
    services.application_request_approval(member=analyst, application=application)
    log_in(page, "approver")
    page.goto(f"{live_server.url}{application.get_absolute_url()}")
    page.get_by_role("button", name="Approve").click()
    dialog = page.locator("dialog#modal")
    dialog.get_by_label("Approved credit limit (USD)").fill("10000000")

    dialog.get_by_role("button", name="Approve").click()

    expect(dialog.get_by_text("There is a problem")).to_be_visible()
    reason = dialog.get_by_label("Reason for approving more than requested")
    expect(reason).to_be_focused()
    screenshot(page, "61-approve-needs-a-reason")
    reason.fill("A parent-company guarantee covers it.")
    dialog.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("heading", name="Approved")).to_be_visible()
    expect(
        page.get_by_text("Above the requested $5,000.00: A parent-company guarantee covers it.")
    ).to_be_visible()


def test_who_sent_it_for_approval_sees_approve_disabled(
    live_server, page, log_in, make_user, make_application, screenshot
):
    from nuvo.roles import Role, member_for

    sam = member_for(make_user("sam", Role.CREDIT_ANALYST, Role.APPROVER))
    application = make_application(status=CreditApplication.Status.IN_REVIEW)
    services.application_request_approval(member=sam, application=application)
    log_in(page, "sam")

    page.goto(f"{live_server.url}{application.get_absolute_url()}")

    approve = page.get_by_role("button", name="Approve")
    expect(approve).to_have_attribute("aria-disabled", "true")
    expect(approve).to_have_accessible_description(
        "You sent this application for approval, so another approver must approve it. "
        "(Separation of duties, set by your admins under Settings \u203a Team.)"
    )
    screenshot(page, "62-approve-separation-of-duties")
    page.goto(f"{live_server.url}/settings/team/")
    expect(page.get_by_text("Separation of duties is on")).to_be_visible()
