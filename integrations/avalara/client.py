"""A thin AvaTax REST v2 client for what Nuvo needs: ping, companies, ECM customers, certificates.

The only module in the project that imports ``requests``: the session, the retry policy and
``_request`` live here; the operations are mixins in ``operations/``, built on ``plumbing.py``.
It knows nothing of Django: the service layer builds it from settings. Wire facts:
shared/avatax/REFERENCE.md.

Retry policy (urllib3 ``Retry`` on the session's adapter):
- GET/PUT/DELETE are retried on read errors and on 429/500/502/503/504, honouring ``Retry-After``
  (capped at ``retry_after_max``), otherwise exponential backoff with jitter, ``max_retries`` times.
- POST is never retried once the request may have reached Avalara (read timeout, dropped
  connection, any status): a create that timed out may have succeeded (REFERENCE.md §5, §9).
- Failures to *open* a connection (refused, DNS, connect timeout) are retried for every method,
  POST included: nothing was sent yet. TLS and other errors are not retried.
"""

from __future__ import annotations

import json
import logging
import re
import socket
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Literal
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from requests.auth import HTTPBasicAuth
from urllib3.exceptions import NewConnectionError
from urllib3.util.retry import Retry

from .calls import CallObserver, CallRecord
from .errors import AvalaraConnectionError, AvalaraError, ErrorCode, error_from_response
from .operations import (
    AccountOperations,
    CertificateOperations,
    CustomerOperations,
    DefinitionOperations,
)
from .plumbing import _NO_BODY, _json_or_none, _Reply, _unexpected

SANDBOX_BASE_URL = "https://sandbox-rest.avatax.com"
PRODUCTION_BASE_URL = "https://rest.avatax.com"
CLIENT_NAME = "Nuvo AvaTax client"
CLIENT_VERSION = "0.1.0"
DEFAULT_TIMEOUT = (5.0, 15.0)
DEFAULT_MAX_PAGES = 100

RETRY_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

logger = logging.getLogger("nuvo.avalara")

_sleep = time.sleep  # the one place retries wait; tests replace it
_DELAY_SECONDS = re.compile(r"[0-9]+(\.[0-9]+)?")


def base_url_for(environment: str, override: str | None = None) -> str:
    """Avalara's host for "sandbox" or "production"; a non-empty override (the simulator) wins."""
    if override and override.strip():
        return override.strip().rstrip("/")
    hosts = {"sandbox": SANDBOX_BASE_URL, "production": PRODUCTION_BASE_URL}
    try:
        return hosts[environment.strip().lower()]
    except KeyError:
        raise ValueError(
            f"unknown Avalara environment {environment!r}: expected 'sandbox' or 'production'"
        ) from None


def parse_retry_after(value: str, *, cap: float) -> float | None:
    """Seconds to wait for a ``Retry-After`` value (delay-seconds or HTTP-date), at most ``cap``."""
    text = value.strip()
    if _DELAY_SECONDS.fullmatch(text):
        seconds = float(text)
    else:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    return min(max(seconds, 0.0), cap)


