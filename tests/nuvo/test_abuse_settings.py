"""The abuse limits' settings and helpers: the cache they count on, rates, the client's IP."""

import pytest
from django.test import RequestFactory

from nuvo.abuse import client_ip, wait_in_words
from tests.test_project import run_python


def test_the_cache_is_redis_when_configured_and_local_memory_otherwise():
    code = "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'])"

    redis = run_python(code, NUVO_CACHE_URL="redis://127.0.0.1:6379/3")
    local = run_python(code, NUVO_CACHE_URL="", REDIS_URL="")

    assert redis.stdout.split() == ["django.core.cache.backends.redis.RedisCache"], redis.stderr
    assert local.stdout.split() == ["django.core.cache.backends.locmem.LocMemCache"], local.stderr


def test_a_malformed_rate_setting_is_explained():
    result = run_python(
        "from django.conf import settings; settings.DEBUG", NUVO_PUBLIC_RATE_PER_IP="lots"
    )

    assert "NUVO_PUBLIC_RATE_PER_IP must be a rate such as 20/h, or off" in result.stderr


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
