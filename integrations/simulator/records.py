"""The stored records (accounts, companies, customers, certificates, requests) and their JSON.

A company holds its own customers, certificates and the links between them.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from .errors import not_found

CERTIFICATE_TEXT_FIELDS = ("exemptionNumber", "taxNumberType", "businessNumberType")


@dataclass
class Account:
    account_id: int
    username: str | None = None
    password: str | None = None
    license_key: str | None = None
    user_id: int | None = None
    ping_company_id: int | None = None
    reasons: list[dict] = field(default_factory=list)

    def authentication_type(self, user: str, secret: str) -> str | None:
        if self.username is not None and (user, secret) == (self.username, self.password):
            return "UsernamePassword"
        if self.license_key is not None and (user, secret) == (
            str(self.account_id),
            self.license_key,
        ):
            return "AccountIdLicenseKey"
        return None


@dataclass
class Customer:
    id: int
    company_id: int
    code: str
    fields: dict
    created: datetime
    modified: datetime

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "companyId": self.company_id,
            **self.fields,
            "createdDate": iso_datetime(self.created),
            "modifiedDate": iso_datetime(self.modified),
        }


@dataclass
class Certificate:
    id: int
    company_id: int
    fields: dict
    exemption_reason: dict
    exposure_zone: dict
    verified: bool
    created: datetime
    modified: datetime
    document: bytes | None = None
    document_type: str | None = None
    page_count: int = 0

    def ecm_status(self, today: date) -> str:
        if self.fields["expirationDate"] < today:
            return "Expired"
        if self.fields["signedDate"] > today:
            return "PendingFuture"
        return "Valid" if self.fields["valid"] else "Invalid"

    def to_json(self, today: date) -> dict:
        fields = self.fields
        body = {
            "id": self.id,
            "companyId": self.company_id,
            "signedDate": fields["signedDate"].isoformat(),
            "expirationDate": fields["expirationDate"].isoformat(),
            "filename": fields.get("filename"),
            "documentExists": self.document is not None,
            "valid": fields["valid"],
            "verified": self.verified,
            "exemptPercentage": fields["exemptPercentage"],
            "isSingleCertificate": fields["isSingleCertificate"],
            **{name: fields[name] for name in CERTIFICATE_TEXT_FIELDS if name in fields},
            "exemptionReason": dict(self.exemption_reason),
            "status": "COMPLETE" if self.verified else "PENDING",
            "ecmStatus": self.ecm_status(today),
            "createdDate": iso_datetime(self.created),
            "modifiedDate": self.modified.date().isoformat(),
            "pageCount": self.page_count,
            "exposureZone": dict(self.exposure_zone),
        }
        return {key: value for key, value in body.items() if value is not None}


class Links:
    """Which customer codes each certificate is linked to, indexed both ways.

    Iterates as `(certificate id, customer code)` pairs; lookups by either side are direct, so a
    company with 100,000 certificates answers a page with its customers without a scan.
    """

    def __init__(self) -> None:
        self._codes: dict[int, set[str]] = {}
        self._certificates: dict[str, set[int]] = {}

    def __iter__(self):
        return ((cid, code) for cid, codes in self._codes.items() for code in codes)

    def __len__(self) -> int:
        return sum(len(codes) for codes in self._codes.values())

    def __contains__(self, pair) -> bool:
        return pair[1] in self._codes.get(pair[0], ())

    def add(self, pair: tuple[int, str]) -> None:
        self._codes.setdefault(pair[0], set()).add(pair[1])
        self._certificates.setdefault(pair[1], set()).add(pair[0])

    def discard(self, pair: tuple[int, str]) -> None:
        self._codes.get(pair[0], set()).discard(pair[1])
        self._certificates.get(pair[1], set()).discard(pair[0])

    def codes_of(self, certificate_id: int) -> set[str]:
        return self._codes.get(certificate_id, set())

    def certificates_of(self, code: str) -> set[int]:
        return self._certificates.get(code, set())

    def drop_certificate(self, certificate_id: int) -> None:
        for code in self._codes.pop(certificate_id, set()):
            self._certificates.get(code, set()).discard(certificate_id)

    def drop_customer(self, code: str) -> None:
        for cid in self._certificates.pop(code, set()):
            self._codes.get(cid, set()).discard(code)


@dataclass
class Company:
    id: int
    account_id: int
    company_code: str
    name: str
    is_default: bool
    provision_status: str
    created: datetime
    provision_ready_at: float | None = None
    customers: dict[str, Customer] = field(default_factory=dict)
    certificates: dict[int, Certificate] = field(default_factory=dict)
    links: Links = field(default_factory=Links)

    def customer(self, code: str) -> Customer:
        customer = self.customers.get(code)
        if customer is None:
            raise not_found("Customer", "code", code)
        return customer

    def certificate(self, certificate_id: int) -> Certificate:
        certificate = self.certificates.get(certificate_id)
        if certificate is None:
            raise not_found("Certificate", "ID", certificate_id)
        return certificate

    def certificates_of(self, code: str) -> list[Certificate]:
        self.customer(code)
        ids = sorted(self.links.certificates_of(code))
        return [self.certificates[cid] for cid in ids]

    def customers_of(self, certificate_id: int) -> list[Customer]:
        self.certificate(certificate_id)
        codes = sorted(self.links.codes_of(certificate_id))
        return [self.customers[code] for code in codes]

    def link(self, certificate_ids: list[int], codes: list[str], *, on: bool):
        """Link (on=True) or unlink every certificate with every customer code."""
        certificates = [self.certificate(cid) for cid in certificate_ids]
        customers = [self.customer(code) for code in codes]
        for certificate in certificates:
            for customer in customers:
                pair = (certificate.id, customer.code)
                if on:
                    self.links.add(pair)
                else:
                    self.links.discard(pair)
        return certificates, customers

    def delete_customer(self, code: str) -> Customer:
        customer = self.customer(code)
        del self.customers[code]
        self.links.drop_customer(code)
        return customer

    def delete_certificate(self, certificate_id: int) -> Certificate:
        certificate = self.certificate(certificate_id)
        del self.certificates[certificate_id]
        self.links.drop_certificate(certificate_id)
        return certificate

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "accountId": self.account_id,
            "companyCode": self.company_code,
            "name": self.name,
            "isDefault": self.is_default,
            "isActive": True,
            "isTest": True,
            "hasProfile": True,
            "isReportingEntity": False,
            "defaultCountry": "US",
            "baseCurrencyCode": "USD",
            "roundingLevelId": "Line",
            "warningsEnabled": True,
            "taxDependencyLevelId": "Document",
            "inProgress": False,
            "createdDate": iso_datetime(self.created),
            "modifiedDate": iso_datetime(self.created),
        }


@dataclass(frozen=True)
class RequestRecord:
    method: str
    path: str
    query: str
    operation: str | None
    status: int
    duration_ms: float
    account_id: int | None
    fault: str | None
    correlation_id: str


def iso_datetime(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
