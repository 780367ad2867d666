"""In Chromium, on a laptop and on a phone: an approver finds their queue in the navigation,
opens the Approve dialog, reads the analyst's note and the coverage, and is warned as they type
a limit above the requested one. The Request Info card's confirmation focuses Cancel."""

import re
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from creditapps import services
from creditapps.models import CreditApplication, InfoRequest
from creditapps.tokens import info_request_from_token, info_request_url
from integrations import services as integrations_services
from integrations.simulator import run_in_thread
from tests.e2e.navigation import main_navigation
from tests.integrations.sending.helpers import add_certificate

pytestmark = pytest.mark.e2e

LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SIZES = pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["laptop", "phone"])
Status = CreditApplication.Status


@pytest.fixture(scope="module")
def simulator_server():
    with run_in_thread(provisioning_delay=0) as handle:
        yield handle


@pytest.fixture
def connected(simulator_server, settings, admin_member, approver_user):
    simulator_server.state.reset()
    settings.AVALARA_BASE_URL = simulator_server.base_url
    return integrations_services.avalara_connect(
        member=admin_member, environment="sandbox", username="nuvo-demo", password="avalara-demo"
    )


@pytest.fixture
def sent_for_approval(analyst, make_application, customer):
    customer.ship_to_states = ["TX", "OK"]
    customer.save()
    add_certificate(customer, regions=["TX"], text="Texas resale")
    application = make_application(
        status=Status.IN_REVIEW, requested_credit_limit=Decimal("25000.00")
    )
    services.application_request_approval(
        member=analyst, application=application, note="Two strong trade references."
    )
    return application


def serious_violations(page: Page, context: str | None = None) -> list[str]:
    """axe-core's serious and critical findings on the page (or the part `context` selects)."""
    results = Axe().run(page, context=context)
    return [
        f"{violation['id']}: {[node['target'] for node in violation['nodes']]}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


@SIZES
def test_an_approver_works_from_needs_my_approval(
    live_server, page, log_in, sent_for_approval, connected, screenshot, size
):
    page.set_viewport_size(size)
    log_in(page, "approver")

    queue = main_navigation(page).get_by_role("link", name="Needs my approval (1)")
    expect(queue).to_be_visible()
    queue.click()
    expect(page).to_have_url(re.compile(r"view=needs-my-approval"))
    saved_views = page.get_by_role("navigation", name="Saved views")
    expect(saved_views.get_by_role("link", name="Needs my approval (1)")).to_have_attribute(
        "aria-current", "page"
    )
    assert serious_violations(page, ".saved-views") == []
    page.get_by_role("link", name=sent_for_approval.reference).click()
    page.get_by_role("button", name="Approve").click()

    dialog = page.locator("dialog#modal")
    expect(dialog.get_by_role("heading", name="Approve application")).to_be_visible()
    expect(dialog.locator(".analyst-note")).to_have_text("Two strong trade references.")
    expect(dialog.get_by_text(re.compile(r"Sent for approval by Analyst on "))).to_be_visible()
    expect(dialog.locator(".certificate-summary")).to_have_text(
        "1 certificate on file, covering Texas."
    )
    expect(dialog.get_by_role("heading", name="Exposure coverage")).to_be_visible()
    expect(dialog.get_by_text("Oklahoma: no valid certificate")).to_be_visible()

    warning = dialog.locator("[data-limit-warning]")
    expect(warning).to_have_attribute("aria-live", "polite")
    expect(warning).to_have_text("")
    limit = dialog.get_by_label("Approved credit limit (USD)")
    limit.fill("30000")
    expect(warning).to_have_text("This is above the requested $25,000.00; give a reason below.")
    screenshot(page, f"approver-queue-warning-{size['width']}")
    assert serious_violations(page, "#modal") == []
    limit.fill("20000")
    expect(warning).to_have_text("")

    # The page's own reflow is the staff layout's; the dialog itself fits the screen.
    box = dialog.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= size["width"]
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()


@pytest.fixture
def waiting(analyst, make_application, django_capture_on_commit_callbacks):
    application = make_application(status=Status.IN_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_request_info(
            member=analyst, application=application, items=[InfoRequest.Item.OTHER]
        )
    mail.outbox.clear()
    return application


@SIZES
def test_resuming_without_an_answer_asks_first_with_cancel_focused(
    live_server, page, log_in, waiting, screenshot, size
):
    page.set_viewport_size(size)
    log_in(page, "analyst")
    page.goto(f"{live_server.url}{waiting.get_absolute_url()}")
    card = page.locator(".waiting-card")
    expect(card).to_contain_text(re.compile(r"We emailed maria@lonestar\.example at "))
    expect(card.get_by_role("button", name="Copy link")).to_be_visible()
    expect(card.get_by_role("button", name="Resend")).to_be_visible()
    assert serious_violations(page, ".waiting-card") == []

    card.get_by_role("link", name="Resume review without an answer").click()
    dialog = page.locator("dialog#modal")
    expect(dialog.get_by_text("The link we sent to maria@lonestar.example will stop working."))
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    assert serious_violations(page, "#modal") == []
    screenshot(page, f"resume-review-confirm-{size['width']}")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    waiting.refresh_from_db()
    assert waiting.status == Status.INFO_REQUESTED

    card.get_by_role("link", name="Resume review without an answer").click()
    dialog.get_by_role("button", name="Resume review").click()
    expect(page.get_by_text(f"Review resumed on {waiting.reference}.")).to_be_visible()
    waiting.refresh_from_db()
    assert waiting.status == Status.IN_REVIEW
    assert [email.subject for email in mail.outbox] == [
        "Acme Supply Co.: no need to answer our request for information"
    ]


def test_copy_link_copies_the_customers_link(live_server, page, context, log_in, waiting):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.set_viewport_size(LAPTOP)
    log_in(page, "analyst")
    page.goto(f"{live_server.url}{waiting.get_absolute_url()}")

    page.get_by_role("button", name="Copy link").click()

    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == info_request_url(waiting.info_requests.get())
    assert info_request_from_token(copied.rstrip("/").rsplit("/", 1)[1]).application == waiting


def test_the_sending_line_updates_itself_once_the_email_has_gone(
    live_server, page, log_in, waiting
):
    info_request = waiting.info_requests.get()
    InfoRequest.objects.filter(pk=info_request.pk).update(email_sent_at=None)
    page.set_viewport_size(LAPTOP)
    log_in(page, "analyst")
    page.goto(f"{live_server.url}{waiting.get_absolute_url()}")
    line = page.locator(".email-state")
    expect(line).to_have_text("Sending the email to maria@lonestar.example…")

    InfoRequest.objects.filter(pk=info_request.pk).update(email_sent_at=timezone.now())

    expect(line).to_contain_text("We emailed maria@lonestar.example at ", timeout=8000)
    expect(line).not_to_have_attribute("hx-trigger", re.compile("every"))
    expect(page.locator(".waiting-card [aria-live=polite] .email-state")).to_have_count(1)
