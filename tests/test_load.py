"""A short, bounded run of benchmarks/load.py on real servers: correctness only, no figures.

gunicorn and two Celery workers on PostgreSQL and Redis (the worker tier's services), analysts
sending and browsing at once: every send finishes, no HTTP error, nothing duplicated or lost.
"""

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.worker
@pytest.mark.postgres
def test_sending_while_browsing_loses_and_duplicates_nothing():
    database = settings.DATABASES["default"]
    server = (
        f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
        f"{database['PORT']}"
    )
    finished = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "load.py"),
            *("--customers", "10", "--certificates", "2", "--browsers", "2", "--senders", "3"),
            *("--latency-ms", "5", "--timeout", "240", "--check"),
            *("--postgres", server, "--redis", settings.CELERY_BROKER_URL),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=420,
        check=False,
    )

    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]
    assert "duplicates 0, certificates not sent 0" in finished.stdout
    assert "HTTP errors 0" in finished.stdout
