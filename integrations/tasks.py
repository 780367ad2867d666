import logging
import random
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from integrations.avalara import AvalaraError
from integrations.models import AvalaraConnection, AvalaraSend
from integrations.services import avalara_test_connection
from integrations.services.delivery import SendRetryLater, avalara_send_run, stale_after

logger = logging.getLogger(__name__)


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


def retry_countdown(retries: int, retry_after: float | None) -> float:
    """Avalara's Retry-After when it sent one, else exponential backoff with jitter."""
    if retry_after:
        return retry_after
    base = min(settings.AVALARA_SEND_RETRY_MAX_SECONDS, 5 * 2**retries)
    return base * random.uniform(0.5, 1.5)  # noqa: S311 - jitter, not security


# A send is a customer call plus one call per certificate on a small pool, each bounded by
# AVALARA_TIMEOUT; 300 s covers a few dozen certificates. AVALARA_SEND_STALE_SECONDS must stay
# above the hard limit: a run older than that is dead and its send may be taken over.
@shared_task(
    bind=True,
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=240,
    time_limit=300,
    max_retries=settings.AVALARA_SEND_MAX_RETRIES,
)
def send_customer_to_avalara(self, send_id: int) -> None:
    """Run one send; a passing failure (429, 503, no connection) is retried with backoff.

    Run eagerly (local use, no worker) there is no later to retry in: the first attempt is the
    last, and what could not go is shown as failed, to be retried from the page.
    """
    final = self.request.is_eager or self.request.retries >= self.max_retries
    try:
        avalara_send_run(send_id=send_id, final_attempt=final)
    except SendRetryLater as later:
        countdown = retry_countdown(self.request.retries, later.error.retry_after)
        AvalaraSend.objects.filter(pk=send_id).update(
            retry_at=timezone.now() + timedelta(seconds=countdown)
        )
        raise self.retry(countdown=countdown, exc=later) from later


@shared_task(ignore_result=True)
def resume_stalled_avalara_sends() -> None:
    """Every few minutes: sends whose run died, or whose task was lost, are queued again.

    Queuing a send twice is harmless: a run claims the send first, and a second run finds
    nothing to do.
    """
    cutoff = timezone.now() - stale_after()
    queued = Q(status=AvalaraSend.Status.QUEUED) & (
        Q(retry_at__isnull=True, created_at__lt=cutoff) | Q(retry_at__lt=cutoff)
    )
    stalled = AvalaraSend.objects.filter(
        queued | Q(status=AvalaraSend.Status.RUNNING, started_at__lt=cutoff)
    )
    for send_id in stalled.values_list("pk", flat=True):
        send_customer_to_avalara.delay(send_id)


@shared_task(ignore_result=True)
def refresh_avalara_definitions() -> None:
    """Daily: the account's exposure zones and exemption reasons, one task per connection."""
    connected = AvalaraConnection.objects.filter(status=AvalaraConnection.Status.CONNECTED)
    for connection_id in connected.values_list("pk", flat=True):
        refresh_avalara_definitions_for.delay(connection_id)


@shared_task(ignore_result=True, soft_time_limit=100, time_limit=120)
def refresh_avalara_definitions_for(connection_id: int) -> None:
    from integrations.services.connection import avalara_client_get
    from integrations.services.definitions import definitions_refresh

    connection = (
        AvalaraConnection.objects.select_related("organization")
        .defer("secret")
        .filter(pk=connection_id, status=AvalaraConnection.Status.CONNECTED)
        .first()
    )
    if connection is None:
        return
    client, connection = avalara_client_get(organization=connection.organization, interactive=False)
    try:
        with client:
            definitions_refresh(connection=connection, client=client)
    except AvalaraError as error:
        # A send reads them itself when the cache is missing or a day old.
        logger.warning("avalara definitions not refreshed connection=%s: %s", connection_id, error)


@shared_task(ignore_result=True)
def sync_certificate_statuses(full: bool = False) -> None:
    """Every 15 minutes (and nightly with `full`): one sync task per connected organization."""
    connected = AvalaraConnection.objects.filter(status=AvalaraConnection.Status.CONNECTED)
    for connection_id in connected.values_list("pk", flat=True):
        sync_certificate_status_for.delay(connection_id, full=full)


# 100 pages of 1,000 certificates, each bounded by AVALARA_TIMEOUT with retries: 30 minutes is a
# generous ceiling; a run cut short resumes at its page on the next schedule.
@shared_task(ignore_result=True, soft_time_limit=1700, time_limit=1800)
def sync_certificate_status_for(connection_id: int, full: bool = False) -> None:
    from integrations.services.sync import SyncBusy, run_certificate_sync

    connection = (
        AvalaraConnection.objects.select_related("organization")
        .defer("secret")
        .filter(pk=connection_id, status=AvalaraConnection.Status.CONNECTED)
        .first()
    )
    if connection is None:
        return
    try:
        run_certificate_sync(connection=connection, full=full)
    except SyncBusy:
        logger.info("certificate sync of connection %s already running", connection_id)
    except AvalaraError as error:
        logger.warning("certificate sync of connection %s failed: %s", connection_id, error)


@shared_task(ignore_result=True)
def send_held_certificates() -> None:
    """Every hour: certificates held for a future effective date go once that date has come.

    CertCapture itself would refuse them before ("Certificate record couldn't be found or didn't
    meet send credentials.": typically a future effective date).
    """
    from creditapps.models import Customer
    from integrations.models import AvalaraCertificate
    from integrations.services.presend import SendBlocked
    from integrations.services.resends import avalara_send_scheduled
    from nuvo.errors import NuvoError

    due = AvalaraCertificate.objects.filter(
        state=AvalaraCertificate.State.HELD, held_until__lte=timezone.localdate()
    ).values_list("certificate__customer_id", flat=True)
    for customer in Customer.objects.filter(pk__in=set(due)):
        try:
            avalara_send_scheduled(customer=customer)
        except (SendBlocked, NuvoError, AvalaraError) as refusal:
            logger.info("held certificates of customer %s not sent: %s", customer.pk, refusal)
