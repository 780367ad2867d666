from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.accessibility import assert_no_serious_violations

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
PASSWORD = "correct-horse-battery"


@pytest.fixture
def screenshot(request):
    """Save a full-page screenshot under test-results/screenshots/ (kept by CI)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Page, name: str) -> None:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def log_in(live_server):
    def log_in_as(page: Page, username: str) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        # On a phone the navigation waits behind the Menu button.
        signed_in = page.get_by_role("navigation", name="Main").or_(
            page.get_by_role("button", name="Menu")
        )
        expect(signed_in.first).to_be_visible()

    return log_in_as


@pytest.fixture
def log_out():
    def log_out_of(page: Page) -> None:
        page.get_by_role("button", name="Log out").click()
        expect(page.get_by_role("heading", name="Log in to Nuvo")).to_be_visible()

    return log_out_of


@pytest.fixture
def assert_accessible():
    """axe-core on the page as it is now: fails on any serious or critical violation."""
    return assert_no_serious_violations
