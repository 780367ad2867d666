"""Shared set-up for the benchmarks: Django on a throwaway SQLite database and media folder."""

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_on_a_scratch_database() -> Path:
    """Point Nuvo at a fresh SQLite file and media folder, migrate, and return the folder."""
    scratch = Path(tempfile.mkdtemp(prefix="nuvo-bench-"))
    atexit.register(shutil.rmtree, scratch, ignore_errors=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nuvo.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'bench.sqlite3'}"
    os.environ["DJANGO_MEDIA_ROOT"] = str(scratch / "media")
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return scratch


def padded_pdf(title: str, size_bytes: int) -> bytes:
    """A one-page certificate PDF carrying `size_bytes` of incompressible data (a scanned look)."""
    from io import BytesIO

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    from certificates.documents import render_text_pdf

    writer = PdfWriter(clone_from=PdfReader(BytesIO(render_text_pdf(title, ["Benchmark"]))))
    blob = DecodedStreamObject()
    blob.set_data(os.urandom(size_bytes))
    writer._root_object[NameObject("/NuvoBenchmarkPadding")] = writer._add_object(blob)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def free_port() -> int:
    """A loopback port nothing listens on now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SimulatorProcess:
    """The simulator in a process of its own, as Avalara is: it must not share our GIL."""

    def __init__(self, *, latency_ms: int = 0, port: int | None = None) -> None:
        import subprocess

        if port is None:
            port = free_port()
        self.base_url = f"http://127.0.0.1:{port}"
        self._process = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "avalara_simulator",
                "--port",
                str(port),
                "--latency-ms",
                str(latency_ms),
                "--provisioning-delay",
                "0",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        import time
        import urllib.request

        for _ in range(100):
            try:
                urllib.request.urlopen(f"{self.base_url}/_simulator", timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the simulator did not start")

    def _call(self, method: str, path: str, body: dict | None = None):
        import json
        import urllib.request

        request = urllib.request.Request(
            f"{self.base_url}{path}",
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")

    def request_count(self) -> int:
        return self._call("GET", "/_simulator/requests")["count"]

    def clear_requests(self) -> None:
        self._call("DELETE", "/_simulator/requests")

    def stop(self) -> None:
        self._process.terminate()
        self._process.wait(timeout=10)


def django_on_benchmark_databases(aliases: tuple[str, ...], routers: list) -> str:
    """A throwaway database per alias, migrated; returns which engine ("SQLite"/"PostgreSQL").

    PostgreSQL when DATABASE_URL names one: `test_<name>_<alias>` databases are created there
    (as the test runner does) and dropped at exit, so the named database is never written to.
    Otherwise SQLite files in a scratch folder.
    """
    scratch = Path(tempfile.mkdtemp(prefix="nuvo-bench-"))
    atexit.register(shutil.rmtree, scratch, ignore_errors=True)
    url = os.environ.get("DATABASE_URL", "")
    on_postgres = url.startswith(("postgres://", "postgresql://"))
    if not on_postgres:
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'unused.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nuvo.settings")
    os.environ["DJANGO_MEDIA_ROOT"] = str(scratch / "media")
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    base = settings.DATABASES["default"]
    for alias in aliases:
        name = f"test_{base['NAME']}_{alias}" if on_postgres else str(scratch / f"{alias}.sqlite3")
        settings.DATABASES[alias] = {**base, "TEST": {"NAME": name}}
    settings.DATABASE_ROUTERS = routers
    django.setup()
    from django.db import connections

    for alias in aliases:
        named = connections[alias].settings_dict["NAME"]
        connections[alias].creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        atexit.register(connections[alias].creation.destroy_test_db, named, verbosity=0)
    return "PostgreSQL" if on_postgres else "SQLite"
