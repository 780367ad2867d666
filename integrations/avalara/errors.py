"""The one error taxonomy for Avalara calls.

Every failure of the AvaTax client is an ``AvalaraError`` carrying one of the nine user-facing codes
of the Nuvo Avalara integration guide ("Error reference"), whether it is retryable, and what Avalara
said (``error.code``, message, details). Wire facts: shared/avatax/REFERENCE.md §9.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any


class ErrorCode(enum.StrEnum):
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    UNABLE_TO_CONNECT = "UNABLE_TO_CONNECT"
    CREDENTIALS_NOT_CONFIGURED = "CREDENTIALS_NOT_CONFIGURED"
    AUTHENTICATION_FAILED = "AUTHENTICATION_FAILED"
    COMPANY_MISMATCH = "COMPANY_MISMATCH"
    NO_CERTIFICATES_FOUND = "NO_CERTIFICATES_FOUND"
    CUSTOMER_CREATION_FAILED = "CUSTOMER_CREATION_FAILED"
    CERTIFICATE_UPLOAD_FAILED = "CERTIFICATE_UPLOAD_FAILED"
    UNKNOWN_ERROR = "UNKNOWN_ERROR"

    @property
    def summary(self) -> str:
        return _GUIDE_TEXT[self][0]

    @property
    def resolution(self) -> str:
        return _GUIDE_TEXT[self][1]


# Verbatim from the integration guide's "Error reference" (without the "Resolution: " prefix).
_GUIDE_TEXT: dict[ErrorCode, tuple[str, str]] = {
    ErrorCode.INVALID_CREDENTIALS: (
        "Your username or password is incorrect.",
        "Re-enter your credentials using Reconnect/Update Credentials.",
    ),
    ErrorCode.UNABLE_TO_CONNECT: (
        "Nuvo cannot reach the Avalara API.",
        "Check network connectivity and try again after a few minutes.",
    ),
    ErrorCode.CREDENTIALS_NOT_CONFIGURED: (
        "No Avalara credentials are currently saved.",
        "Connect Avalara in Settings > Integrations.",
    ),
    ErrorCode.AUTHENTICATION_FAILED: (
        "Avalara rejected the credentials.",
        "Verify the credentials in your Avalara account portal.",
    ),
    ErrorCode.COMPANY_MISMATCH: (
        "You are attempting to send a customer under a different company than the one linked to "
        "the integration.",
        "Confirm you are operating under the correct company.",
    ),
    ErrorCode.NO_CERTIFICATES_FOUND: (
        "The customer has no tax exemption certificates on file.",
        "Request certificates from the customer using Request Info.",
    ),
    ErrorCode.CUSTOMER_CREATION_FAILED: (
        "Nuvo could not create the customer record in Avalara.",
        "Retry the action and check for Avalara account limits.",
    ),
    ErrorCode.CERTIFICATE_UPLOAD_FAILED: (
        "Nuvo could not upload the certificate to Avalara.",
        "Retry and confirm the certificate files are valid PDFs.",
    ),
    ErrorCode.UNKNOWN_ERROR: (
        "An unexpected error occurred.",
        "Retry the operation. Contact support if the issue continues.",
    ),
}

# Avalara ErrorCodeId names (REFERENCE.md §9).
AUTHENTICATION_CODES = frozenset(
    {"AuthenticationException", "AuthenticationIncomplete", "BasicAuthIncorrect"}
)
AUTHORIZATION_CODES = frozenset({"AuthorizationException", "PermissionRequired"})
RATE_LIMIT_CODES = frozenset(
    {
        "RequestLimitExceeded",
        "ConcurrentRequestLimitExceeded",
        "RateLimitExceededError",
        "RateLimitExceeded",
        "ServiceTimeout",
    }
)
NOT_PROVISIONED_CODES = frozenset({"CertificatesNotSetup", "AccountNotProvisioned", "EcmsDisabled"})
NOT_FOUND_CODE = "EntityNotFoundError"
CERTIFICATES_ERROR_CODE = "CertificatesError"
DUPLICATE_CODE = "DuplicateEntry"

# "Company not found." / "The Company with ID '7' was not found." name the company first; a missing
# customer's text may mention its company later on, so only a leading "company" counts.
_COMPANY_FIRST = re.compile(r"^\s*(the\s+)?company\b", re.IGNORECASE)


@dataclass(frozen=True)
class ErrorDetail:
    """One entry of Avalara's ``error.details``."""

    code: str = ""
    number: int | None = None
    message: str = ""
    description: str = ""
    help_link: str = ""
    severity: str = ""
    refers_to: str = ""

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> ErrorDetail:
        number = data.get("number")
        return cls(
            code=_text(data.get("code")),
            number=number if isinstance(number, int) and not isinstance(number, bool) else None,
            message=_text(data.get("message")),
            description=_text(data.get("description")),
            help_link=_text(data.get("helpLink")),
            severity=_text(data.get("severity")),
            refers_to=_text(data.get("refersTo")),
        )


