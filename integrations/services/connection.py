"""Connect, test, reconnect and disconnect Avalara; resolve the company ID; build clients.

Avalara is never called inside a database transaction: validation happens first, the write after.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from integrations.avalara import (
    AvalaraError,
    AvaTaxClient,
    CallObserver,
    Company,
    ErrorCode,
    PingResult,
    base_url_for,
    error_for_code,
)
from integrations.fields import SecretUnreadable
from integrations.models import AvalaraConnection, IntegrationEvent
from integrations.selectors import avalara_connection_get
from integrations.services import connection_text
from nuvo.models import Organization
from nuvo.roles import Member, Role, user_display_name

logger = logging.getLogger(__name__)

TEST_SUCCESS_MESSAGE = "Connection verified successfully"
TEST_FAILURE_MESSAGE = "Connection test failed. Please check your credentials."

Action = IntegrationEvent.Action


@dataclass(frozen=True)
class ValidatedCredentials:
    ping: PingResult
    company: Company
    company_source: str
    ecm_status: str


@dataclass(frozen=True)
class ConnectionTestResult:
    ok: bool
    message: str
    error: AvalaraError | None = None


# The credentials' path: every frame below these hides its locals in error reports, DEBUG's
# technical 500 page included (nuvo/error_reports.py).
@sensitive_variables()
def build_client(
    *,
    environment: str,
    username: str,
    password: str,
    interactive: bool = True,
    on_call: CallObserver | None = None,
) -> AvaTaxClient:
    """The one place an AvaTax client is made: host from the environment or AVALARA_BASE_URL.

    Someone waiting on a page gets no retries (a few calls at most, well inside the web server's
    timeout); background tasks retry idempotent calls AVALARA_MAX_RETRIES times.
    """
    from nuvo import __version__

    return AvaTaxClient(
        base_url=base_url_for(environment, settings.AVALARA_BASE_URL or None),
        username=username,
        password=password,
        timeout=(settings.AVALARA_CONNECT_TIMEOUT, settings.AVALARA_TIMEOUT),
        max_retries=0 if interactive else settings.AVALARA_MAX_RETRIES,
        app_version=__version__,
        on_call=on_call,
        # Sends create certificates on a small pool of threads sharing this client's session.
        pool_size=max(settings.AVALARA_SEND_CONCURRENCY, 10),
    )


@sensitive_variables()
def avalara_client_get(
    *,
    organization: Organization,
    interactive: bool = True,
    on_call: CallObserver | None = None,
) -> tuple[AvaTaxClient, AvalaraConnection]:
    """A client with the organization's saved credentials, or CREDENTIALS_NOT_CONFIGURED."""
    connection = avalara_connection_get(organization=organization)
    if connection is None or not connection.is_connected:
        raise error_for_code(ErrorCode.CREDENTIALS_NOT_CONFIGURED)
    try:
        secret = connection.secret
    except SecretUnreadable as exc:
        logger.error("avalara secret unreadable for organization=%s", organization.pk)
        raise error_for_code(ErrorCode.CREDENTIALS_NOT_CONFIGURED) from exc
    client = build_client(
        environment=connection.environment,
        username=connection.username,
        password=secret,
        interactive=interactive,
        on_call=on_call,
    )
    return client, connection


def _resolve_company(client: AvaTaxClient, ping: PingResult) -> tuple[Company, str]:
    """Ping's authenticatedCompanyId first; else the account's default company (Companies API)."""
    if ping.authenticated_company_id:
        company = client.get_company(ping.authenticated_company_id)
        return company, AvalaraConnection.CompanySource.PING
    company = client.get_default_company()
    if company is None:
        raise AvalaraError(
            ErrorCode.COMPANY_MISMATCH,
            operation="QueryCompanies",
            reason="The Avalara account has no default company to link.",
        )
    return company, AvalaraConnection.CompanySource.DEFAULT_COMPANY


