"""Brute force: login lockout (django-axes), password-reset throttling, API throttles."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tests.creditapps.test_api import token_client

LOGIN = "/accounts/login/"
RIGHT = "correct-horse-battery"


def _log_in(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


# Login lockout


def test_sixty_wrong_passwords_then_the_right_one_does_not_log_in(analyst_user):
    # The probe's figure: 60 wrong logins, then the right password succeeded.
    client = Client(REMOTE_ADDR="203.0.113.7")

    wrong = [_log_in(client, "analyst", f"guess-{n}").status_code for n in range(60)]
    right = _log_in(client, "analyst", RIGHT)

    assert wrong[:4] == [200] * 4
    assert set(wrong[5:]) == {429}
    assert right.status_code == 429
    assert SESSION_KEY not in client.session
    page = right.content.decode()
    assert "Log-in paused" in page
    assert "paused for 15 minutes" in page
    assert right["Retry-After"] == "900"


def test_the_fifth_failure_locks_and_the_lock_lifts_after_the_cool_off(analyst_user):
    client = Client(REMOTE_ADDR="203.0.113.7")
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        statuses = [_log_in(client, "analyst", "wrong").status_code for _ in range(5)]
        locked = _log_in(client, "analyst", RIGHT)
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        later = _log_in(client, "analyst", RIGHT)

    assert statuses == [200, 200, 200, 200, 429]
    assert locked.status_code == 429
    assert later.status_code == 302
    assert client.session[SESSION_KEY] == str(analyst_user.pk)


def test_a_lockout_holds_one_user_at_one_address_only(analyst_user, approver_user):
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(5):
        _log_in(attacker, "analyst", "wrong")

    from_the_office = _log_in(Client(REMOTE_ADDR="198.51.100.20"), "analyst", RIGHT)
    other_user_same_address = _log_in(attacker, "approver", RIGHT)

    assert from_the_office.status_code == 302
    assert other_user_same_address.status_code == 302


def test_a_successful_login_clears_earlier_failures(analyst_user):
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(4):
        _log_in(client, "analyst", "typo")
    assert _log_in(client, "analyst", RIGHT).status_code == 302
    client.post("/accounts/logout/")

    statuses = [_log_in(client, "analyst", "typo").status_code for _ in range(4)]

    assert statuses == [200] * 4
    assert _log_in(client, "analyst", RIGHT).status_code == 302


def test_the_admin_login_is_locked_out_as_well(make_user):
    operator = make_user("operator")
    operator.is_staff = operator.is_superuser = True
    operator.save()
    client = Client(REMOTE_ADDR="203.0.113.7")
    form = {"username": "operator", "next": "/admin/"}

    for _ in range(5):
        client.post("/admin/login/", {**form, "password": "wrong"})
    response = client.post("/admin/login/", {**form, "password": RIGHT})

    assert response.status_code == 429
    assert SESSION_KEY not in client.session


# Password reset


def _ask_reset(client: Client, email: str):
    return client.post(reverse("password_reset"), {"email": email})


def test_ten_reset_requests_send_three_emails(analyst_user):
    # The probe's figure: 10 password-reset posts sent 10 emails.
    client = Client(REMOTE_ADDR="203.0.113.7")

    responses = [_ask_reset(client, "analyst@example.com") for _ in range(10)]

    assert [r.status_code for r in responses] == [302] * 10
    assert {r["Location"] for r in responses} == {reverse("password_reset_done")}
    assert len(mail.outbox) == 3


def test_an_address_is_counted_whatever_the_client_or_the_letter_case(analyst_user):
    addresses = ["analyst@example.com", " ANALYST@example.com"] * 5

    for n, address in enumerate(addresses):
        _ask_reset(Client(REMOTE_ADDR=f"198.51.100.{n}"), address)

    assert len(mail.outbox) == 3


def test_reset_requests_from_one_address_stop_at_the_address_limit(make_user):
    users = [make_user(f"person{n}") for n in range(10)]
    client = Client(REMOTE_ADDR="203.0.113.7")

    responses = [_ask_reset(client, user.email) for user in users]

    assert [r.status_code for r in responses] == [302] * 10
    assert sorted(message.to[0] for message in mail.outbox) == [
        f"person{n}@example.com" for n in range(5)
    ]


def test_a_limited_reset_answers_exactly_like_an_unknown_address(analyst_user, settings):
    settings.NUVO_PASSWORD_RESET_RATE_PER_EMAIL = "1/h"
    _ask_reset(Client(REMOTE_ADDR="203.0.113.7"), "analyst@example.com")

    limited = _ask_reset(Client(REMOTE_ADDR="203.0.113.8"), "analyst@example.com")
    unknown = _ask_reset(Client(REMOTE_ADDR="203.0.113.9"), "nobody@example.com")

    assert (limited.status_code, limited["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1


# API throttles


@pytest.fixture
def tight_api_rates():
    # DRF copies DEFAULT_THROTTLE_RATES into the throttle class when it is imported.
    with mock.patch.dict(SimpleRateThrottle.THROTTLE_RATES, {"user": "3/min", "anon": "1/min"}):
        yield


def test_api_throttles_a_user_with_the_usual_error_body(analyst_user, tight_api_rates):
    api = token_client(analyst_user)

    statuses = [api.get("/api/v1/customers/").status_code for _ in range(4)]
    refused = api.get("/api/v1/customers/")

    assert statuses == [200, 200, 200, 429]
    assert refused.json() == {
        "code": "throttled",
        "detail": "Request was throttled. Expected available in 60 seconds.",
    }
    assert refused["Retry-After"] == "60"


def test_api_throttles_anonymous_calls_by_address(tight_api_rates):
    first = APIClient(REMOTE_ADDR="203.0.113.7").get("/api/schema/")
    second = APIClient(REMOTE_ADDR="203.0.113.7").get("/api/schema/")
    elsewhere = APIClient(REMOTE_ADDR="203.0.113.8").get("/api/schema/")

    assert (first.status_code, second.status_code, elsewhere.status_code) == (200, 429, 200)
    assert int(second["Retry-After"]) > 0


def test_api_throttle_rates_and_proxies_come_from_the_settings(settings):
    rest = settings.REST_FRAMEWORK

    assert rest["DEFAULT_THROTTLE_RATES"] == {"anon": "60/min", "user": "600/min"}
    assert rest["NUM_PROXIES"] == 0