_FIELDS = (
    "code",
    "operation",
    "retryable",
    "http_status",
    "avalara_code",
    "avalara_message",
    "details",
    "retry_after",
    "reason",
    "outcome_unknown",
)


class AvalaraError(Exception):
    """A failed Avalara call (or a service-level condition), in the guide's terms.

    ``outcome_unknown`` is set when a write may have reached Avalara although we saw no answer
    (a read timeout, a dropped connection): read back before creating again.
    """

    def __init__(
        self,
        code: ErrorCode,
        *,
        operation: str = "",
        retryable: bool = False,
        http_status: int | None = None,
        avalara_code: str | None = None,
        avalara_message: str | None = None,
        details: Iterable[ErrorDetail] = (),
        retry_after: float | None = None,
        reason: str = "",
        outcome_unknown: bool = False,
    ) -> None:
        self.code = ErrorCode(code)
        self.operation = operation
        self.retryable = retryable
        self.http_status = http_status
        self.avalara_code = avalara_code
        self.avalara_message = avalara_message
        self.details = tuple(details)
        self.retry_after = retry_after
        self.reason = reason
        self.outcome_unknown = outcome_unknown
        super().__init__(self._describe())

    def _describe(self) -> str:
        text = self.code.value
        if self.operation:
            text += f" in {self.operation}"
        if self.http_status is not None:
            text += f" (HTTP {self.http_status})"
        said = ": ".join(part for part in (self.avalara_code, self.avalara_message) if part)
        for part in (said, self.reason):
            if part:
                text += f": {part}"
        return " ".join(text.split())

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only constructors do not survive Exception's default pickling (Celery pickles).
        return (_rebuild, (type(self), {name: getattr(self, name) for name in _FIELDS}))

    @property
    def summary(self) -> str:
        return self.code.summary

    @property
    def resolution(self) -> str:
        return self.code.resolution

    @property
    def worth_retrying(self) -> bool:
        """The failure may pass (timeouts, 429, 5xx): trying again later could succeed."""
        return self.retryable

    @property
    def safe_to_retry(self) -> bool:
        """Worth retrying, and nothing can have happened at Avalara: send the same call again.

        A write whose outcome is unknown is worth retrying only after reading back what Avalara
        holds; sending it again blindly can create a duplicate.
        """
        return self.retryable and not self.outcome_unknown

    @property
    def is_not_found(self) -> bool:
        return self.http_status == 404 or self.avalara_code == NOT_FOUND_CODE

    @property
    def is_missing_customer(self) -> bool:
        """Avalara's own word that a customer does not exist: EntityNotFoundError, or
        CertificatesError (1203) when CertCapture answers (Avalara's Magento connector reads
        both so, REFERENCE.md §4); never a missing company or a 404 page from elsewhere."""
        return (
            self.avalara_code in (NOT_FOUND_CODE, CERTIFICATES_ERROR_CODE)
            and self.code is not ErrorCode.COMPANY_MISMATCH
        )

    @property
    def is_duplicate(self) -> bool:
        return self.avalara_code == DUPLICATE_CODE

    @property
    def is_not_provisioned(self) -> bool:
        return self.avalara_code in NOT_PROVISIONED_CODES

    @property
    def is_rate_limited(self) -> bool:
        return self.http_status == 429 or self.avalara_code in RATE_LIMIT_CODES


class AvalaraConnectionError(AvalaraError):
    """No usable HTTP answer: connection refused, DNS, TLS, connect or read timeout."""


