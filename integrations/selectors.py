from integrations.models import AvalaraConnection, IntegrationEvent
from nuvo.models import Organization


def avalara_connection_get(*, organization: Organization) -> AvalaraConnection | None:
    """The connection, with who connected and disconnected; the secret loads (and decrypts)
    only when read, where a wrong key can be handled."""
    return (
        AvalaraConnection.objects.filter(organization=organization)
        .select_related("connected_by", "disconnected_by")
        .defer("secret")
        .first()
    )


def integration_events(*, organization: Organization, limit: int = 20) -> list[IntegrationEvent]:
    return list(IntegrationEvent.objects.filter(organization=organization)[:limit])
