"""Settings > Integrations in words for people: Connect's choices and resolutions, the activity
log, Test Connection's one announcement, and Disconnect's safe default."""

import re

import pytest
from django.urls import reverse

from integrations import services
from integrations.avalara import ErrorCode, error_for_code
from integrations.models import AvalaraConnection, IntegrationEvent
from tests.integrations.test_connection import (
    DEMO_PASSWORD,
    DEMO_USER,
    LICENSE_ACCOUNT,
    LICENSE_KEY,
    UNPROVISIONED_USER,
    connect,
)

Action = IntegrationEvent.Action
GUIDE_RESOLUTION = "Resolution: Re-enter your credentials using Reconnect/Update Credentials."
HTMX = {"HTTP_HX_REQUEST": "true"}


def detail(organization, action) -> str:
    return IntegrationEvent.objects.filter(organization=organization, action=action).get().detail


def connect_dialog(client) -> str:
    return client.get(reverse("integrations:avalara-connect"), **HTMX).content.decode()


def test_connect_preselects_sandbox_and_explains_each_environment(admin_client_member):
    body = connect_dialog(admin_client_member)

    sandbox = re.search(r'<input type="radio"[^>]*value="sandbox"[^>]*>', body).group(0)
    production = re.search(r'<input type="radio"[^>]*value="production"[^>]*>', body).group(0)
    assert " checked" in sandbox
    assert " checked" not in production
    assert 'aria-describedby="id_environment_0_hint"' in sandbox
    assert (
        '<small class="help" id="id_environment_0_hint">Avalara&#x27;s test environment: try the '
        "integration without touching your live customers and certificates.</small>" in body
    )
    assert (
        '<small class="help" id="id_environment_1_hint">Your live Avalara account: customers and '
        "certificates sent here are real.</small>" in body
    )
    # A group of radios is a fieldset with a legend, not a label pointing at a <div>.
    assert "<legend>Environment" in body
    assert body.index(">Sandbox</label>") < body.index(">Production</label>")


def test_reconnect_preselects_the_connected_environment(
    admin_client_member, admin_member, simulator
):
    connect(admin_member, LICENSE_ACCOUNT, LICENSE_KEY, environment="production")

    body = connect_dialog(admin_client_member)

    production = re.search(r'<input type="radio"[^>]*value="production"[^>]*>', body).group(0)
    assert " checked" in production


def test_a_wrong_password_while_reconnecting_keeps_the_guides_resolution(
    admin_client_member, admin_member, simulator
):
    connect(admin_member)

    response = admin_client_member.post(
        reverse("integrations:avalara-connect"),
        {"environment": "sandbox", "username": DEMO_USER, "password": "nope"},
        **HTMX,
    )

    body = response.content.decode()
    assert "<strong>INVALID_CREDENTIALS</strong>: Your username or password is incorrect." in body
    assert GUIDE_RESOLUTION in body
    assert body.count('role="alert"') == 1


def test_the_first_connects_resolution_replaces_only_the_reconnect_pointer():
    invalid = error_for_code(ErrorCode.INVALID_CREDENTIALS)
    unreachable = error_for_code(ErrorCode.UNABLE_TO_CONNECT)

    assert services.connect_resolution(invalid, reconnecting=True) == (
        "Re-enter your credentials using Reconnect/Update Credentials."
    )
    assert "Reconnect" not in services.connect_resolution(invalid, reconnecting=False)
    assert services.connect_resolution(unreachable, reconnecting=False) == (
        "Check network connectivity and try again after a few minutes."
    )


def test_a_blank_connect_form_has_one_alert_and_describes_each_field(admin_client_member):
    response = admin_client_member.post(
        reverse("integrations:avalara-connect"), {"environment": "sandbox"}, **HTMX
    )

    body = response.content.decode()
    assert body.count('role="alert"') == 1
    assert "There is a problem" in body
    username = re.search(r'<input type="text" name="username"[^>]*>', body).group(0)
    assert 'aria-invalid="true"' in username
    assert 'aria-describedby="id_username_error"' in username
    assert (
        '<small class="error" id="id_username_error"><span class="visually-hidden">Error: </span>'
        "Enter the Avalara username or account ID</small>"
    ) in body


def test_the_log_says_where_and_which_company_in_words(admin_member, simulator):
    connect(admin_member)
    connect(admin_member)

    organization = admin_member.organization
    assert detail(organization, Action.CONNECTED) == (
        "Connected to Avalara Sandbox as nuvo-demo: company Acme Supply Co. (Simulator) "
        "(ID 7100001, ACMESUPPLY), the company these credentials sign in to. "
        "Exemption Certificate Management is set up."
    )
    assert detail(organization, Action.CREDENTIALS_UPDATED).startswith(
        "Updated the credentials for Avalara Sandbox, now nuvo-demo: company Acme Supply Co."
    )


