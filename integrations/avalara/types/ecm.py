"""Exemption-certificate (ECM) results and inputs: customers and certificates."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .wire import (
    _bool,
    _int,
    _list,
    _mapping,
    _opt_date,
    _opt_datetime,
    _opt_float,
    _opt_int,
    _opt_mapping,
    _required_str,
    _str,
    _wire_date,
)


@dataclass(frozen=True)
class Certificate:
    """A CertificateModel. Dates are None only when Avalara leaves them out (status "Missing")."""

    id: int
    company_id: int | None
    signed_date: date | None
    expiration_date: date | None
    filename: str
    document_exists: bool
    valid: bool
    verified: bool
    exempt_percentage: float | None
    exemption_number: str
    exemption_reason: str
    status: str
    ecm_status: str
    exposure_zone: str
    exposure_zone_region: str
    exposure_zone_country: str
    is_single_certificate: bool
    page_count: int
    customer_codes: tuple[str, ...]
    po_numbers: tuple[str, ...]
    created_date: datetime | None
    modified_date: date | None
    # Newer fields (21.12 and the 2026 SDK models): AvaTax's own exemption record, the reason
    # CertCapture's review found, and why it judged the certificate invalid.
    ecms_status: str = ""
    validated_exemption_reason: str = ""
    invalid_reasons: tuple[str, ...] = ()

    @classmethod
    def from_wire(cls, data: object) -> Certificate:
        wire = _mapping(data, "CertificateModel")
        zone = _opt_mapping(wire, "exposureZone")
        reason = _opt_mapping(wire, "exemptionReason")
        return cls(
            id=_int(wire, "id"),
            company_id=_opt_int(wire, "companyId"),
            signed_date=_opt_date(wire, "signedDate"),
            expiration_date=_opt_date(wire, "expirationDate"),
            filename=_str(wire, "filename"),
            document_exists=_bool(wire, "documentExists"),
            valid=_bool(wire, "valid"),
            verified=_bool(wire, "verified"),
            exempt_percentage=_opt_float(wire, "exemptPercentage"),
            exemption_number=_str(wire, "exemptionNumber"),
            exemption_reason=_str(reason, "name"),
            status=_str(wire, "status"),
            ecm_status=_str(wire, "ecmStatus"),
            exposure_zone=_str(zone, "name") or _str(wire, "exposureZoneName"),
            exposure_zone_region=_str(zone, "region"),
            exposure_zone_country=_str(zone, "country"),
            is_single_certificate=_bool(wire, "isSingleCertificate"),
            page_count=_opt_int(wire, "pageCount") or 0,
            customer_codes=tuple(
                _required_str(_mapping(item, "CustomerModel"), "customerCode")
                for item in _list(wire, "customers")
            ),
            po_numbers=tuple(
                _required_str(_mapping(item, "PoNumberModel"), "poNumber")
                for item in _list(wire, "poNumbers")
            ),
            created_date=_opt_datetime(wire, "createdDate"),
            modified_date=_opt_date(wire, "modifiedDate"),
            ecms_status=_str(wire, "ecmsStatus"),
            validated_exemption_reason=_str(_opt_mapping(wire, "validatedExemptionReason"), "name"),
            invalid_reasons=tuple(_reason_name(item) for item in _list(wire, "invalidReasons")),
        )


def _reason_name(item: object) -> str:
    """An invalid reason as a name: a bare string, or a model's ``name`` (or description)."""
    if isinstance(item, str):
        return item
    wire = _mapping(item, "InvalidReasonModel")
    return _str(wire, "name") or _str(wire, "description")


@dataclass(frozen=True)
class CertificatePage:
    """One page of a certificate list, read by ``$skip``."""

    certificates: tuple[Certificate, ...]
    recordset_count: int | None
    skip: int
    top: int

    @property
    def next_skip(self) -> int | None:
        """Where the next page starts; None after the last one."""
        if len(self.certificates) < self.top:
            return None
        following = self.skip + self.top
        if self.recordset_count is not None and following >= self.recordset_count:
            return None
        return following


@dataclass(frozen=True)
class Customer:
    """A CustomerModel; ``certificates`` is filled only with ``$include=certificates``."""

    id: int | None
    company_id: int | None
    customer_code: str
    name: str
    line1: str
    line2: str
    city: str
    region: str
    postal_code: str
    country: str
    email_address: str
    phone_number: str
    contact_name: str
    taxpayer_id_number: str
    created_date: datetime | None
    modified_date: datetime | None
    certificates: tuple[Certificate, ...] = ()

    @classmethod
    def from_wire(cls, data: object) -> Customer:
        wire = _mapping(data, "CustomerModel")
        return cls(
            id=_opt_int(wire, "id"),
            company_id=_opt_int(wire, "companyId"),
            customer_code=_required_str(wire, "customerCode"),
            name=_str(wire, "name"),
            line1=_str(wire, "line1"),
            line2=_str(wire, "line2"),
            city=_str(wire, "city"),
            region=_str(wire, "region"),
            postal_code=_str(wire, "postalCode"),
            country=_str(wire, "country"),
            email_address=_str(wire, "emailAddress"),
            phone_number=_str(wire, "phoneNumber"),
            contact_name=_str(wire, "contactName"),
            taxpayer_id_number=_str(wire, "taxpayerIdNumber"),
            created_date=_opt_datetime(wire, "createdDate"),
            modified_date=_opt_datetime(wire, "modifiedDate"),
            certificates=tuple(Certificate.from_wire(item) for item in _list(wire, "certificates")),
        )


@dataclass(frozen=True)
class CustomerInput:
    """What Nuvo sends for CreateCustomers / UpdateCustomer (UpdateCustomer replaces the record)."""

    customer_code: str
    name: str
    line1: str
    city: str
    region: str
    postal_code: str
    country: str
    line2: str = ""
    email_address: str = ""
    phone_number: str = ""
    contact_name: str = ""
    taxpayer_id_number: str = ""

    def to_payload(self, company_id: int) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "companyId": company_id,
            "customerCode": self.customer_code,
            "name": self.name,
            "line1": self.line1,
            "city": self.city,
            "region": self.region,
            "postalCode": self.postal_code,
            "country": self.country,
        }
        optional = {
            "line2": self.line2,
            "emailAddress": self.email_address,
            "phoneNumber": self.phone_number,
            "contactName": self.contact_name,
            "taxpayerIdNumber": self.taxpayer_id_number,
        }
        payload.update({key: value for key, value in optional.items() if value})
        return payload


@dataclass(frozen=True)
class CertificateInput:
    """One certificate for CreateCertificates: its PDF inline (Base64 ``pdf``), or a ``filename``
    to attach later with UploadCertificateImage; exactly one of them (REFERENCE.md §5)."""

    signed_date: date
    expiration_date: date
    exemption_reason: str
    exposure_zone_name: str
    pdf: bytes = field(default=b"", repr=False)
    customer_codes: Sequence[str] = ()
    exemption_number: str = ""
    po_numbers: Sequence[str] = ()
    valid: bool | None = None
    exempt_percentage: float | None = None
    filename: str = ""

    def __post_init__(self) -> None:
        if bool(self.pdf) == bool(self.filename):
            raise ValueError("a CertificateInput needs exactly one of pdf or filename")
        object.__setattr__(self, "customer_codes", tuple(self.customer_codes))
        object.__setattr__(self, "po_numbers", tuple(self.po_numbers))

    def to_payload(self, company_id: int) -> dict[str, Any]:
        # Customers are linked by code, as in Avalara's own create example (dev guide 8.2.5); the
        # spec's full CustomerModel there is stricter than the API. `isSingleCertificate` is
        # read-only in the spec ("set during audit"), so it is never sent; a single-use
        # certificate is told by its PO number.
        payload: dict[str, Any] = {
            "signedDate": _wire_date(self.signed_date),
            "expirationDate": _wire_date(self.expiration_date),
            "exemptionReason": {"name": self.exemption_reason},
            "exposureZone": {"name": self.exposure_zone_name},
            "customers": [
                {"companyId": company_id, "customerCode": code} for code in self.customer_codes
            ],
        }
        if self.pdf:
            payload["pdf"] = base64.b64encode(self.pdf).decode("ascii")
        else:
            payload["filename"] = self.filename
        if self.exemption_number:
            payload["exemptionNumber"] = self.exemption_number
        if self.po_numbers:
            payload["poNumbers"] = [{"poNumber": number} for number in self.po_numbers]
        if self.valid is not None:
            payload["valid"] = self.valid
        if self.exempt_percentage is not None:
            payload["exemptPercentage"] = self.exempt_percentage
        return payload
