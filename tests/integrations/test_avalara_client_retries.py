"""Retries through the real urllib3 adapter, against a scripted loopback server.

`responses` replaces the adapter, so it shows neither urllib3's Retry waits nor its error retries.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests

from integrations.avalara import (
    AvalaraConnectionError,
    AvalaraResponseError,
    AvaTaxClient,
    ErrorCode,
)
from tests.integrations.avalara_helpers import (
    BASIC_AUTH,
    CERTIFICATE_INPUT,
    CLIENT_HEADER,
    COMPANY_ID,
    CUSTOMER_CODE,
    CUSTOMER_INPUT,
    FIXTURES,
    make_client,
)

# The fixtures this module uses (pytest finds them here); `sleeps` is autouse.
from tests.integrations.avalara_helpers import sleeps_fixture as sleeps_fixture


@dataclass
class Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class ScriptedServer:
    """A loopback HTTP server answering each request with the next scripted reply."""

    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.received: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        scripted = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                reply = scripted.next_reply(self.command, self.path, dict(self.headers), body)
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (read timeout)

            do_GET = do_POST = do_PUT = do_DELETE = answer

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def script(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def next_reply(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        with self._lock:
            self.received.append({"method": method, "path": path, "headers": headers})
            if self.replies:
                return self.replies.pop(0)
            return Reply(599, b"unscripted request")

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as scripted:
        yield scripted


def loopback_client(url: str, **overrides: Any) -> AvaTaxClient:
    session = requests.Session()
    session.trust_env = False  # no proxy between us and 127.0.0.1
    options: dict[str, Any] = {"base_url": url, "backoff_jitter": 0.0, "session": session}
    options.update(overrides)
    return make_client(**options)


def json_reply(status: int, fixture: str, **headers: str) -> Reply:
    return Reply(
        status, (FIXTURES / fixture).read_bytes(), {"Content-Type": "application/json", **headers}
    )


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_get_is_retried_on_500_with_exponential_backoff_then_succeeds(server, sleeps) -> None:
    server.script(
        Reply(500, b"oops"),
        Reply(500, b"oops"),
        Reply(500, b"oops"),
        json_reply(200, "ping_authenticated.json"),
    )

    result = loopback_client(server.url).ping()

    assert result.authenticated is True
    assert len(server.received) == 4
    assert sleeps == [1.0, 2.0]  # urllib3 retries the first failure at once, then 0.5 * 2**n
    first = server.received[0]
    assert (first["method"], first["path"]) == ("GET", "/api/v2/utilities/ping")
    assert first["headers"]["Authorization"] == BASIC_AUTH
    assert first["headers"]["X-Avalara-Client"] == CLIENT_HEADER


def test_get_gives_up_after_max_retries_with_the_last_answer(server, sleeps, caplog) -> None:
    caplog.set_level(logging.INFO, logger="nuvo.avalara")
    server.script(*[Reply(500, b"oops") for _ in range(4)])

    with pytest.raises(AvalaraResponseError) as caught:
        loopback_client(server.url).get_certificate_setup(COMPANY_ID)

    assert (caught.value.code, caught.value.retryable, caught.value.http_status) == (
        ErrorCode.UNKNOWN_ERROR,
        True,
        500,
    )
    assert len(server.received) == 4
    assert sleeps == [1.0, 2.0]
    assert "(attempts 4, x-correlation-id -)" in caplog.records[-1].getMessage()


def test_backoff_adds_bounded_jitter(server, sleeps) -> None:
    server.script(Reply(503), Reply(503), json_reply(200, "ping_authenticated.json"))

    loopback_client(server.url, backoff_jitter=0.5).ping()

    assert len(sleeps) == 1
    assert 1.0 <= sleeps[0] <= 1.5


def test_get_429_waits_for_retry_after_capped_at_retry_after_max(server, sleeps) -> None:
    server.script(
        json_reply(429, "error_rate_limited.json", **{"Retry-After": "120"}),
        json_reply(429, "error_rate_limited.json", **{"Retry-After": "2"}),
        json_reply(200, "ping_authenticated.json"),
    )

    result = loopback_client(server.url, retry_after_max=30.0).ping()

    assert result.authenticated is True
    assert sleeps == [30.0, 2.0]
    assert len(server.received) == 3


def test_retry_after_as_an_http_date_is_honoured_and_capped(server, sleeps) -> None:
    in_an_hour = format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)
    server.script(
        json_reply(503, "error_rate_limited.json", **{"Retry-After": in_an_hour}),
        json_reply(200, "ping_authenticated.json"),
    )

    loopback_client(server.url, retry_after_max=12.5).ping()

    assert sleeps == [12.5]


def test_malformed_retry_after_falls_back_to_backoff(server, sleeps) -> None:
    server.script(
        Reply(503, headers={"Retry-After": "soon"}),
        Reply(503, headers={"Retry-After": "soon"}),
        json_reply(200, "ping_authenticated.json"),
    )

    loopback_client(server.url).ping()

    assert sleeps == [1.0]
    assert len(server.received) == 3


def test_put_is_retried_because_it_replaces(server, sleeps) -> None:
    server.script(Reply(503, headers={"Retry-After": "3"}), json_reply(200, "customer.json"))

    customer = loopback_client(server.url).update_customer(
        COMPANY_ID, CUSTOMER_CODE, CUSTOMER_INPUT
    )

    assert customer.customer_code == CUSTOMER_CODE
    assert [request["method"] for request in server.received] == ["PUT", "PUT"]
    assert sleeps == [3.0]


def test_post_500_is_never_retried(server, sleeps) -> None:
    server.script(Reply(500, b"oops"), json_reply(201, "customers_created.json"))

    with pytest.raises(AvalaraResponseError) as caught:
        loopback_client(server.url).create_customers(COMPANY_ID, [CUSTOMER_INPUT])

    assert (caught.value.code, caught.value.retryable) == (ErrorCode.CUSTOMER_CREATION_FAILED, True)
    assert len(server.received) == 1
    assert sleeps == []


def test_post_429_is_not_retried_but_reports_the_capped_retry_after(server, sleeps) -> None:
    server.script(json_reply(429, "error_rate_limited.json", **{"Retry-After": "120"}))

    with pytest.raises(AvalaraResponseError) as caught:
        loopback_client(server.url, retry_after_max=30.0).create_certificates(
            COMPANY_ID, [CERTIFICATE_INPUT]
        )

    assert (caught.value.code, caught.value.retry_after, caught.value.avalara_code) == (
        ErrorCode.UNABLE_TO_CONNECT,
        30.0,
        "RequestLimitExceeded",
    )
    assert len(server.received) == 1
    assert sleeps == []


def test_post_read_timeout_is_not_retried_and_leaves_the_outcome_unknown(server, sleeps) -> None:
    server.script(Reply(201, b"[]", delay=1.0))

    with pytest.raises(AvalaraConnectionError) as caught:
        loopback_client(server.url, timeout=(1.0, 0.2)).create_customers(
            COMPANY_ID, [CUSTOMER_INPUT]
        )

    assert (caught.value.code, caught.value.reason, caught.value.outcome_unknown) == (
        ErrorCode.UNABLE_TO_CONNECT,
        "ReadTimeout",
        True,
    )
    assert len(server.received) == 1
    assert sleeps == []


def test_get_read_timeout_is_retried(server, sleeps) -> None:
    slow = json_reply(200, "ping_authenticated.json")
    slow.delay = 1.0
    server.script(slow, json_reply(200, "ping_authenticated.json"))

    result = loopback_client(server.url, timeout=(1.0, 0.2)).ping()

    assert result.authenticated is True
    assert len(server.received) == 2


@pytest.mark.parametrize(
    "invoke",
    [
        lambda c: c.ping(),
        lambda c: c.create_customers(COMPANY_ID, [CUSTOMER_INPUT]),
    ],
    ids=["GET", "POST"],
)
def test_refused_connection_is_retried_even_for_post_then_unable_to_connect(sleeps, invoke) -> None:
    avatax = loopback_client(f"http://127.0.0.1:{unused_port()}")

    with pytest.raises(AvalaraConnectionError) as caught:
        invoke(avatax)

    assert (caught.value.code, caught.value.retryable, caught.value.outcome_unknown) == (
        ErrorCode.UNABLE_TO_CONNECT,
        True,
        False,
    )
    assert sleeps == [1.0, 2.0]  # three connect retries: at once, 1 s, 2 s
