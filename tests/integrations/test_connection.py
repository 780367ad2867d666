"""Connecting Avalara under Settings > Integrations, end to end against the loopback simulator."""

import logging
import socket
from unittest import mock

import pytest
import responses
from django.core.management import CommandError, call_command
from django.db import connection as db_connection
from django.urls import reverse

from integrations import services, tasks
from integrations.avalara import AvalaraError, ErrorCode
from integrations.models import AvalaraConnection, IntegrationEvent

DEMO_USER, DEMO_PASSWORD = "nuvo-demo", "avalara-demo"
LICENSE_ACCOUNT, LICENSE_KEY = "2000100002", "A1B2C3D4E5F6A7B8"
UNPROVISIONED_USER = "nuvo-unprovisioned"
NEW_KEY = "hQ4lFM-yDxGQz1GEqPqSCZBy3QIIbMN2vQv3y2ipH6Q="

Action = IntegrationEvent.Action


def connect(member, username=DEMO_USER, password=DEMO_PASSWORD, environment="sandbox"):
    return services.avalara_connect(
        member=member, environment=environment, username=username, password=password
    )


def actions(organization) -> list[str]:
    return list(
        IntegrationEvent.objects.filter(organization=organization)
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_connect_uses_the_company_from_ping(admin_member, simulator):
    connection = connect(admin_member)

    assert connection.is_connected
    assert connection.username == DEMO_USER
    assert (connection.company_id, connection.company_code) == (7100001, "ACMESUPPLY")
    assert connection.company_source == AvalaraConnection.CompanySource.PING
    assert connection.ecm_status == AvalaraConnection.EcmStatus.PROVISIONED
    assert connection.authentication_type == "UsernamePassword"
    assert connection.connected_by == admin_member.user
    assert actions(admin_member.organization) == [Action.CONNECTED]
    assert simulator.state.count("QueryCompanies") == 0


def test_connect_falls_back_to_the_default_company_when_ping_has_none(admin_member, simulator):
    connection = connect(admin_member, username=LICENSE_ACCOUNT, password=LICENSE_KEY)

    assert connection.company_id == 7100002
    assert connection.company_source == AvalaraConnection.CompanySource.DEFAULT_COMPANY
    assert connection.authentication_type == "AccountIdLicenseKey"
    assert simulator.state.count("QueryCompanies") == 1


def test_bad_credentials_are_refused_and_nothing_is_saved(admin_member, simulator):
    with pytest.raises(AvalaraError) as caught:
        connect(admin_member, password="wrong-password")

    assert caught.value.code == ErrorCode.INVALID_CREDENTIALS
    assert not AvalaraConnection.objects.exists()
    assert actions(admin_member.organization) == [Action.CONNECT_FAILED]
    assert "wrong-password" not in IntegrationEvent.objects.get().detail


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_avalara_is_unable_to_connect(admin_member, settings):
    settings.AVALARA_BASE_URL = f"http://127.0.0.1:{_closed_port()}"
    settings.AVALARA_CONNECT_TIMEOUT = 0.5
    settings.AVALARA_MAX_RETRIES = 0

    with pytest.raises(AvalaraError) as caught:
        connect(admin_member)

    assert caught.value.code == ErrorCode.UNABLE_TO_CONNECT
    assert caught.value.retryable
    assert not AvalaraConnection.objects.exists()


@responses.activate(assert_all_requests_are_fired=True)
def test_an_account_without_a_default_company_cannot_be_connected(admin_member, settings):
    settings.AVALARA_BASE_URL = "https://avalara.test"
    responses.get(
        "https://avalara.test/api/v2/utilities/ping",
        json={"version": "26.7.3", "authenticated": True, "authenticationType": "UsernamePassword"},
    )
    responses.get(
        "https://avalara.test/api/v2/companies?$filter=isDefault%20eq%20true",
        json={"@recordsetCount": 0, "value": []},
    )

    with pytest.raises(AvalaraError) as caught:
        connect(admin_member)

    assert caught.value.code == ErrorCode.COMPANY_MISMATCH
    assert caught.value.reason == "The Avalara account has no default company to link."
    assert not AvalaraConnection.objects.exists()


def test_a_company_without_ecm_is_connected_and_setup_can_be_requested(admin_member, simulator):
    connection = connect(admin_member, username=UNPROVISIONED_USER)
    assert connection.ecm_status == AvalaraConnection.EcmStatus.NOT_PROVISIONED

    connection = services.avalara_request_setup(member=admin_member)
    assert connection.ecm_status == AvalaraConnection.EcmStatus.IN_PROGRESS

    result = services.avalara_test_connection(organization=admin_member.organization)
    connection.refresh_from_db()
    assert result.ok
    assert connection.ecm_status == AvalaraConnection.EcmStatus.PROVISIONED
    assert actions(admin_member.organization) == [
        Action.CONNECTED,
        Action.SETUP_REQUESTED,
        Action.TESTED,
    ]


def test_test_connection_reports_the_guides_messages(admin_member, simulator):
    connect(admin_member)

    passed = services.avalara_test_connection(organization=admin_member.organization)
    simulator.state.accounts[2000100001].password = "rotated-at-avalara"
    failed = services.avalara_test_connection(organization=admin_member.organization)

    assert (passed.ok, passed.message) == (True, "Connection verified successfully")
    assert (failed.ok, failed.message) == (
        False,
        "Connection test failed. Please check your credentials.",
    )
    assert failed.error.code == ErrorCode.INVALID_CREDENTIALS
    connection = AvalaraConnection.objects.get()
    assert (connection.last_test_ok, connection.last_error_code) == (False, "INVALID_CREDENTIALS")


def test_reconnect_replaces_the_saved_credentials(admin_member, simulator):
    connect(admin_member)
    simulator.state.accounts[2000100001].password = "rotated-at-avalara"

    connection = connect(admin_member, password="rotated-at-avalara")

    assert AvalaraConnection.objects.count() == 1
    assert connection.company_id == 7100001
    assert AvalaraConnection.objects.get().secret == "rotated-at-avalara"
    assert actions(admin_member.organization) == [Action.CONNECTED, Action.CREDENTIALS_UPDATED]


def test_reconnect_refuses_to_switch_to_another_company(admin_member, simulator):
    connect(admin_member)

    with pytest.raises(AvalaraError) as caught:
        connect(admin_member, username=LICENSE_ACCOUNT, password=LICENSE_KEY)

    assert caught.value.code == ErrorCode.COMPANY_MISMATCH
    assert "disconnect the integration and connect again" in caught.value.reason
    saved = AvalaraConnection.objects.get()
    assert (saved.company_id, saved.username, saved.secret) == (7100001, DEMO_USER, DEMO_PASSWORD)
    assert actions(admin_member.organization) == [Action.CONNECTED, Action.CONNECT_FAILED]


def test_another_company_can_be_linked_after_a_disconnect(admin_member, simulator):
    connect(admin_member)
    services.avalara_disconnect(member=admin_member)

    connection = connect(admin_member, username=LICENSE_ACCOUNT, password=LICENSE_KEY)

    assert connection.company_id == 7100002
    assert connection.disconnected_at is None


def test_reconnect_works_when_the_old_secret_is_unreadable(admin_member, simulator, settings):
    connect(admin_member)
    settings.NUVO_ENCRYPTION_KEYS = [NEW_KEY]

    connection = connect(admin_member)

    assert connection.is_connected
    assert AvalaraConnection.objects.get().secret == DEMO_PASSWORD


def test_failed_reconnect_keeps_the_working_credentials(admin_member, simulator):
    connect(admin_member)

    with pytest.raises(AvalaraError):
        connect(admin_member, password="typo")

    saved = AvalaraConnection.objects.get()
    assert (saved.username, saved.secret, saved.is_connected) == (DEMO_USER, DEMO_PASSWORD, True)


def test_disconnect_removes_the_credentials_and_keeps_who_and_when(admin_member, simulator):
    connect(admin_member)

    services.avalara_disconnect(member=admin_member)

    saved = AvalaraConnection.objects.get()
    assert saved.status == AvalaraConnection.Status.DISCONNECTED
    assert saved.secret == ""
    assert saved.disconnected_by == admin_member.user
    assert saved.disconnected_at is not None
    with pytest.raises(AvalaraError) as caught:
        services.avalara_client_get(organization=admin_member.organization)
    assert caught.value.code == ErrorCode.CREDENTIALS_NOT_CONFIGURED
    result = services.avalara_test_connection(organization=admin_member.organization)
    assert result.error.code == ErrorCode.CREDENTIALS_NOT_CONFIGURED
    assert actions(admin_member.organization) == [Action.CONNECTED, Action.DISCONNECTED]


def test_every_avalara_action_needs_credentials_first(admin_member):
    with pytest.raises(AvalaraError) as caught:
        services.avalara_request_setup(member=admin_member)

    assert caught.value.code == ErrorCode.CREDENTIALS_NOT_CONFIGURED


@pytest.mark.parametrize("role_fixture", ["analyst", "approver"])
def test_only_admins_manage_the_integration(db, request, role_fixture, simulator):
    member = request.getfixturevalue(role_fixture)

    with pytest.raises(Exception, match="admin role"):
        connect(member)
    with pytest.raises(Exception, match="admin role"):
        services.avalara_disconnect(member=member)

    assert simulator.state.count() == 0
    assert not AvalaraConnection.objects.exists()


def test_the_secret_is_encrypted_at_rest(admin_member, simulator):
    connect(admin_member)

    stored = _stored_secret()

    assert DEMO_PASSWORD not in stored
    assert stored.startswith("gAAAA")


def test_the_nightly_check_enqueues_connection_ids_only(admin_member, simulator):
    connection = connect(admin_member)

    with mock.patch.object(tasks.check_avalara_connection, "delay") as delay:
        tasks.check_avalara_connections()

    delay.assert_called_once_with(connection.pk)


def test_the_nightly_check_records_the_result(admin_member, simulator):
    connection = connect(admin_member)

    tasks.check_avalara_connection(connection.pk)

    event = IntegrationEvent.objects.filter(action=Action.TESTED).get()
    assert (event.actor, event.actor_name, event.detail) == (
        None,
        "Nuvo (scheduled check)",
        "Connection verified successfully",
    )


# The views


def test_settings_page_shows_the_avalara_row_with_connect(admin_client_member):
    body = admin_client_member.get(reverse("integrations:integrations")).content.decode()

    assert "Services" in body
    assert "Avalara" in body
    assert 'hx-target="#modal-content">Connect</button>' in body
    assert "Not connected" in body


def test_connect_dialog_asks_for_the_guides_fields(admin_client_member):
    response = admin_client_member.get(
        reverse("integrations:avalara-connect"), HTTP_HX_REQUEST="true"
    )

    body = response.content.decode()
    assert "Username/Account ID" in body
    assert "Password/License Key" in body
    assert "Sandbox" in body
    assert "Production" in body


def test_connect_through_the_dialog_shows_the_row_connected(admin_client_member, simulator):
    response = admin_client_member.post(
        reverse("integrations:avalara-connect"),
        {"environment": "sandbox", "username": DEMO_USER, "password": DEMO_PASSWORD},
        HTTP_HX_REQUEST="true",
    )

    assert response["HX-Redirect"] == reverse("integrations:integrations")
    page = admin_client_member.get(reverse("integrations:integrations")).content.decode()
    assert "Avalara connected as nuvo-demo." in page
    assert "status-connected" in page
    assert "Acme Supply Co. (Simulator) (ID 7100001, ACMESUPPLY)" in page
    for item in ("Test Connection", "Reconnect/Update Credentials", "Disconnect"):
        assert item in page


def test_connect_failure_shows_the_code_and_resolution(admin_client_member, simulator):
    response = admin_client_member.post(
        reverse("integrations:avalara-connect"),
        {"environment": "sandbox", "username": DEMO_USER, "password": "nope"},
        HTTP_HX_REQUEST="true",
    )

    body = response.content.decode()
    assert "<strong>INVALID_CREDENTIALS</strong>: Your username or password is incorrect." in body
    # Not yet connected: there is no Reconnect/Update Credentials to point to.
    assert (
        "Resolution: Check the Username/Account ID and Password/License Key, and that they belong "
        "to the environment you chose (Sandbox or Production), then select Connect again." in body
    )
    assert "Reconnect/Update Credentials" not in body
    assert 'value="nope"' not in body
    assert not AvalaraConnection.objects.exists()


def test_test_connection_button_swaps_the_row_with_the_result(
    admin_client_member, admin_member, simulator
):
    connect(admin_member)

    response = admin_client_member.post(
        reverse("integrations:avalara-test"), HTTP_HX_REQUEST="true"
    )

    body = response.content.decode()
    assert body.lstrip().startswith('<li class="service-row" id="service-avalara">')
    assert "Connection verified successfully" in body


def test_disconnect_needs_a_confirmation_post(admin_client_member, admin_member, simulator):
    connect(admin_member)

    confirm = admin_client_member.get(reverse("integrations:avalara-disconnect"))
    assert AvalaraConnection.objects.get().is_connected
    admin_client_member.post(reverse("integrations:avalara-disconnect"))

    assert "removes the saved Avalara credentials" in confirm.content.decode()
    assert not AvalaraConnection.objects.get().is_connected


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "integrations:integrations"),
        ("get", "integrations:avalara-connect"),
        ("post", "integrations:avalara-connect"),
        ("post", "integrations:avalara-test"),
        ("post", "integrations:avalara-request-setup"),
        ("get", "integrations:avalara-disconnect"),
        ("post", "integrations:avalara-disconnect"),
    ],
)
def test_integration_endpoints_refuse_non_admins(analyst_client, approver_client, method, name):
    for client in (analyst_client, approver_client):
        response = getattr(client, method)(
            reverse(name), {"environment": "sandbox", "username": "u", "password": "p"}
        )
        assert response.status_code == 403
    assert not AvalaraConnection.objects.exists()


