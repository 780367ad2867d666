"""Queuing a task for work whose own rows are the record, so that a broker outage loses nothing."""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

# A user's request must not hang on a broker that is down: two quick retries, then give up.
PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}


def enqueue_on_commit(task, *args) -> None:
    """Queue `task(*args)` once the transaction commits; if the broker cannot take it, log and go
    on. Only for tasks a beat task queues again from their rows (a send left "queued" is resumed
    by resume_stalled_avalara_sends), so the user's action still stands."""

    def publish() -> None:
        try:
            task.apply_async(args, retry=True, retry_policy=PUBLISH_RETRY)
        except OperationalError as error:
            logger.warning(
                "task not queued, the broker is unreachable; it will be resumed task=%s args=%s "
                "error=%s",
                task.name,
                args,
                error,
            )

    transaction.on_commit(publish)