class CappedRetry(Retry):
    """urllib3 ``Retry`` whose ``Retry-After`` wait is capped and whose waits go through ``_sleep``.

    Older urllib3 2.x sleeps for whatever ``Retry-After`` says and newer ones cap it at six hours
    by default, so the cap lives in ``parse_retry_after``; a malformed header (urllib3 would raise
    ``InvalidHeader``) falls back to the exponential backoff.
    """

    def __init__(self, *args: Any, retry_after_cap: float = 30.0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retry_after_cap = retry_after_cap

    def new(self, **kw: Any) -> CappedRetry:
        kw.setdefault("retry_after_cap", self.retry_after_cap)
        return super().new(**kw)

    def parse_retry_after(self, retry_after: str) -> float:
        seconds = parse_retry_after(retry_after, cap=self.retry_after_cap)
        return 0.0 if seconds is None else seconds

    def sleep(self, response: Any = None) -> None:
        delay = 0.0
        if response is not None and self.respect_retry_after_header:
            delay = self.get_retry_after(response) or 0.0
        if delay <= 0:
            delay = self.get_backoff_time()
        if delay > 0:
            last = self.history[-1] if self.history else None
            logger.debug(
                "avalara retry %d of %s %s after %s: waiting %.2f s",
                len(self.history),
                last.method if last else "?",
                urlsplit(last.url or "").path if last else "?",
                (last.status or type(last.error).__name__) if last else "?",
                delay,
            )
            _sleep(delay)


class AvaTaxClient(
    AccountOperations, CustomerOperations, CertificateOperations, DefinitionOperations
):
    """One AvaTax account's credentials over one ``requests.Session``.

    ``username``/``password`` are either a username and password or an account id and license
    key; Avalara tells them apart. The password never leaves the Basic auth header.
    """

    def __init__(
        self,
        *,
        base_url: str,
        username: str,
        password: str,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        app_name: str = "Nuvo",
        app_version: str = "0.1.0",
        machine_name: str | None = None,
        max_retries: int = 3,
        backoff_factor: float = 0.5,
        backoff_jitter: float | None = None,
        retry_after_max: float = 30.0,
        max_pages: int = DEFAULT_MAX_PAGES,
        session: requests.Session | None = None,
        on_call: CallObserver | None = None,
        pool_size: int = 10,
    ) -> None:
        parts = urlsplit(base_url.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"base_url must be an http(s) URL, got {base_url!r}")
        if not username or not password:
            raise ValueError("username and password are required")
        if len(timeout) != 2 or min(timeout) <= 0:
            raise ValueError("timeout must be a (connect, read) pair of positive seconds")
        self.base_url = base_url.strip().rstrip("/")
        self.username = username
        self.timeout = (float(timeout[0]), float(timeout[1]))
        self.retry_after_max = retry_after_max
        self.max_pages = max_pages
        self.on_call = on_call
        # UTF-8 (RFC 7617); requests would encode str credentials as latin-1.
        self._auth = HTTPBasicAuth(username.encode(), password.encode())
        machine = machine_name if machine_name is not None else socket.gethostname()
        self.client_header = "; ".join(
            _header_part(part)
            for part in (app_name, app_version, CLIENT_NAME, CLIENT_VERSION, machine)
        )
        self._owns_session = session is None
        self._session = session if session is not None else requests.Session()
        retry = CappedRetry(
            total=max_retries,
            connect=max_retries,
            read=max_retries,
            status=max_retries,
            other=0,
            redirect=0,
            allowed_methods=RETRY_METHODS,
            status_forcelist=RETRY_STATUSES,
            backoff_factor=backoff_factor,
            backoff_jitter=backoff_factor if backoff_jitter is None else backoff_jitter,
            backoff_max=retry_after_max,
            respect_retry_after_header=True,
            raise_on_status=False,
            retry_after_cap=retry_after_max,
        )
        adapter = HTTPAdapter(max_retries=retry, pool_connections=2, pool_maxsize=pool_size)
        self._session.mount("https://", adapter)
        self._session.mount("http://", adapter)

    def __repr__(self) -> str:
        return f"AvaTaxClient(base_url={self.base_url!r}, username={self.username!r})"

    def close(self) -> None:
        if self._owns_session:
            self._session.close()

    def __enter__(self) -> AvaTaxClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # Sending -------------------------------------------------------------------------------

    def _request(
        self,
        method: str,
        target: str,
        *,
        operation: str,
        failure_code: ErrorCode = ErrorCode.UNKNOWN_ERROR,
        query: dict[str, str] | None = None,
        json_body: Any = _NO_BODY,
        files: dict[str, tuple[str, bytes, str]] | None = None,
        expect: Literal["json", "bytes"] = "json",
    ) -> _Reply:
        """Send one call; every failure becomes an ``AvalaraError`` of the taxonomy."""
        url = self._url(target, query)
        headers = {
            "Accept": "*/*" if expect == "bytes" else "application/json",
            "X-Avalara-Client": self.client_header,
        }
        started = time.monotonic()
        started_at = datetime.now(UTC)
        try:
            response = self._session.request(
                method,
                url,
                auth=self._auth,
                headers=headers,
                json=None if json_body is _NO_BODY else json_body,
                files=files,
                timeout=self.timeout,
                allow_redirects=False,
            )
        except (
            requests.ConnectionError,
            requests.Timeout,
            requests.exceptions.RetryError,
            requests.exceptions.ChunkedEncodingError,
        ) as exc:
            self._log(operation, method, url, started, type(exc).__name__, None)
            error = AvalaraConnectionError(
                ErrorCode.UNABLE_TO_CONNECT,
                operation=operation,
                retryable=True,
                reason=type(exc).__name__,
                outcome_unknown=method != "GET" and not _never_sent(exc),
            )
            self._observe(operation, method, url, started, started_at, None, error)
            raise error from exc
        # A write answered by a 5xx (or an unreadable 2xx) may still have happened: CertCapture
        # creates are not atomic (REFERENCE.md §5). Callers read back before writing again.
        write = method != "GET"

        self._log(operation, method, url, started, response.status_code, response)
        if not 200 <= response.status_code < 300:
            error = error_from_response(
                operation=operation,
                failure_code=failure_code,
                http_status=response.status_code,
                body=_json_or_none(response.content),
                retry_after=self._retry_after(response),
                secrets=(self._auth.password.decode(),),
                outcome_unknown=write and response.status_code >= 500,
            )
            self._observe(operation, method, url, started, started_at, response, error)
            raise error
        if expect == "bytes":
            self._observe(operation, method, url, started, started_at, response, None)
            return _Reply(response.status_code, response.content, write)
        try:
            data = json.loads(response.content)
        except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError; also an empty body
            error = _unexpected(operation, response.status_code, "body is not JSON", write)
            self._observe(operation, method, url, started, started_at, response, error)
            raise error from exc
        self._observe(operation, method, url, started, started_at, response, None)
        return _Reply(response.status_code, data, write)

    def _observe(
        self,
        operation: str,
        method: str,
        url: str,
        started: float,
        started_at: datetime,
        response: requests.Response | None,
        error: AvalaraError | None,
    ) -> None:
        if self.on_call is None:
            return
        self.on_call(
            CallRecord(
                operation=operation,
                method=method,
                path=urlsplit(url).path,
                started_at=started_at,
                duration_ms=round((time.monotonic() - started) * 1000),
                http_status=response.status_code if response is not None else None,
                correlation_id=(response.headers.get("x-correlation-id") or "")
                if response is not None
                else "",
                error=error,
            )
        )

    def _retry_after(self, response: requests.Response) -> float | None:
        value = response.headers.get("Retry-After")
        return None if value is None else parse_retry_after(value, cap=self.retry_after_max)

    def _log(
        self,
        operation: str,
        method: str,
        url: str,
        started: float,
        outcome: int | str,
        response: requests.Response | None = None,
    ) -> None:
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        elapsed_ms = (time.monotonic() - started) * 1000
        correlation_id = response.headers.get("x-correlation-id") if response is not None else None
        retries = getattr(getattr(response, "raw", None), "retries", None)
        attempts = len(retries.history) + 1 if isinstance(retries, Retry) else 1
        # 4xx answers are the caller's to handle (find_customer expects 404s); trouble on
        # Avalara's side or on the way there is a warning.
        trouble = not isinstance(outcome, int) or outcome >= 500 or outcome == 429
        logger.log(
            logging.WARNING if trouble else logging.INFO,
            "avalara %s %s %s -> %s in %.0f ms (attempts %d, x-correlation-id %s)",
            operation,
            method,
            target,
            outcome,
            elapsed_ms,
            attempts,
            correlation_id or "-",
            extra={
                "avalara_operation": operation,
                "http_method": method,
                "http_path": parts.path,
                "http_status": outcome if isinstance(outcome, int) else None,
                "duration_ms": round(elapsed_ms),
                "correlation_id": correlation_id,
            },
        )


def _header_part(value: str) -> str:
    return " ".join(value.replace(";", ",").split())


def _never_sent(exc: Exception) -> bool:
    """True when the connection was never opened, so a POST cannot have reached Avalara."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, NewConnectionError)
