from celery import shared_task

from integrations.models import AvalaraConnection
from integrations.services import avalara_test_connection


@shared_task(ignore_result=True)
def check_avalara_connections() -> None:
    """Nightly: test every connected organization's credentials, one task each."""
    connected = AvalaraConnection.objects.filter(status=AvalaraConnection.Status.CONNECTED)
    for connection_id in connected.values_list("pk", flat=True):
        check_avalara_connection.delay(connection_id)


# One ping and one setup read, each bounded by AVALARA_TIMEOUT and a few retries: 120 s is ample.
@shared_task(ignore_result=True, soft_time_limit=100, time_limit=120)
def check_avalara_connection(connection_id: int) -> None:
    connection = (
        AvalaraConnection.objects.select_related("organization")
        .filter(pk=connection_id, status=AvalaraConnection.Status.CONNECTED)
        .defer("secret")
        .first()
    )
    if connection is None:
        return
    avalara_test_connection(organization=connection.organization, interactive=False)