def test_non_admins_do_not_see_the_integrations_controls(
    admin_member, analyst_client, approver_client, application, simulator
):
    connect(admin_member)
    pages = [
        reverse("team"),
        reverse("creditapps:application-list"),
        application.get_absolute_url(),
    ]

    for client in (analyst_client, approver_client):
        for url in pages:
            body = client.get(url, follow=True).content.decode()
            assert reverse("integrations:integrations") not in body, url
            assert reverse("integrations:avalara-connect") not in body, url
            assert "Avalara options" not in body, url


def test_another_organizations_connection_is_invisible(admin_member, outsider_client, simulator):
    connect(admin_member)

    page = outsider_client.get(reverse("integrations:integrations")).content.decode()
    api = outsider_client.get("/api/v1/integrations/avalara/")

    assert "nuvo-demo" not in page
    assert api.status_code == 404


def test_the_password_never_leaves_the_database(
    admin_client_member, admin_member, analyst_client, simulator, caplog, capsys
):
    """Connect, fail, test, reconnect and read everything back: the secret shows up nowhere."""
    caplog.set_level(logging.DEBUG)
    secret = DEMO_PASSWORD
    seen: list[str] = []

    failed = admin_client_member.post(
        reverse("integrations:avalara-connect"),
        {"environment": "sandbox", "username": DEMO_USER, "password": secret + "-wrong"},
    )
    seen.append(failed.content.decode())
    admin_client_member.post(
        reverse("integrations:avalara-connect"),
        {"environment": "sandbox", "username": DEMO_USER, "password": secret},
    )
    for url in [
        reverse("integrations:integrations"),
        reverse("integrations:avalara-connect"),
        reverse("integrations:avalara-disconnect"),
    ]:
        seen.append(admin_client_member.get(url).content.decode())
    seen.append(admin_client_member.post(reverse("integrations:avalara-test")).content.decode())
    seen.append(analyst_client.get("/api/v1/integrations/avalara/").content.decode())
    seen.append(admin_client_member.get("/admin/integrations/avalaraconnection/").content.decode())
    seen.extend(IntegrationEvent.objects.values_list("detail", flat=True))
    with pytest.raises(AvalaraError) as caught:
        connect(admin_member, password=secret + "-typo")
    seen.append(str(caught.value))
    seen.append(repr(caught.value))
    seen.append(repr(services.avalara_client_get(organization=admin_member.organization)[0]))
    seen.append(caplog.text)
    captured = capsys.readouterr()
    seen.extend([captured.out, captured.err])

    assert AvalaraConnection.objects.get().secret == secret
    leaks = [text[:200] for text in seen if secret in text]
    assert leaks == []


