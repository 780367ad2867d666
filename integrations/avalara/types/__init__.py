"""Typed results and inputs of the AvaTax client, and their wire (camelCase JSON) form.

``from_wire`` ignores unknown fields and defaults missing optional ones; a body of the wrong shape
raises ``WireFormatError`` (or KeyError/TypeError/ValueError), which the client reports as
UNKNOWN_ERROR. Field names: shared/avatax/REFERENCE.md §2-§8 and the 21.12 OpenAPI subset.
"""

from .account import (
    IN_PROGRESS,
    NOT_PROVISIONED,
    PROVISIONED,
    Company,
    ExemptionReason,
    ExposureZone,
    FetchResult,
    PingResult,
    ProvisionStatus,
)
from .ecm import Certificate, CertificateInput, CertificatePage, Customer, CustomerInput
from .wire import WireFormatError, parse_date, parse_datetime

__all__ = [
    "IN_PROGRESS",
    "NOT_PROVISIONED",
    "PROVISIONED",
    "Certificate",
    "CertificateInput",
    "CertificatePage",
    "Company",
    "Customer",
    "CustomerInput",
    "ExemptionReason",
    "ExposureZone",
    "FetchResult",
    "PingResult",
    "ProvisionStatus",
    "WireFormatError",
    "parse_date",
    "parse_datetime",
]
