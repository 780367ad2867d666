"""A thin AvaTax REST v2 client for what Nuvo needs: ping, companies, ECM customers, certificates.

The only module in the project that imports ``requests``. It knows nothing of Django: the service
layer builds it from settings. Wire facts: shared/avatax/REFERENCE.md.

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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Literal, TypeVar
from urllib.parse import quote, urlsplit

import requests
from requests.adapters import HTTPAdapter
from requests.auth import HTTPBasicAuth
from urllib3.exceptions import NewConnectionError
from urllib3.util.retry import Retry

from .calls import CallObserver, CallRecord
from .errors import (
    NOT_FOUND_CODE,
    AvalaraConnectionError,
    AvalaraError,
    AvalaraResponseError,
    ErrorCode,
    error_from_response,
)
from .types import (
    Certificate,
    CertificateInput,
    Company,
    Customer,
    CustomerInput,
    ExemptionReason,
    ExposureZone,
    FetchResult,
    PingResult,
    ProvisionStatus,
)

SANDBOX_BASE_URL = "https://sandbox-rest.avatax.com"
PRODUCTION_BASE_URL = "https://rest.avatax.com"
CLIENT_NAME = "Nuvo AvaTax client"
CLIENT_VERSION = "0.1.0"
DEFAULT_TIMEOUT = (5.0, 15.0)
DEFAULT_MAX_PAGES = 100

RETRY_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

logger = logging.getLogger("nuvo.avalara")

T = TypeVar("T")
_NO_BODY: Any = object()
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


@dataclass(frozen=True)
class _Reply:
    status: int
    data: Any  # decoded JSON, or the raw bytes of a download
    write: bool = False  # answered a non-GET: an unreadable answer leaves its effect unknown


class AvaTaxClient:
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

    # Utilities and companies ---------------------------------------------------------------

    def ping(self) -> PingResult:
        """Check credentials (Ping); wrong credentials are a 200 with ``authenticated`` false."""
        reply = self._request("GET", "/api/v2/utilities/ping", operation="Ping")
        return self._parse("Ping", reply, PingResult.from_wire)

    def query_companies(
        self,
        *,
        filter: str | None = None,
        include: str | Sequence[str] | None = None,
        top: int | None = None,
        skip: int | None = None,
        order_by: str | None = None,
    ) -> list[Company]:
        """List the account's companies, all pages (QueryCompanies)."""
        query = _query(filter=filter, include=include, top=top, skip=skip, order_by=order_by)
        items = self._fetch_all("/api/v2/companies", query, operation="QueryCompanies")
        return self._parse_each("QueryCompanies", items, Company.from_wire)

    def get_default_company(self) -> Company | None:
        """The account's default company, or None (QueryCompanies ``$filter=isDefault eq true``)."""
        companies = self.query_companies(filter="isDefault eq true")
        return companies[0] if companies else None

    def get_company(self, company_id: int) -> Company:
        """One company by id (GetCompany)."""
        reply = self._request("GET", _path("companies", company_id), operation="GetCompany")
        return self._parse("GetCompany", reply, Company.from_wire)

    # ECM provisioning ----------------------------------------------------------------------

    def get_certificate_setup(self, company_id: int) -> ProvisionStatus:
        """The company's exemption-certificate setup status (GetCertificateSetup)."""
        path = _path("companies", company_id, "certificates", "setup")
        reply = self._request("GET", path, operation="GetCertificateSetup")
        return self._parse("GetCertificateSetup", reply, ProvisionStatus.from_wire)

    def request_certificate_setup(self, company_id: int) -> ProvisionStatus:
        """Ask Avalara to set up certificate storage, then poll (RequestCertificateSetup)."""
        path = _path("companies", company_id, "certificates", "setup")
        reply = self._request("POST", path, operation="RequestCertificateSetup")
        return self._parse("RequestCertificateSetup", reply, ProvisionStatus.from_wire)

    # Customers -----------------------------------------------------------------------------

    def get_customer(
        self,
        company_id: int,
        customer_code: str,
        *,
        include: str | Sequence[str] | None = None,
    ) -> Customer:
        """One customer by its (case-sensitive) code (GetCustomer)."""
        path = _path("companies", company_id, "customers", customer_code)
        reply = self._request("GET", path, operation="GetCustomer", query=_query(include=include))
        return self._parse("GetCustomer", reply, Customer.from_wire)

    def find_customer(self, company_id: int, customer_code: str) -> Customer | None:
        """The customer, or None when Avalara says it does not exist (GetCustomer)."""
        try:
            return self.get_customer(company_id, customer_code)
        except AvalaraResponseError as error:
            # Only Avalara's own "not found" counts: a 404 page from a proxy or a wrong base
            # URL, or a missing company, must not look like "create the customer now".
            if (
                error.avalara_code == NOT_FOUND_CODE
                and error.code is not ErrorCode.COMPANY_MISMATCH
            ):
                return None
            raise

    def create_customers(
        self, company_id: int, customers: Sequence[CustomerInput]
    ) -> list[Customer]:
        """Create customers; a taken code fails with ``is_duplicate`` (CreateCustomers)."""
        if not customers:
            raise ValueError("create_customers needs at least one customer")
        reply = self._request(
            "POST",
            _path("companies", company_id, "customers"),
            operation="CreateCustomers",
            failure_code=ErrorCode.CUSTOMER_CREATION_FAILED,
            json_body=[customer.to_payload(company_id) for customer in customers],
        )
        return self._parse_list("CreateCustomers", reply, Customer.from_wire)

    def update_customer(
        self, company_id: int, customer_code: str, customer: CustomerInput
    ) -> Customer:
        """Replace a customer record; omitted fields are cleared (UpdateCustomer)."""
        reply = self._request(
            "PUT",
            _path("companies", company_id, "customers", customer_code),
            operation="UpdateCustomer",
            failure_code=ErrorCode.CUSTOMER_CREATION_FAILED,
            json_body=customer.to_payload(company_id),
        )
        return self._parse("UpdateCustomer", reply, Customer.from_wire)

    def query_customers(
        self,
        company_id: int,
        *,
        filter: str | None = None,
        include: str | Sequence[str] | None = None,
        top: int | None = None,
    ) -> list[Customer]:
        """List customers, all pages; ``top`` is the page size (QueryCustomers)."""
        items = self._fetch_all(
            _path("companies", company_id, "customers"),
            _query(filter=filter, include=include, top=top),
            operation="QueryCustomers",
        )
        return self._parse_each("QueryCustomers", items, Customer.from_wire)

    # Certificates --------------------------------------------------------------------------

    def create_certificates(
        self,
        company_id: int,
        certificates: Sequence[CertificateInput],
        *,
        pre_validated_exemption_reason: bool | None = None,
    ) -> list[Certificate]:
        """Create certificates with inline PDFs; not atomic, never retried (CreateCertificates)."""
        if not certificates:
            raise ValueError("create_certificates needs at least one certificate")
        query: dict[str, str] = {}
        if pre_validated_exemption_reason is not None:
            query["$preValidatedExemptionReason"] = _bool_param(pre_validated_exemption_reason)
        reply = self._request(
            "POST",
            _path("companies", company_id, "certificates"),
            operation="CreateCertificates",
            failure_code=ErrorCode.CERTIFICATE_UPLOAD_FAILED,
            query=query,
            json_body=[certificate.to_payload(company_id) for certificate in certificates],
        )
        return self._parse_list("CreateCertificates", reply, Certificate.from_wire)

    def upload_certificate_attachment(
        self, company_id: int, certificate_id: int, pdf: bytes, filename: str
    ) -> None:
        """Attach a PDF as multipart field ``file`` (UploadCertificateImage)."""
        if not pdf:
            raise ValueError("upload_certificate_attachment needs a non-empty PDF")
        reply = self._request(
            "POST",
            _path("companies", company_id, "certificates", certificate_id, "attachment"),
            operation="UploadCertificateImage",
            failure_code=ErrorCode.CERTIFICATE_UPLOAD_FAILED,
            files={"file": (filename, pdf, "application/pdf")},
            expect="bytes",
        )
        # Avalara answers with the JSON string "OK" (REFERENCE.md §5); accept an empty 2xx too.
        if reply.data.strip() and not isinstance(_json_or_none(reply.data), str):
            reason = 'expected the string "OK"'
            raise _unexpected("UploadCertificateImage", reply.status, reason, outcome_unknown=True)

    def download_certificate_attachment(
        self,
        company_id: int,
        certificate_id: int,
        *,
        type: Literal["Pdf", "Jpeg"] = "Pdf",
        page: int | None = None,
    ) -> bytes:
        """The certificate's PDF (or one JPEG page) as bytes (DownloadCertificateImage)."""
        query = {"$type": type}
        if page is not None:
            query["$page"] = str(page)
        reply = self._request(
            "GET",
            _path("companies", company_id, "certificates", certificate_id, "attachment"),
            operation="DownloadCertificateImage",
            query=query,
            expect="bytes",
        )
        if not reply.data:
            raise _unexpected("DownloadCertificateImage", reply.status, "empty attachment")
        return reply.data

    def link_certificates_to_customer(
        self, company_id: int, customer_code: str, certificate_ids: Sequence[int]
    ) -> list[Certificate]:
        """Link certificates to a customer (LinkCertificatesToCustomer)."""
        if not certificate_ids:
            raise ValueError("link_certificates_to_customer needs at least one certificate id")
        reply = self._request(
            "POST",
            _path("companies", company_id, "customers", customer_code, "certificates", "link"),
            operation="LinkCertificatesToCustomer",
            failure_code=ErrorCode.CERTIFICATE_UPLOAD_FAILED,
            json_body={"certificates": [int(certificate_id) for certificate_id in certificate_ids]},
        )
        return self._parse_page("LinkCertificatesToCustomer", reply, Certificate.from_wire)

    def link_customers_to_certificate(
        self, company_id: int, certificate_id: int, customer_codes: Sequence[str]
    ) -> list[Customer]:
        """Link customers (by code) to a certificate (LinkCustomersToCertificate)."""
        if not customer_codes:
            raise ValueError("link_customers_to_certificate needs at least one customer code")
        reply = self._request(
            "POST",
            _path("companies", company_id, "certificates", certificate_id, "customers", "link"),
            operation="LinkCustomersToCertificate",
            failure_code=ErrorCode.CERTIFICATE_UPLOAD_FAILED,
            json_body={"customers": list(customer_codes)},
        )
        return self._parse_page("LinkCustomersToCertificate", reply, Customer.from_wire)

    def get_certificate(
        self,
        company_id: int,
        certificate_id: int,
        *,
        include: str | Sequence[str] | None = None,
    ) -> Certificate:
        """One certificate by id (GetCertificate)."""
        reply = self._request(
            "GET",
            _path("companies", company_id, "certificates", certificate_id),
            operation="GetCertificate",
            query=_query(include=include),
        )
        return self._parse("GetCertificate", reply, Certificate.from_wire)

    def query_certificates(
        self,
        company_id: int,
        *,
        filter: str | None = None,
        include: str | Sequence[str] | None = None,
        top: int | None = None,
        order_by: str | None = None,
    ) -> list[Certificate]:
        """List certificates, all pages; ``top`` is the page size (QueryCertificates)."""
        items = self._fetch_all(
            _path("companies", company_id, "certificates"),
            _query(filter=filter, include=include, top=top, order_by=order_by),
            operation="QueryCertificates",
        )
        return self._parse_each("QueryCertificates", items, Certificate.from_wire)

    def list_certificates_for_customer(
        self,
        company_id: int,
        customer_code: str,
        *,
        include: str | Sequence[str] | None = ("customers",),
    ) -> list[Certificate]:
        """A customer's certificates, all pages (ListCertificatesForCustomer)."""
        items = self._fetch_all(
            _path("companies", company_id, "customers", customer_code, "certificates"),
            _query(include=include),
            operation="ListCertificatesForCustomer",
        )
        return self._parse_each("ListCertificatesForCustomer", items, Certificate.from_wire)

    # Definitions ---------------------------------------------------------------------------

    def list_exposure_zones(self) -> list[ExposureZone]:
        """All exposure zones, all pages; none is filterable (ListCertificateExposureZones)."""
        items = self._fetch_all(
            "/api/v2/definitions/certificateexposurezones",
            {},
            operation="ListCertificateExposureZones",
        )
        return self._parse_each("ListCertificateExposureZones", items, ExposureZone.from_wire)

    def list_exemption_reasons(self) -> list[ExemptionReason]:
        """All exemption reasons, all pages (ListCertificateExemptReasons)."""
        items = self._fetch_all(
            "/api/v2/definitions/certificateexemptreasons",
            {},
            operation="ListCertificateExemptReasons",
        )
        return self._parse_each("ListCertificateExemptReasons", items, ExemptionReason.from_wire)

    # Plumbing ------------------------------------------------------------------------------

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

    def _fetch_all(self, path: str, query: dict[str, str], *, operation: str) -> list[Any]:
        """Every item of a FetchResult list, following ``@nextLink`` up to ``max_pages`` pages."""
        target = self._url(path, query)
        seen = {target}
        items: list[Any] = []
        for _ in range(self.max_pages):
            reply = self._request("GET", target, operation=operation)
            page = self._parse(operation, reply, FetchResult.from_wire)
            items.extend(page.value)
            if page.next_link is None:
                return items
            target = self._resolve_next_link(page.next_link, operation)
            if target in seen:
                raise _unexpected(operation, reply.status, "@nextLink repeats an earlier page")
            seen.add(target)
        raise _unexpected(operation, None, f"more than {self.max_pages} pages")

    def _resolve_next_link(self, link: str, operation: str) -> str:
        """Join Avalara's relative ``@nextLink`` to the base URL; never follow it off-host."""
        base = urlsplit(self.base_url)
        parts = urlsplit(link)
        if parts.scheme or parts.netloc:
            if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
                # Following it would send the credentials to another host.
                raise _unexpected(operation, None, "@nextLink points to another host")
            return link
        if not link.startswith("/"):
            link = "/" + link
        prefix = base.path.rstrip("/")
        if prefix and (link == prefix or link.startswith(prefix + "/")):
            return f"{base.scheme}://{base.netloc}{link}"
        return self.base_url + link

    def _url(self, target: str, query: dict[str, str] | None) -> str:
        url = target if target.startswith(("http://", "https://")) else self.base_url + target
        if query:
            # Avalara's own links keep `$` and encode spaces as %20 ($filter=isDefault%20eq%20true);
            # requests' params= would send `%24filter=isDefault+eq+true`.
            url += "?" + "&".join(
                f"{quote(key, safe='$')}={quote(value, safe='')}" for key, value in query.items()
            )
        return url

    def _parse(self, operation: str, reply: _Reply, parser: Callable[[Any], T]) -> T:
        try:
            return parser(reply.data)
        except (KeyError, TypeError, ValueError) as exc:
            reason = f"unexpected response shape: {exc}"
            raise _unexpected(operation, reply.status, reason, reply.write) from exc

    def _parse_each(
        self, operation: str, items: Iterable[Any], parser: Callable[[Any], T]
    ) -> list[T]:
        return [self._parse(operation, _Reply(200, item), parser) for item in items]

    def _parse_list(self, operation: str, reply: _Reply, parser: Callable[[Any], T]) -> list[T]:
        if not isinstance(reply.data, list):
            raise _unexpected(operation, reply.status, "expected a JSON array", reply.write)
        return [self._parse(operation, replace(reply, data=item), parser) for item in reply.data]

    def _parse_page(self, operation: str, reply: _Reply, parser: Callable[[Any], T]) -> list[T]:
        page = self._parse(operation, reply, FetchResult.from_wire)
        return [self._parse(operation, replace(reply, data=item), parser) for item in page.value]

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