def _ecm_status(client: AvaTaxClient, company_id: int) -> str:
    try:
        return client.get_certificate_setup(company_id).status
    except AvalaraError as error:
        if error.is_not_provisioned:
            return AvalaraConnection.EcmStatus.NOT_PROVISIONED
        raise


@sensitive_variables()
def validate_credentials(*, environment: str, username: str, password: str) -> ValidatedCredentials:
    """Ping (it answers 200 even for bad credentials), then resolve the company and ECM status."""
    with build_client(environment=environment, username=username, password=password) as client:
        ping = client.ping()
        if not ping.authenticated:
            raise error_for_code(ErrorCode.INVALID_CREDENTIALS, operation="Ping")
        company, source = _resolve_company(client, ping)
        return ValidatedCredentials(
            ping=ping,
            company=company,
            company_source=source,
            ecm_status=_ecm_status(client, company.id),
        )


def record_integration_event(*, organization, action: str, actor=None, detail: str = ""):
    return IntegrationEvent.objects.create(
        organization=organization,
        action=action,
        actor=actor,
        actor_name=user_display_name(actor) if actor else "Nuvo (scheduled check)",
        detail=detail,
    )


@sensitive_variables()
def avalara_connect(
    *, member: Member, environment: str, username: str, password: str
) -> AvalaraConnection:
    """Connect (or replace the credentials of) the organization's Avalara integration.

    Nothing is saved unless Avalara accepts the credentials and a company resolves.
    """
    member.require(Role.ADMIN)
    username = username.strip()
    try:
        validated = validate_credentials(
            environment=environment, username=username, password=password
        )
        _refuse_company_switch(member.organization, environment, validated.company)
    except AvalaraError as error:
        record_integration_event(
            organization=member.organization,
            action=Action.CONNECT_FAILED,
            actor=member.user,
            detail=connection_text.connect_failed_detail(
                error, username=username, environment=environment
            ),
        )
        raise
    now = timezone.now()
    fields = {
        "status": AvalaraConnection.Status.CONNECTED,
        "environment": environment,
        "username": username,
        "secret": password,
        "authentication_type": validated.ping.authentication_type or "",
        "company_id": validated.company.id,
        "company_code": validated.company.company_code or "",
        "company_name": validated.company.name or "",
        "company_source": validated.company_source,
        "ecm_status": validated.ecm_status,
        "connected_by": member.user,
        "connected_at": now,
        "last_tested_at": now,
        "last_test_ok": True,
        "last_error_code": "",
        "disconnected_by": None,
        "disconnected_at": None,
    }
    with transaction.atomic():
        # Never load the old secret: it may be unreadable (a retired key), and it is replaced.
        existing = (
            AvalaraConnection.objects.select_for_update()
            .filter(organization=member.organization)
            .only("pk", "status")
            .first()
        )
        if existing is None:
            AvalaraConnection.objects.create(organization=member.organization, **fields)
        else:
            AvalaraConnection.objects.filter(pk=existing.pk).update(**fields)
        connection = avalara_connection_get(organization=member.organization)
        was_connected = existing is not None and existing.is_connected
        record_integration_event(
            organization=member.organization,
            action=Action.CREDENTIALS_UPDATED if was_connected else Action.CONNECTED,
            actor=member.user,
            detail=connection_text.connected_detail(connection, credentials_updated=was_connected),
        )
    if connection.is_provisioned:
        from integrations.tasks import refresh_avalara_definitions_for

        # The account's zones and reasons, ready before the first send.
        refresh_avalara_definitions_for.delay_on_commit(connection.pk)
    logger.info(
        "avalara connected organization=%s company=%s source=%s",
        member.organization.pk,
        connection.company_id,
        connection.company_source,
    )
    return connection