# Encryption at rest


def test_a_wrong_key_raises_instead_of_returning_ciphertext(admin_member, simulator, settings):
    connect(admin_member)
    settings.NUVO_ENCRYPTION_KEYS = [NEW_KEY]

    with pytest.raises(Exception, match="cannot be decrypted"):
        AvalaraConnection.objects.get().secret  # noqa: B018

    with pytest.raises(AvalaraError) as caught:
        services.avalara_client_get(organization=admin_member.organization)
    assert caught.value.code == ErrorCode.CREDENTIALS_NOT_CONFIGURED


def test_rotate_encryption_keys_reencrypts_with_the_newest_key(admin_member, simulator, settings):
    old_key, new_key = settings.NUVO_ENCRYPTION_KEYS[0], NEW_KEY
    connect(admin_member)

    settings.NUVO_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("rotate_encryption_keys", stdout=mock.MagicMock())
    settings.NUVO_ENCRYPTION_KEYS = [new_key]

    assert AvalaraConnection.objects.get().secret == DEMO_PASSWORD


def test_rotate_stops_without_changes_when_a_secret_cannot_be_read(
    admin_member, simulator, settings
):
    connect(admin_member)
    before = _stored_secret()
    settings.NUVO_ENCRYPTION_KEYS = [NEW_KEY]

    with pytest.raises(CommandError, match="cannot be decrypted with any configured key"):
        call_command("rotate_encryption_keys", stdout=mock.MagicMock())

    assert _stored_secret() == before


def test_nightly_check_with_an_unreadable_secret_records_a_failure(
    admin_member, simulator, settings
):
    connection = connect(admin_member)
    settings.NUVO_ENCRYPTION_KEYS = [NEW_KEY]

    tasks.check_avalara_connection(connection.pk)

    saved = AvalaraConnection.objects.defer("secret").get()
    assert (saved.last_test_ok, saved.last_error_code) == (False, "CREDENTIALS_NOT_CONFIGURED")


def _stored_secret() -> str:
    with db_connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM integrations_avalaraconnection")
        return cursor.fetchone()[0]


def test_an_invalid_key_is_a_configuration_error(settings, db):
    from django.core.exceptions import ImproperlyConfigured

    from integrations.fields import encrypt

    settings.NUVO_ENCRYPTION_KEYS = ["not-a-fernet-key"]

    with pytest.raises(ImproperlyConfigured, match="Fernet key"):
        encrypt("x")
