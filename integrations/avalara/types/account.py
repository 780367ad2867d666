"""Account-level results: ping, companies, ECM provisioning, the definitions and FetchResult."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .wire import WireFormatError, _bool, _int, _list, _mapping, _opt_int, _required_str, _str

PROVISIONED = "Provisioned"
IN_PROGRESS = "InProgress"
NOT_PROVISIONED = "NotProvisioned"


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
