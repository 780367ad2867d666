"""Avalara AvaTax REST v2: the thin client, its typed results and the error taxonomy."""

from .calls import CallObserver, CallRecord
from .client import (
    CLIENT_NAME,
    CLIENT_VERSION,
    PRODUCTION_BASE_URL,
    SANDBOX_BASE_URL,
    AvaTaxClient,
    base_url_for,
)
from .errors import (
    AvalaraConnectionError,
    AvalaraError,
    AvalaraResponseError,
    ErrorCode,
    ErrorDetail,
    error_for_code,
)
from .types import (
    Certificate,
    CertificateInput,
    CertificatePage,
    Company,
    Customer,
    CustomerInput,
    ExemptionReason,
    ExposureZone,
    PingResult,
    ProvisionStatus,
)

__all__ = [
    "CLIENT_NAME",
    "CLIENT_VERSION",
    "PRODUCTION_BASE_URL",
    "SANDBOX_BASE_URL",
    "AvaTaxClient",
    "AvalaraConnectionError",
    "AvalaraError",
    "AvalaraResponseError",
    "CallObserver",
    "CallRecord",
    "Certificate",
    "CertificateInput",
    "CertificatePage",
    "Company",
    "Customer",
    "CustomerInput",
    "ErrorCode",
    "ErrorDetail",
    "ExemptionReason",
    "ExposureZone",
    "PingResult",
    "ProvisionStatus",
    "base_url_for",
    "error_for_code",
]
