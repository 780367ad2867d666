"""What Nuvo tells people about the Avalara connection: activity-log lines, Connect's resolutions.

The log is read by admins, not developers: environment and company by name, Avalara's codes last.
"""

from integrations.avalara import AvalaraError, ErrorCode
from integrations.models import AvalaraConnection

EcmStatus = AvalaraConnection.EcmStatus

_ECM_SENTENCES = {
    EcmStatus.PROVISIONED: "Exemption Certificate Management is set up.",
    EcmStatus.IN_PROGRESS: "Exemption Certificate Management setup is in progress.",
    EcmStatus.NOT_PROVISIONED: "Exemption Certificate Management is not provisioned for it yet.",
}

_COMPANY_SOURCES = {
    AvalaraConnection.CompanySource.PING: "the company these credentials sign in to",
    AvalaraConnection.CompanySource.DEFAULT_COMPANY: "the account's default company",
}

# Before any connection exists there is no "Reconnect/Update Credentials" to point to.
FIRST_CONNECT_RESOLUTIONS = {
    ErrorCode.INVALID_CREDENTIALS: "Check the Username/Account ID and Password/License Key, and "
    "that they belong to the environment you chose (Sandbox or Production), then select Connect "
    "again.",
}


def environment_name(environment: str) -> str:
    return f"Avalara {AvalaraConnection.Environment(environment).label}"


def company_description(connection: AvalaraConnection) -> str:
    code = f", {connection.company_code}" if connection.company_code else ""
    return f"{connection.company_name} (ID {connection.company_id}{code})"


def connected_detail(connection: AvalaraConnection, *, credentials_updated: bool) -> str:
    where = environment_name(connection.environment)
    opening = (
        f"Updated the credentials for {where}, now {connection.username}"
        if credentials_updated
        else f"Connected to {where} as {connection.username}"
    )
    source = _COMPANY_SOURCES.get(connection.company_source, "the linked company")
    ecm = _ECM_SENTENCES.get(connection.ecm_status, "")
    return f"{opening}: company {company_description(connection)}, {source}. {ecm}".strip()


def connect_failed_detail(error: AvalaraError, *, username: str, environment: str) -> str:
    # A refused company switch explains itself; the guide's summary speaks of sending customers.
    said = error.reason if error.code == ErrorCode.COMPANY_MISMATCH and error.reason else None
    return (
        f"Could not connect {username} to {environment_name(environment)}: "
        f"{said or error.summary} ({error.code})"
    )


def connection_test_detail(error: AvalaraError | None, *, success: str, failure: str) -> str:
    if error is None:
        return success
    return f"{failure} {error.summary} ({error.code})"


def setup_requested_detail(connection: AvalaraConnection, status: str) -> str:
    label = EcmStatus(status).label if status in EcmStatus.values else status
    return (
        "Asked Avalara to set up Exemption Certificate Management for "
        f"{company_description(connection)}. Status: {label.lower()}."
    )


def connect_resolution(error: AvalaraError, *, reconnecting: bool) -> str:
    """The guide's resolution, unless it points to a menu item the user does not have yet."""
    if reconnecting:
        return error.resolution
    return FIRST_CONNECT_RESOLUTIONS.get(error.code, error.resolution)