def _refuse_company_switch(organization: Organization, environment: str, company: Company) -> None:
    """Updating credentials keeps the linked company; another company needs a disconnect first."""
    current = avalara_connection_get(organization=organization)
    if current is None or not current.is_connected:
        return
    if (current.environment, current.company_id) != (environment, company.id):
        raise AvalaraError(
            ErrorCode.COMPANY_MISMATCH,
            operation="Ping",
            reason=f"These credentials belong to {company.name} (ID {company.id}, "
            f"{environment}), not the linked {current.company_name} (ID {current.company_id}, "
            f"{current.environment}). To link a different Avalara company, disconnect the "
            "integration and connect again.",
        )


def avalara_test_connection(
    *, organization: Organization, actor=None, interactive: bool = True
) -> ConnectionTestResult:
    """Re-run ping with the saved credentials; also refresh the company's ECM status."""
    try:
        client, connection = avalara_client_get(organization=organization, interactive=interactive)
    except AvalaraError as error:
        saved = avalara_connection_get(organization=organization)
        if saved is not None and saved.is_connected:
            _record_test(
                saved,
                organization=organization,
                actor=actor,
                error=error,
                ecm_status=saved.ecm_status,
            )
        return ConnectionTestResult(ok=False, message=TEST_FAILURE_MESSAGE, error=error)
    error = None
    ecm_status = connection.ecm_status
    try:
        with client:
            ping = client.ping()
            if not ping.authenticated:
                raise error_for_code(ErrorCode.INVALID_CREDENTIALS, operation="Ping")
            if (
                ping.authenticated_company_id
                and ping.authenticated_company_id != connection.company_id
            ):
                raise error_for_code(ErrorCode.COMPANY_MISMATCH, operation="Ping")
            ecm_status = _ecm_status(client, connection.company_id)
    except AvalaraError as exc:
        error = exc
    _record_test(
        connection, organization=organization, actor=actor, error=error, ecm_status=ecm_status
    )
    if error is None:
        return ConnectionTestResult(ok=True, message=TEST_SUCCESS_MESSAGE)
    return ConnectionTestResult(ok=False, message=TEST_FAILURE_MESSAGE, error=error)


def _record_test(
    connection: AvalaraConnection,
    *,
    organization: Organization,
    actor,
    error: AvalaraError | None,
    ecm_status: str,
) -> None:
    AvalaraConnection.objects.filter(pk=connection.pk).update(
        last_tested_at=timezone.now(),
        last_test_ok=error is None,
        last_error_code=str(error.code) if error else "",
        ecm_status=ecm_status,
    )
    record_integration_event(
        organization=organization,
        action=Action.TESTED,
        actor=actor,
        detail=connection_text.connection_test_detail(
            error, success=TEST_SUCCESS_MESSAGE, failure=TEST_FAILURE_MESSAGE
        ),
    )


def avalara_request_setup(*, member: Member) -> AvalaraConnection:
    """Ask Avalara to provision Exemption Certificate Management for the linked company."""
    member.require(Role.ADMIN)
    client, connection = avalara_client_get(organization=member.organization)
    with client:
        status = client.request_certificate_setup(connection.company_id).status
    AvalaraConnection.objects.filter(pk=connection.pk).update(ecm_status=status)
    record_integration_event(
        organization=member.organization,
        action=Action.SETUP_REQUESTED,
        actor=member.user,
        detail=connection_text.setup_requested_detail(connection, status),
    )
    connection.refresh_from_db()
    return connection


def avalara_disconnect(*, member: Member) -> AvalaraConnection | None:
    """Delete the saved credentials; the row keeps who disconnected and when."""
    member.require(Role.ADMIN)
    updated = AvalaraConnection.objects.filter(
        organization=member.organization, status=AvalaraConnection.Status.CONNECTED
    ).update(
        status=AvalaraConnection.Status.DISCONNECTED,
        secret="",
        disconnected_by=member.user,
        disconnected_at=timezone.now(),
    )
    if updated:
        record_integration_event(
            organization=member.organization, action=Action.DISCONNECTED, actor=member.user
        )
    return avalara_connection_get(organization=member.organization)