def _path(*segments: str | int) -> str:
    """``/api/v2/<segments>``, each percent-encoded: codes may hold ``/``, ``#``, spaces."""
    encoded = []
    for segment in segments:
        text = str(segment)
        if not text or text in (".", ".."):
            # "" and dot-segments would address another resource: requests unescapes %2E and
            # urllib3 resolves "..", so /customers/.. would become the company itself.
            raise ValueError(f"{text!r} cannot be an AvaTax path segment (e.g. a customer code)")
        encoded.append(quote(text, safe=""))
    return "/api/v2/" + "/".join(encoded)


def _query(
    *,
    filter: str | None = None,
    include: str | Sequence[str] | None = None,
    top: int | None = None,
    skip: int | None = None,
    order_by: str | None = None,
) -> dict[str, str]:
    query: dict[str, str] = {}
    if include:
        query["$include"] = include if isinstance(include, str) else ",".join(include)
    if filter:
        query["$filter"] = filter
    if top is not None:
        query["$top"] = str(int(top))
    if skip is not None:
        query["$skip"] = str(int(skip))
    if order_by:
        query["$orderBy"] = order_by
    return query


def _bool_param(value: bool) -> str:
    return "true" if value else "false"


def _header_part(value: str) -> str:
    return " ".join(value.replace(";", ",").split())


def _json_or_none(content: bytes) -> Any:
    try:
        return json.loads(content) if content.strip() else None
    except ValueError:
        return None


def _never_sent(exc: Exception) -> bool:
    """True when the connection was never opened, so a POST cannot have reached Avalara."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, NewConnectionError)


def _unexpected(
    operation: str, http_status: int | None, reason: str, outcome_unknown: bool = False
) -> AvalaraError:
    return AvalaraResponseError(
        ErrorCode.UNKNOWN_ERROR,
        operation=operation,
        retryable=True,
        http_status=http_status,
        reason=reason,
        outcome_unknown=outcome_unknown,
    )
