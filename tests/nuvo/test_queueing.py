"""Queuing on commit: a broker that cannot take a task is logged, and the action still stands."""

import pytest
from kombu.exceptions import OperationalError

from nuvo.queueing import enqueue_on_commit

pytestmark = pytest.mark.django_db


class FakeTask:
    name = "tests.fake"

    def __init__(self, fails: bool):
        self.fails, self.published = fails, []

    def apply_async(self, args, **options):
        if self.fails:
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        self.published.append((args, options["retry_policy"]["max_retries"]))


def test_the_task_is_published_once_the_transaction_commits(django_capture_on_commit_callbacks):
    task = FakeTask(fails=False)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue_on_commit(task, 7)
        assert task.published == []  # not before the commit

    assert len(callbacks) == 1
    assert task.published == [((7,), 2)]


def test_a_broker_that_is_down_is_logged_not_raised(django_capture_on_commit_callbacks, caplog):
    task = FakeTask(fails=True)

    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(task, 7)

    assert "task not queued, the broker is unreachable" in caplog.text
    assert "tests.fake" in caplog.text