def test_the_log_names_the_default_company_when_ping_has_none(admin_member, simulator):
    connect(admin_member, LICENSE_ACCOUNT, LICENSE_KEY, environment="production")

    text = detail(admin_member.organization, Action.CONNECTED)
    assert text.startswith(f"Connected to Avalara Production as {LICENSE_ACCOUNT}: company ")
    assert ", the account's default company." in text
    for internal in ("Ping", "authenticatedCompanyId", "Companies API", "ECM "):
        assert internal not in text


def test_a_refused_connect_is_logged_in_words_without_the_password(admin_member, simulator):
    with pytest.raises(Exception, match="INVALID_CREDENTIALS"):
        connect(admin_member, password="wrong-password")

    assert detail(admin_member.organization, Action.CONNECT_FAILED) == (
        "Could not connect nuvo-demo to Avalara Sandbox: Your username or password is incorrect. "
        "(INVALID_CREDENTIALS)"
    )


def test_a_failed_test_and_a_setup_request_are_logged_in_words(admin_member, simulator):
    connect(admin_member, UNPROVISIONED_USER, DEMO_PASSWORD)
    services.avalara_request_setup(member=admin_member)
    simulator.state.accounts[2000100003].password = "changed"

    services.avalara_test_connection(organization=admin_member.organization)

    organization = admin_member.organization
    setup = detail(organization, Action.SETUP_REQUESTED)
    assert setup.startswith("Asked Avalara to set up Exemption Certificate Management for ")
    assert "InProgress" not in setup
    assert detail(organization, Action.TESTED) == (
        "Connection test failed. Please check your credentials. Your username or password is "
        "incorrect. (INVALID_CREDENTIALS)"
    )


def test_the_activity_table_shows_no_internal_words(admin_client_member, admin_member, simulator):
    connect(admin_member)
    services.avalara_request_setup(member=admin_member)

    page = admin_client_member.get(reverse("integrations:integrations")).content.decode()
    table = page[page.index('id="activity-heading"') :]
    for internal in ("authenticatedCompanyId", "Ping", "ECM setup", "Companies API"):
        assert internal not in table


def test_test_connection_answers_the_row_and_one_announcement(
    admin_client_member, admin_member, simulator
):
    connect(admin_member)
    page = admin_client_member.get(reverse("integrations:integrations")).content.decode()
    assert '<div id="avalara-announcement" class="visually-hidden" role="status"></div>' in page

    body = admin_client_member.post(reverse("integrations:avalara-test"), **HTMX).content.decode()

    row, announcement = body.split('<div id="avalara-announcement"')
    assert "Connection verified successfully" in row
    assert 'role="status"' not in row
    assert announcement.strip() == (
        'class="visually-hidden" role="status" hx-swap-oob="innerHTML">'
        "Connection verified successfully</div>"
    )


def test_disconnect_dialog_starts_on_cancel_and_cancel_only_closes_it(
    admin_client_member, admin_member, simulator
):
    connect(admin_member)

    body = admin_client_member.get(reverse("integrations:avalara-disconnect"), **HTMX)

    assert (
        '<button type="button" class="button secondary" data-close-dialog data-autofocus '
        "autofocus>Cancel"
        "</button>" in body.content.decode()
    )


def test_disconnect_as_a_whole_page_offers_a_link_back_and_no_close_button(
    admin_client_member, admin_member, simulator
):
    connect(admin_member)

    body = admin_client_member.get(reverse("integrations:avalara-disconnect")).content.decode()

    back = reverse("integrations:integrations")
    assert f'<a href="{back}" class="button secondary" autofocus>Cancel</a>' in body
    assert "data-close-dialog" not in body
    assert AvalaraConnection.objects.get().is_connected


def test_a_failed_test_announces_the_code_and_what_to_do_once(
    admin_client_member, admin_member, simulator
):
    connect(admin_member, UNPROVISIONED_USER, DEMO_PASSWORD)
    simulator.state.accounts[2000100003].password = "changed"

    body = admin_client_member.post(reverse("integrations:avalara-test"), **HTMX).content.decode()

    row, announcement = body.split('<div id="avalara-announcement"')
    assert "not provisioned" in row
    assert 'role="status"' not in row
    assert announcement.strip().endswith(
        ">Connection test failed. Please check your credentials. INVALID_CREDENTIALS: Re-enter "
        "your credentials using Reconnect/Update Credentials.</div>"
    )
