"""A customer's missing city: fixed from the error's link, sent again, gone from the report."""

import pytest
from playwright.sync_api import Page, expect

from integrations import services
from integrations.models import AvalaraSend
from tests.e2e.test_send_to_avalara import send_from_more_menu
from tests.e2e.test_send_to_avalara import simulator as simulator
from tests.e2e.test_send_to_avalara import simulator_server as simulator_server
from tests.integrations.sending.helpers import add_certificate

pytestmark = pytest.mark.e2e


def test_fix_a_missing_city_from_the_errors_link_send_again_and_the_row_leaves_the_report(
    live_server,
    page: Page,
    log_in,
    admin_member,
    analyst_user,
    make_customer,
    make_application,
    simulator,
    screenshot,
):
    services.avalara_connect(
        member=admin_member, environment="sandbox", username="nuvo-demo", password="avalara-demo"
    )
    customer = make_customer(legal_name="Cityless Supply", city="", email="c@cityless.example")
    application = make_application(customer=customer)
    add_certificate(customer, regions=["TX"])
    log_in(page, "analyst")
    page.goto(f"{live_server.url}{application.get_absolute_url()}")

    dialog = send_from_more_menu(page)
    expect(dialog.get_by_text("There is a problem")).to_be_visible()
    expect(dialog.get_by_text("doesn't contain a city.")).to_be_visible()
    screenshot(page, "50-send-blocked-missing-city")
    page.goto(f"{live_server.url}/reports/failed-api-calls/")
    expect(page.get_by_role("cell", name="Cityless Supply", exact=True)).to_be_visible()

    page.locator('a[href*="focus=city"]').click()
    city = page.get_by_label("City")
    expect(city).to_be_focused()
    city.fill("Austin")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Customer details saved.")).to_be_visible()

    page.goto(f"{live_server.url}{application.get_absolute_url()}")
    dialog = send_from_more_menu(page)
    expect(dialog.get_by_role("status")).to_have_text("Sent to Avalara.")
    assert AvalaraSend.objects.get().status == AvalaraSend.Status.DONE
    page.goto(f"{live_server.url}/reports/failed-api-calls/")
    expect(
        page.get_by_text("No failed Avalara calls: everything sent went through.")
    ).to_be_visible()
    screenshot(page, "51-failed-api-calls-empty")
