"""What only a real PostgreSQL and a real Celery worker over Redis can show."""

import threading
import time
from pathlib import Path

import pytest
from django.db import close_old_connections, connection

from creditapps import services
from creditapps.models import ApplicationEvent, CreditApplication, InfoRequest
from nuvo.errors import NuvoError
from nuvo.roles import member_for

ROOT = Path(__file__).resolve().parents[2]


def race(workers: int, action) -> list[object]:
    """Run `action` in `workers` threads released at the same moment; collect results or errors."""
    barrier = threading.Barrier(workers)
    results: list[object] = []
    lock = threading.Lock()

    def run():
        try:
            barrier.wait()
            outcome = action()
        except Exception as exc:  # the race records whatever each side got
            outcome = exc
        finally:
            close_old_connections()
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_start_review_has_exactly_one_winner(analyst_user, make_application):
    application = make_application()

    def start_review():
        fresh = CreditApplication.objects.get(pk=application.pk)
        return services.application_start_review(member=member_for(analyst_user), application=fresh)

    results = race(8, start_review)

    assert sum(isinstance(r, CreditApplication) for r in results) == 1
    assert sum(isinstance(r, NuvoError) for r in results) == 7
    assert ApplicationEvent.objects.filter(kind=ApplicationEvent.Kind.REVIEW_STARTED).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_answers_to_one_request_have_exactly_one_winner(analyst, make_application):
    application = make_application(status=CreditApplication.Status.IN_REVIEW)
    info_request = services.application_request_info(
        member=analyst, application=application, items=[InfoRequest.Item.OTHER]
    )

    def respond():
        fresh = InfoRequest.objects.select_related("application__customer").get(pk=info_request.pk)
        return services.info_request_respond(info_request=fresh, message="Here", certificates=[])

    results = race(6, respond)

    assert sum(isinstance(r, InfoRequest) for r in results) == 1
    assert all(isinstance(r, (InfoRequest, NuvoError)) for r in results), results
    assert ApplicationEvent.objects.filter(kind=ApplicationEvent.Kind.INFO_RECEIVED).count() == 1


def wait_for(predicate, timeout: float = 45.0, interval: float = 0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return None


@pytest.mark.worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_request_info_email_is_sent_by_a_real_worker_over_redis(
    analyst, make_application, celery_worker_process
):
    mail_dir, worker_log = celery_worker_process
    application = make_application()

    info_request = services.application_request_info(
        member=analyst,
        application=application,
        items=[InfoRequest.Item.TAX_EXEMPTION_CERTIFICATES],
        message="Sent through the worker.",
    )

    sent = wait_for(lambda: list(mail_dir.glob("*.log")) if mail_dir.exists() else None)
    assert sent, worker_log.read_text()[-3000:]
    body = sent[0].read_text()
    assert "Sent through the worker." in body
    assert "To: maria@lonestar.example" in body
    info_request.refresh_from_db()
    assert info_request.email_sent_at is not None