class AvalaraResponseError(AvalaraError):
    """Avalara answered with an error status, or with a body we cannot read."""


def _rebuild(cls: type[AvalaraError], state: dict[str, Any]) -> AvalaraError:
    return cls(**state)


def error_for_code(code: ErrorCode, *, operation: str = "") -> AvalaraError:
    """An error the service layer raises itself (e.g. CREDENTIALS_NOT_CONFIGURED)."""
    return AvalaraError(
        code,
        operation=operation,
        retryable=code is ErrorCode.UNABLE_TO_CONNECT,
        reason=ErrorCode(code).summary,
    )


def parse_error_body(body: object) -> tuple[str | None, str | None, tuple[ErrorDetail, ...]]:
    """Avalara's ``error.code``, ``error.message`` and details from an ErrorResult body."""
    if not isinstance(body, Mapping):
        return None, None, ()
    info = body.get("error")
    if not isinstance(info, Mapping):
        # Avalara's error pages show the bare ErrorInfo; accept it too.
        info = body if "code" in body else {}
    raw_details = info.get("details")
    details = tuple(
        ErrorDetail.from_wire(item)
        for item in (raw_details if isinstance(raw_details, list) else ())
        if isinstance(item, Mapping)
    )
    return _text(info.get("code")) or None, _text(info.get("message")) or None, details


def classify(
    *,
    http_status: int,
    avalara_code: str | None,
    texts: Iterable[str],
    refers_to: Iterable[str],
    failure_code: ErrorCode,
) -> tuple[ErrorCode, bool]:
    """Map an HTTP status and Avalara ``error.code`` to (user-facing code, retryable)."""
    if http_status == 401 or avalara_code in AUTHENTICATION_CODES:
        return ErrorCode.INVALID_CREDENTIALS, False
    if http_status == 403 or avalara_code in AUTHORIZATION_CODES:
        return ErrorCode.AUTHENTICATION_FAILED, False
    if http_status == 429 or avalara_code in RATE_LIMIT_CODES:
        return ErrorCode.UNABLE_TO_CONNECT, True
    if http_status == 404 or avalara_code == NOT_FOUND_CODE:
        about_company = any(_COMPANY_FIRST.match(text) for text in texts) or any(
            "company" in target.lower() for target in refers_to
        )
        return (ErrorCode.COMPANY_MISMATCH if about_company else failure_code), False
    if avalara_code in NOT_PROVISIONED_CODES or avalara_code == DUPLICATE_CODE:
        return failure_code, False
    if http_status in (502, 503, 504):
        return ErrorCode.UNABLE_TO_CONNECT, True
    if http_status >= 500:
        return failure_code, True
    return failure_code, False


def error_from_response(
    *,
    operation: str,
    failure_code: ErrorCode,
    http_status: int,
    body: object,
    retry_after: float | None = None,
    secrets: Iterable[str] = (),
    outcome_unknown: bool = False,
) -> AvalaraResponseError:
    """Build the error for a non-2xx answer; ``secrets`` are masked in anything Avalara echoed."""
    masked = [secret for secret in secrets if secret]
    avalara_code, message, details = parse_error_body(body)
    if masked:
        message = _mask(message, masked)
        details = tuple(_mask_detail(detail, masked) for detail in details)
    texts = [message or ""]
    for detail in details:
        texts.extend((detail.message, detail.description))
    code, retryable = classify(
        http_status=http_status,
        avalara_code=avalara_code,
        texts=texts,
        refers_to=[detail.refers_to for detail in details],
        failure_code=failure_code,
    )
    return AvalaraResponseError(
        code,
        operation=operation,
        retryable=retryable,
        http_status=http_status,
        avalara_code=avalara_code,
        avalara_message=message,
        details=details,
        retry_after=retry_after,
        reason="" if avalara_code else "no Avalara error body",
        outcome_unknown=outcome_unknown,
    )


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _mask(text: str | None, secrets: list[str]) -> str | None:
    if text is None:
        return None
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


def _mask_detail(detail: ErrorDetail, secrets: list[str]) -> ErrorDetail:
    return replace(
        detail,
        message=_mask(detail.message, secrets) or "",
        description=_mask(detail.description, secrets) or "",
    )
