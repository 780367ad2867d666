"""The Avalara password/license key never leaves the database, each channel captured.

Logs at DEBUG, every page and API response, the Celery messages a broker would hold, the DEBUG
technical 500 page of a Connect that fails unexpectedly, and the Django admin.
(tests/integrations/test_connection.py covers the connect and test flows' events, repr and
logs; the AvaTax client's own errors are in test_avalara_client_secrets_and_logging.py.)
"""

import base64
import json
import logging

import pytest
import requests
from django.contrib.auth import get_user_model
from django.db import connection as db_connection
from django.test import Client
from django.urls import reverse
from django.views.debug import ExceptionReporter
from kombu.serialization import dumps

from integrations import services, tasks
from integrations.models import AvalaraConnection
from nuvo.celery import app as celery_app
from nuvo.models import Membership
from tests.integrations.sending.helpers import DEMO_USER, add_certificate
from tests.security.access import client_for, request, user_with
from tests.security.conftest import SECRET
from tests.security.test_url_access import ALL_ROLES, REGISTRY, path_of

BASIC = base64.b64encode(f"{DEMO_USER}:{SECRET}".encode()).decode()
CONNECT = reverse("integrations:avalara-connect")


def stored_ciphertext() -> str:
    with db_connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM integrations_avalaraconnection")
        return cursor.fetchone()[0]


def leaks(text: str | bytes) -> list[str]:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    found = [name for name, value in (("secret", SECRET), ("basic auth", BASIC)) if value in text]
    ciphertext = stored_ciphertext() if AvalaraConnection.objects.exists() else ""
    if ciphertext and ciphertext in text:
        found.append("ciphertext")
    return found


def crash(adapter, prepared, **kwargs):
    raise RuntimeError("the wire broke in an unexpected way")


@pytest.fixture
def messages(monkeypatch):
    """The messages Celery would hand the broker (tasks queue instead of running eagerly)."""
    sent = []

    def record(producer, name, message, **options):
        body = dumps(message.body, serializer="json")[2]
        sent.append((name, json.dumps(message.headers, default=str) + body))

    celery_app.conf.task_always_eager = False  # the autouse fixture restores it
    monkeypatch.setattr(celery_app.amqp, "send_task_message", record)
    return sent


def test_no_log_line_holds_the_secret_at_debug(
    world, admin_client_member, admin_member, caplog, capsys, committed, send
):
    caplog.set_level(logging.DEBUG)

    admin_client_member.post(
        CONNECT, {"environment": "sandbox", "username": DEMO_USER, "password": SECRET + "-typo"}
    )
    with committed():
        admin_client_member.post(
            CONNECT, {"environment": "sandbox", "username": DEMO_USER, "password": SECRET}
        )
        admin_client_member.post(reverse("integrations:avalara-test"))
        admin_client_member.post(reverse("integrations:avalara-sync"))
    add_certificate(world.customer_two)
    send(admin_member, world.customer_two)
    tasks.check_avalara_connection(AvalaraConnection.objects.get().pk)
    captured = capsys.readouterr()

    assert caplog.records
    assert [leaks(text) for text in (caplog.text, captured.out, captured.err)] == [[], [], []]


def test_no_page_or_api_response_shows_the_secret(world):
    reader = user_with("reader", *ALL_ROLES, organization=world.organization)
    seen = {}

    for key, access in sorted(REGISTRY.items()):
        if access.kind in ("member", "api") and "get" in access.methods:
            client = client_for(access, reader)
            response = request(client, access, "get", path_of(key, world), world)
            assert response.status_code in (200, 302), key
            seen[key] = leaks(b"".join(response) if response.streaming else response.content)

    assert len(seen) > 30
    assert {key: found for key, found in seen.items() if found} == {}


def test_task_messages_carry_ids_never_the_secret(
    world, admin_client_member, admin_member, messages, committed, send
):
    with committed():
        admin_client_member.post(
            CONNECT, {"environment": "sandbox", "username": DEMO_USER, "password": SECRET}
        )
        admin_client_member.post(reverse("integrations:avalara-sync"))
        add_certificate(world.customer_two)
        send(admin_member, world.customer_two)
    tasks.check_avalara_connections()

    names = sorted({name for name, _ in messages})
    assert names == [
        "integrations.tasks.check_avalara_connection",
        "integrations.tasks.refresh_avalara_definitions_for",
        "integrations.tasks.send_customer_to_avalara",
        "integrations.tasks.sync_certificate_status_for",
    ]
    assert [leaks(text) for _, text in messages] == [[]] * len(messages)


def test_the_debug_error_page_of_a_failing_connect_hides_the_secret(
    world, admin_client_member, settings, monkeypatch
):
    """An unexpected failure deep in the HTTP call, with DEBUG on: Django's technical 500 page."""
    settings.DEBUG = True

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", crash)
    admin_client_member.raise_request_exception = False

    response = admin_client_member.post(
        CONNECT, {"environment": "sandbox", "username": DEMO_USER, "password": SECRET}
    )

    body = response.content.decode()
    assert response.status_code == 500
    assert "the wire broke in an unexpected way" in body
    assert "validate_credentials" in body  # the service's frames are on the page
    assert "Local vars" in body
    assert leaks(body) == []


def test_the_error_report_of_a_failing_connect_hides_the_secret(
    world, admin_client_member, monkeypatch, caplog
):
    """DEBUG off: the report logged (and mailed to ADMINS) for the same failure."""

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", crash)
    admin_client_member.raise_request_exception = False
    caplog.set_level(logging.ERROR, logger="django.request")

    response = admin_client_member.post(
        CONNECT, {"environment": "sandbox", "username": DEMO_USER, "password": SECRET}
    )

    (record,) = [r for r in caplog.records if r.name == "django.request"]
    report = ExceptionReporter(record.request, *record.exc_info, is_email=True)
    assert response.status_code == 500
    assert "validate_credentials" in report.get_traceback_text()
    assert leaks(report.get_traceback_text()) == []
    assert leaks(report.get_traceback_html()) == []


def test_the_connect_service_hides_the_secret_without_a_view_around_it(
    world, admin_member, monkeypatch
):
    """A shell, a command or a task calling the service: its own frames are marked sensitive."""
    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", crash)

    with pytest.raises(RuntimeError) as caught:
        services.avalara_connect(
            member=admin_member, environment="sandbox", username=DEMO_USER, password=SECRET
        )

    page = ExceptionReporter(None, caught.type, caught.value, caught.tb).get_traceback_html()
    assert "avalara_connect" in page
    assert "Local vars" in page
    assert leaks(page) == []


def test_the_django_admin_never_shows_the_secret(world):
    operator = get_user_model().objects.create_superuser("operator", "op@example.com", "x" * 20)
    assert not Membership.objects.filter(user=operator).exists()
    client = Client()
    client.force_login(operator)
    pk = AvalaraConnection.objects.get().pk
    pages = {
        name: client.get(reverse(f"admin:integrations_avalaraconnection_{name}", args=args))
        for name, args in [
            ("changelist", []),
            ("change", [pk]),
            ("history", [pk]),
            ("delete", [pk]),
        ]
    }
    pages["events"] = client.get(reverse("admin:integrations_integrationevent_changelist"))
    pages["calls"] = client.get(reverse("admin:integrations_avalaracall_changelist"))

    assert {name: page.status_code for name, page in pages.items()} == dict.fromkeys(pages, 200)
    assert DEMO_USER in pages["changelist"].content.decode()
    assert {name: leaks(page.content) for name, page in pages.items()} == {
        name: [] for name in pages
    }
    assert AvalaraConnection.objects.get().secret == SECRET
