"""The abuse limits' settings and helpers: the cache they count on, rates, the client's IP."""

import pytest
from django.test import Client, RequestFactory

from nuvo.abuse import client_ip, wait_in_words
from tests.creditapps.test_api import token_client
from tests.creditapps.test_views import _public_form_data
from tests.form_tokens import public_apply_token
from tests.test_project import run_python


def test_the_cache_is_redis_when_configured_and_local_memory_otherwise():
    code = "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'])"

    redis = run_python(code, NUVO_CACHE_URL="redis://127.0.0.1:6379/3")
    local = run_python(code, NUVO_CACHE_URL="", REDIS_URL="")

    assert redis.stdout.split() == ["nuvo.cache.FailOpenRedisCache"], redis.stderr
    assert local.stdout.split() == ["django.core.cache.backends.locmem.LocMemCache"], local.stderr


def test_a_malformed_rate_setting_is_explained():
    result = run_python(
        "from django.conf import settings; settings.DEBUG", NUVO_PUBLIC_RATE_PER_IP="lots"
    )

    assert "NUVO_PUBLIC_RATE_PER_IP must be a rate such as 20/h, or off" in result.stderr


def test_an_unreachable_redis_lets_requests_through_and_says_so(
    organization, analyst_user, settings, caplog
):
    # Port 1 refuses at once: no Redis anyone uses is touched.
    settings.CACHES = {
        "default": {"BACKEND": "nuvo.cache.FailOpenRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    settings.NUVO_PUBLIC_RATE_PER_IP = "1/h"
    url = organization.get_public_form_url()

    applied = [
        Client().post(url, _public_form_data(form_token=public_apply_token(organization)))
        for _ in range(2)
    ]
    applied = [response.status_code for response in applied]
    api = token_client(analyst_user).get("/api/v1/customers/")

    assert applied == [302, 302]
    assert api.status_code == 200
    assert "cache unreachable, abuse limits not counted: ConnectionError" in caplog.text


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "10.0.0.9", "203.0.113.7"),
        (1, "10.0.0.9", "10.0.0.9"),
        (1, "6.6.6.6, 10.0.0.9", "10.0.0.9"),
        (2, "6.6.6.6, 10.0.0.9", "6.6.6.6"),
        (3, "10.0.0.9", "10.0.0.9"),
        (1, "", "203.0.113.7"),
    ],
)
def test_client_ip_trusts_only_the_configured_proxies(settings, proxies, forwarded, expected):
    settings.NUVO_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(1, "a minute"), (60, "a minute"), (61, "2 minutes"), (3599, "60 minutes"), (7200, "2 hours")],
)
def test_waits_are_said_in_words(seconds, words):
    assert wait_in_words(seconds) == words
