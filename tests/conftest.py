"""Shared fixtures, and the test tiers.

Tiers: the default run (SQLite, Celery eager) deselects tests marked `postgres` or `worker`; the
PostgreSQL tier runs them with DATABASE_URL and CELERY_BROKER_URL set. `NUVO_REQUIRE_TIERS`
(set by .ci/run) turns a missing service into a failure instead of a deselection, and in CI
(`CI=true`) a missing browser fails the `e2e` tests instead of skipping them.
"""

import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client

from creditapps.models import CreditApplication, Customer
from nuvo.celery import app as celery_app
from nuvo.models import Membership, Organization
from nuvo.roles import Member, Role, member_for
from tests.pdf_factory import make_pdf

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
IN_CI = os.environ.get("CI", "").lower() == "true"
REQUIRED_TIERS = {t for t in os.environ.get("NUVO_REQUIRE_TIERS", "").split(",") if t}


def _tier_available(tier: str) -> tuple[bool, str]:
    if tier == "postgres":
        return connection.vendor == "postgresql", "DATABASE_URL is not a PostgreSQL database"
    if tier == "worker":
        from django.conf import settings

        return not settings.CELERY_TASK_ALWAYS_EAGER, "CELERY_BROKER_URL is not set"
    return True, ""


def pytest_collection_modifyitems(config, items):
    selected, deselected = [], []
    for item in items:
        missing = [
            reason
            for tier in ("postgres", "worker")
            if item.get_closest_marker(tier)
            for available, reason in [_tier_available(tier)]
            if not available
        ]
        (deselected if missing else selected).append(item)
    for tier in REQUIRED_TIERS:
        available, reason = _tier_available(tier)
        if not available:
            raise pytest.UsageError(f"The {tier} tier is required but unavailable: {reason}.")
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


def pytest_configure(config):
    # Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
    # between browser steps are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _isolated_media_and_eager_tasks(request, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    eager = request.node.get_closest_marker("worker") is None
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    """Rate-limit and throttle counts start at zero in every test, in this process's memory.

    Never the configured cache: clearing a Redis cache would empty someone else's database.
    """
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


# People and organizations


@pytest.fixture
def organization(db) -> Organization:
    return Organization.objects.create(name="Acme Supply Co.", slug="acme")


@pytest.fixture
def other_organization(db) -> Organization:
    return Organization.objects.create(name="Rival Distribution", slug="rival")


@pytest.fixture
def make_user(db, organization):
    def make(username: str, *roles: str, org: Organization | None = None):
        user = get_user_model().objects.create_user(
            username=username,
            password="correct-horse-battery",
            first_name=username.title(),
            email=f"{username}@example.com",
        )
        for role in roles:
            Membership.objects.create(user=user, organization=org or organization, role=role)
        return user

    return make


@pytest.fixture
def analyst_user(make_user):
    return make_user("analyst", Role.CREDIT_ANALYST)


@pytest.fixture
def approver_user(make_user):
    return make_user("approver", Role.APPROVER)


@pytest.fixture
def admin_user(make_user):
    return make_user("admin", Role.ADMIN)


@pytest.fixture
def outsider_user(make_user, other_organization):
    return make_user(
        "outsider", Role.ADMIN, Role.CREDIT_ANALYST, Role.APPROVER, org=other_organization
    )


@pytest.fixture
def analyst(analyst_user) -> Member:
    return member_for(analyst_user)


@pytest.fixture
def approver(approver_user) -> Member:
    return member_for(approver_user)


@pytest.fixture
def admin_member(admin_user) -> Member:
    return member_for(admin_user)


@pytest.fixture
def outsider(outsider_user) -> Member:
    return member_for(outsider_user)


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def analyst_client(analyst_user) -> Client:
    return _client_for(analyst_user)


@pytest.fixture
def approver_client(approver_user) -> Client:
    return _client_for(approver_user)


@pytest.fixture
def admin_client_member(admin_user) -> Client:
    return _client_for(admin_user)


@pytest.fixture
def outsider_client(outsider_user) -> Client:
    return _client_for(outsider_user)


# Customers and applications


@pytest.fixture
def make_customer(organization):
    def make(org: Organization | None = None, **fields) -> Customer:
        defaults = {
            "legal_name": "Lone Star Restaurant Supply LLC",
            "contact_name": "Maria Gonzales",
            "email": "maria@lonestar.example",
            "address_line1": "1200 E 5th St",
            "city": "Austin",
            "region": "TX",
            "postal_code": "78702",
            "country": "US",
        }
        return Customer.objects.create(organization=org or organization, **{**defaults, **fields})

    return make


@pytest.fixture
def customer(make_customer) -> Customer:
    return make_customer()


@pytest.fixture
def make_application(customer):
    def make(status: str = CreditApplication.Status.SUBMITTED, **fields) -> CreditApplication:
        target = fields.pop("customer", customer)
        defaults = {
            "requested_credit_limit": Decimal("50000.00"),
            "requested_terms": CreditApplication.Terms.NET_30,
            "submitted_at": None
            if status == CreditApplication.Status.DRAFT
            else datetime(2026, 11, 2, 9, 30, tzinfo=UTC),
        }
        return CreditApplication.objects.create(
            organization_id=target.organization_id,
            customer=target,
            status=status,
            **{**defaults, **fields},
        )

    return make


@pytest.fixture
def application(make_application) -> CreditApplication:
    return make_application()


@pytest.fixture
def pdf_bytes() -> bytes:
    return make_pdf(pages=2, text="Texas Sales and Use Tax Resale Certificate")


# A real worker (the worker tier)


@contextmanager
def worker_process(folder: Path, *, broker_url: str | None = None, **env_overrides: str):
    """A real `celery worker` subprocess on the test database, sending email to files; yields
    the process (a test may kill it) and its log. `env_overrides` are its environment variables.

    It reaches Avalara at the test's AVALARA_BASE_URL (request the simulator first).
    """
    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
        f"{database['PORT']}/{database['NAME']}"
    )
    assert dj_database_url.parse(url)["NAME"] == database["NAME"]
    folder.mkdir(parents=True, exist_ok=True)
    log_path = folder / "worker.log"
    log = log_path.open("a")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "CELERY_BROKER_URL": broker_url or settings.CELERY_BROKER_URL,
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(folder / "mail"),
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "AVALARA_BASE_URL": settings.AVALARA_BASE_URL,
        **env_overrides,
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "nuvo",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            settings.CELERY_TASK_DEFAULT_QUEUE,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield worker, log_path
    finally:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
        log.close()


@pytest.fixture
def celery_worker_process(tmp_path):
    """A real worker for the test (see worker_process); yields its mail folder and log."""
    with worker_process(tmp_path) as (_worker, log_path):
        yield tmp_path / "mail", log_path


# Browser


@pytest.fixture(scope="session")
def browser_type_launch_args():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)."
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return {
        "executable_path": CHROMIUM,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }
