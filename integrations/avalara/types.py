"""Typed results and inputs of the AvaTax client, and their wire (camelCase JSON) form.

``from_wire`` ignores unknown fields and defaults missing optional ones; a body of the wrong shape
raises ``WireFormatError`` (or KeyError/TypeError/ValueError), which the client reports as
UNKNOWN_ERROR. Field names: shared/avatax/REFERENCE.md §2-§8 and the 21.12 OpenAPI subset.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

PROVISIONED = "Provisioned"
IN_PROGRESS = "InProgress"
NOT_PROVISIONED = "NotProvisioned"


class WireFormatError(ValueError):
    """An Avalara body that does not have the documented shape."""


@dataclass(frozen=True)
class PingResult:
    version: str
    authenticated: bool
    authentication_type: str
    authenticated_user_name: str
    authenticated_user_id: int | None
    authenticated_account_id: int | None
    authenticated_company_id: int | None

    @classmethod
    def from_wire(cls, data: object) -> PingResult:
        wire = _mapping(data, "PingResultModel")
        return cls(
            version=_str(wire, "version"),
            authenticated=_bool(wire, "authenticated"),
            authentication_type=_str(wire, "authenticationType"),
            authenticated_user_name=_str(wire, "authenticatedUserName"),
            authenticated_user_id=_opt_int(wire, "authenticatedUserId"),
            authenticated_account_id=_opt_int(wire, "authenticatedAccountId"),
            authenticated_company_id=_opt_int(wire, "authenticatedCompanyId"),
        )


@dataclass(frozen=True)
class Company:
    id: int
    account_id: int | None
    company_code: str
    name: str
    is_default: bool
    is_active: bool
    is_test: bool
    default_country: str

    @classmethod
    def from_wire(cls, data: object) -> Company:
        wire = _mapping(data, "CompanyModel")
        return cls(
            id=_int(wire, "id"),
            account_id=_opt_int(wire, "accountId"),
            company_code=_str(wire, "companyCode"),
            name=_str(wire, "name"),
            is_default=_bool(wire, "isDefault"),
            is_active=_bool(wire, "isActive"),
            is_test=_bool(wire, "isTest"),
            default_country=_str(wire, "defaultCountry"),
        )


@dataclass(frozen=True)
class ProvisionStatus:
    """ECM setup state of a company: Provisioned, InProgress or NotProvisioned."""

    status: str
    account_id: int | None
    company_id: int | None

    @property
    def is_provisioned(self) -> bool:
        return self.status == PROVISIONED

    @classmethod
    def from_wire(cls, data: object) -> ProvisionStatus:
        wire = _mapping(data, "ProvisionStatusModel")
        status = _str(wire, "status")
        if not status:
            raise WireFormatError("ProvisionStatusModel without a status")
        return cls(
            status=status,
            account_id=_opt_int(wire, "accountId"),
            company_id=_opt_int(wire, "companyId"),
        )


@dataclass(frozen=True)
class ExposureZone:
    id: int | None
    name: str
    region: str
    country: str
    tag: str
    description: str

    @classmethod
    def from_wire(cls, data: object) -> ExposureZone:
        wire = _mapping(data, "ExposureZoneModel")
        return cls(
            id=_opt_int(wire, "id"),
            name=_required_str(wire, "name"),
            region=_str(wire, "region"),
            country=_str(wire, "country"),
            tag=_str(wire, "tag"),
            description=_str(wire, "description"),
        )


@dataclass(frozen=True)
class ExemptionReason:
    id: int | None
    name: str

    @classmethod
    def from_wire(cls, data: object) -> ExemptionReason:
        wire = _mapping(data, "ExemptionReasonModel")
        return cls(id=_opt_int(wire, "id"), name=_required_str(wire, "name"))


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
    is_single_certificate: bool
    page_count: int
    customer_codes: tuple[str, ...]
    po_numbers: tuple[str, ...]
    created_date: datetime | None
    modified_date: date | None

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
        )


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
    """One certificate for CreateCertificates, with its PDF inline (Base64 ``pdf``)."""

    signed_date: date
    expiration_date: date
    exemption_reason: str
    exposure_zone_name: str
    pdf: bytes = field(repr=False)
    customer_codes: Sequence[str] = ()
    exemption_number: str = ""
    is_single_certificate: bool = False
    po_numbers: Sequence[str] = ()
    valid: bool | None = None
    exempt_percentage: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "customer_codes", tuple(self.customer_codes))
        object.__setattr__(self, "po_numbers", tuple(self.po_numbers))

    def to_payload(self, company_id: int) -> dict[str, Any]:
        # Customers are linked by code, as in Avalara's own create example (dev guide 8.2.5); the
        # spec's full CustomerModel there is stricter than the API. `isSingleCertificate` is
        # read-only in the spec but accepted on input (same example), so it is sent only when set.
        payload: dict[str, Any] = {
            "signedDate": _wire_date(self.signed_date),
            "expirationDate": _wire_date(self.expiration_date),
            "exemptionReason": {"name": self.exemption_reason},
            "exposureZone": {"name": self.exposure_zone_name},
            "pdf": base64.b64encode(self.pdf).decode("ascii"),
            "customers": [
                {"companyId": company_id, "customerCode": code} for code in self.customer_codes
            ],
        }
        if self.is_single_certificate:
            payload["isSingleCertificate"] = True
        if self.exemption_number:
            payload["exemptionNumber"] = self.exemption_number
        if self.po_numbers:
            payload["poNumbers"] = [{"poNumber": number} for number in self.po_numbers]
        if self.valid is not None:
            payload["valid"] = self.valid
        if self.exempt_percentage is not None:
            payload["exemptPercentage"] = self.exempt_percentage
        return payload


@dataclass(frozen=True)
class FetchResult:
    """Avalara's list wrapper: ``{"@recordsetCount": n, "value": [...], "@nextLink": "..."}``."""

    value: tuple[Mapping[str, Any], ...]
    recordset_count: int | None
    next_link: str | None

    @classmethod
    def from_wire(cls, data: object) -> FetchResult:
        wire = _mapping(data, "FetchResult")
        if "value" not in wire:
            raise WireFormatError("FetchResult without a value list")
        next_link = wire.get("@nextLink")
        if next_link is not None and not isinstance(next_link, str):
            raise WireFormatError("FetchResult @nextLink is not a string")
        return cls(
            value=tuple(_mapping(item, "FetchResult item") for item in _list(wire, "value")),
            recordset_count=_opt_int(wire, "@recordsetCount"),
            next_link=next_link or None,
        )


def parse_date(value: str) -> date:
    """A date sent as ``YYYY-MM-DD`` or as a timestamp (``YYYY-MM-DDT00:00:00[Z|±hh:mm]``)."""
    if "T" in value or " " in value.strip():
        return datetime.fromisoformat(value.strip()).date()
    return date.fromisoformat(value.strip())


def parse_datetime(value: str) -> datetime:
    """An aware datetime; AvaTax stores UTC, so a timestamp without an offset is taken as UTC."""
    parsed = datetime.fromisoformat(value.strip())
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _wire_date(value: date) -> str:
    return date(value.year, value.month, value.day).isoformat()


def _mapping(value: object, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise WireFormatError(f"expected a {what} object, got {type(value).__name__}")
    return value


def _opt_mapping(wire: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = wire.get(key)
    return {} if value is None else _mapping(value, key)


def _list(wire: Mapping[str, Any], key: str) -> list[Any]:
    value = wire.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise WireFormatError(f"{key} is not a list")
    return value


def _str(wire: Mapping[str, Any], key: str) -> str:
    value = wire.get(key)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise WireFormatError(f"{key} is not a string")
    return str(value)


def _required_str(wire: Mapping[str, Any], key: str) -> str:
    value = _str(wire, key)
    if not value:
        raise WireFormatError(f"{key} is missing")
    return value


def _opt_int(wire: Mapping[str, Any], key: str) -> int | None:
    value = wire.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise WireFormatError(f"{key} is not an integer")
    return value


def _int(wire: Mapping[str, Any], key: str) -> int:
    value = _opt_int(wire, key)
    if value is None:
        raise WireFormatError(f"{key} is missing")
    return value


def _bool(wire: Mapping[str, Any], key: str) -> bool:
    value = wire.get(key)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise WireFormatError(f"{key} is not a boolean")
    return value


def _opt_float(wire: Mapping[str, Any], key: str) -> float | None:
    value = wire.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise WireFormatError(f"{key} is not a number")
    return float(value)


def _opt_date(wire: Mapping[str, Any], key: str) -> date | None:
    value = _str(wire, key)
    return parse_date(value) if value else None


def _opt_datetime(wire: Mapping[str, Any], key: str) -> datetime | None:
    value = _str(wire, key)
    return parse_datetime(value) if value else None
