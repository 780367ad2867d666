"""The project around the code: settings, demo data, docker-compose, the API schema."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.http import HttpRequest

from creditapps.demo import DEMO_CUSTOMERS
from creditapps.models import CreditApplication, Customer
from nuvo.models import Membership
from nuvo.roles import member_for

ROOT = Path(__file__).resolve().parents[1]


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NUVO_"))}

    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "nuvo.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_settings_run_with_no_environment_on_local_defaults():
    result = run_python(
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER,"
        " s.AVALARA_BASE_URL)",
        DATABASE_URL="",
        CELERY_BROKER_URL="",
        REDIS_URL="",
    )

    assert result.stdout.split() == [
        "True",
        "django.db.backends.sqlite3",
        "True",
        "http://127.0.0.1:8765",
    ], result.stderr


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off."),
        ("NUVO_ENCRYPTION_KEYS", "NUVO_ENCRYPTION_KEYS must be set when DJANGO_DEBUG is off."),
    ],
)
def test_production_settings_refuse_missing_secrets(missing, message):
    env = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 60,
        "NUVO_ENCRYPTION_KEYS": "hQ4lFM-yDxGQz1GEqPqSCZBy3QIIbMN2vQv3y2ipH6Q=",
    }
    env.pop(missing)

    result = run_python("from django.conf import settings; settings.DEBUG", **env)

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {message}" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "k" * 20 + "-deploy-check-" + "q" * 30,
            "NUVO_ENCRYPTION_KEYS": "hQ4lFM-yDxGQz1GEqPqSCZBy3QIIbMN2vQv3y2ipH6Q=",
            "DJANGO_ALLOWED_HOSTS": "credit.example.com",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_health_check_answers_over_plain_http_in_production():
    """docker-compose's health check calls gunicorn on http://127.0.0.1:8000/healthz."""
    result = run_python(
        "import django; django.setup();"
        "from django.test import Client;"
        "client = Client(HTTP_HOST='127.0.0.1');"
        "print(client.get('/healthz').status_code, client.get('/accounts/login/').status_code)",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x" * 60,
        NUVO_ENCRYPTION_KEYS="hQ4lFM-yDxGQz1GEqPqSCZBy3QIIbMN2vQv3y2ipH6Q=",
        DJANGO_ALLOWED_HOSTS="credit.example.com,127.0.0.1",
        DATABASE_URL="sqlite://:memory:",
    )

    assert result.stdout.split() == ["200", "301"], result.stderr


def test_an_invalid_boolean_setting_is_explained():
    result = run_python("from django.conf import settings; settings.DEBUG", DJANGO_DEBUG="maybe")

    assert "DJANGO_DEBUG must be a boolean" in result.stderr


def test_every_setting_read_from_the_environment_is_documented():
    source = "".join(
        (ROOT / "nuvo" / name).read_text() for name in ("settings.py", "settings_security.py")
    )
    names = set(re.findall(r'env_\w+\("([A-Z0-9_]+)"', source))
    names |= set(re.findall(r'os\.environ\.get\("([A-Z0-9_]+)"', source))
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()

    assert {n for n in names if f"{n}=" not in example} == set()
    assert {n for n in names if f"`{n}`" not in readme} == set()


def test_docker_compose_defines_the_stack_with_health_checks():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]

    assert set(services) == {"web", "worker", "beat", "postgres", "redis"}
    assert all("healthcheck" in service for service in services.values())
    for name in ("web", "worker", "beat"):
        assert "media:/app/media" in services[name]["volumes"], name
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "gunicorn" in services["web"]["command"]
    assert "celery -A nuvo worker" in services["worker"]["command"]
    assert "celery -A nuvo beat" in services["beat"]["command"]
    assert "media" in compose["volumes"]


def test_seed_demo_is_idempotent(db):
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    counts = (Customer.objects.count(), CreditApplication.objects.count())
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115

    assert (Customer.objects.count(), CreditApplication.objects.count()) == counts
    assert counts[0] == len(DEMO_CUSTOMERS) >= 6


def test_seed_demo_creates_the_demo_users_and_states(db):
    from django.contrib.auth import authenticate

    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115

    roles = {
        username: member_for(
            authenticate(HttpRequest(), username=username, password="nuvo-demo")
        ).roles
        for username in ("admin", "analyst", "approver")
    }
    assert roles == {
        "admin": {Membership.Role.ADMIN},
        "analyst": {Membership.Role.CREDIT_ANALYST},
        "approver": {Membership.Role.APPROVER},
    }
    statuses = set(CreditApplication.objects.values_list("status", flat=True))
    assert statuses == set(CreditApplication.Status.values)
    assert Customer.objects.filter(certificates__isnull=True).exists()
    failing = Customer.objects.get(legal_name="Northwind Outfitters")
    assert failing.city == ""
    assert len(failing.address_line1) > 50
    assert (
        Customer.objects.filter(certificates__isnull=False).values("region").distinct().count() >= 4
    )


def test_api_schema_validates_without_warnings(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--file",
            str(tmp_path / "schema.yml"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr


def test_ci_runs_the_readmes_test_command():
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"```sh\n(python3 -m venv[^\n]+)\n```", readme)
    ci = (ROOT / ".ci/run").read_text()

    assert len(commands) == 2, commands
    run_command, test_command = commands
    assert "manage.py run_local" in run_command
    assert test_command in ci


def test_every_model_has_a_working_admin_page(db, client, django_user_model):
    from django.apps import apps
    from django.contrib import admin

    client.force_login(
        django_user_model.objects.create_superuser("root", "root@example.com", "pw-for-root")
    )
    ours = [
        model
        for model in apps.get_models()
        if model._meta.app_label in {"nuvo", "creditapps", "certificates", "integrations"}
    ]

    assert [m.__name__ for m in ours if m not in admin.site._registry] == []
    for model in ours:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert client.get(url).status_code == 200, url


def test_seed_demo_keeps_the_django_admin_for_the_platform_operator(db, client):
    from django.contrib.auth import get_user_model

    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    users = get_user_model().objects

    operator = users.get(username="operator")
    assert (operator.is_staff, operator.is_superuser) == (True, True)
    assert not operator.memberships.exists()
    for username in ("admin", "analyst", "approver"):
        assert not users.get(username=username).is_staff
    assert client.login(request=HttpRequest(), username="admin", password="nuvo-demo")
    assert client.get("/admin/").status_code == 302
    assert client.login(request=HttpRequest(), username="operator", password="nuvo-demo")
    assert client.get("/admin/").status_code == 200
