"""In-memory AvaTax/ECM state behind one lock, the rules it enforces, and AvaTax's error shape.

Everything that reads or writes accounts, companies, customers or certificates holds `lock`
(the WSGI app takes it around each handler). Wording of errors follows developer.avalara.com
error pages (REFERENCE.md §9).
"""

import base64
import binascii
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from .accounts import DEMO_ACCOUNTS, AccountSeed, exempt_reasons, exposure_zones
from .faults import FaultInjector

ERROR_NUMBERS = {
    "EntityNotFoundError": 4,
    "ValueRequiredError": 5,
    "StringLengthError": 13,
    "InvalidQueryField": 17,
    "InvalidQueryValue": 18,
    "DateFormatError": 26,
    "AuthenticationException": 30,
    "AuthenticationIncomplete": 34,
    "BasicAuthIncorrect": 35,
    "ModelRequiredException": 38,
    "JsonFormatError": 47,
    "UnhandledException": 50,
    "ModelStateInvalid": 70,
    "DeleteInformation": 100,
    "MalformedFilterException": 182,
    "DuplicateEntry": 193,
    "InternalServerError": 209,
    "InvalidParameterValue": 306,
    "ServerUnreachable": 500,
    "CertificatesError": 1203,
    "MissingRequiredFields": 1204,
    "CertificatesNotSetup": 1205,
    "MissingExemptReason": 1210,
    "InvalidExemptReason": 1211,
    "ConflictingFields": 1213,
    "InvalidPdfOrImageFile": 1214,
    "InvalidRequestContentType": 1217,
    "ExemptionPaginationLimits": 1218,
    "ExemptionSortLimits": 1219,
    "FieldNotQueryableError": 1408,
    "RateLimitExceededError": 1723,
}

# CertCapture's answer to a `pdf` that is not a PDF, passed through in details[0].description with
# AvaTax's trailing "." (github.com/avadev/AvaTax-REST-V2-DotNet-SDK/issues/214 and
# github.com/avadev/AvaTax-REST-V2-JRE-SDK/issues/149).
NOT_A_PDF = (
    '{"success":false,"code":"100110",'
    '"error":{"pdf":["The uploaded file must be a base64 encoded PDF."]}}.'
)
UNKNOWN_ZONE = (  # simulator wording: no stored source shows CertCapture's answer
    '{"success":false,"code":"100110",'
    '"error":{"exposure_zone":["The selected exposure zone is invalid."]}}.'
)

CUSTOMER_STRING_FIELDS = (
    "customerCode",
    "alternateId",
    "name",
    "attnName",
    "line1",
    "line2",
    "city",
    "postalCode",
    "phoneNumber",
    "faxNumber",
    "emailAddress",
    "contactName",
    "country",
    "region",
    "taxpayerIdNumber",
)
CUSTOMER_REQUIRED = ("customerCode", "name", "line1", "city", "region", "postalCode", "country")
CUSTOMER_MAX_LENGTHS = {"customerCode": 50, "line1": 50, "line2": 50, "region": 3}
COUNTRY_ALIASES = {"USA": "US", "UNITED STATES": "US", "CAN": "CA", "CANADA": "CA"}
CERTIFICATE_TEXT_FIELDS = ("exemptionNumber", "taxNumberType", "businessNumberType")


class ApiError(Exception):
    """An AvaTax ErrorResult with its HTTP status."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        description: str | None = None,
        *,
        target: str = "HttpRequest",
        refers_to: str | None = None,
        fault_code: str = "Client",
        severity: str = "Error",
        details: list[dict] | None = None,
        headers: list[tuple[str, str]] | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.headers = headers or []
        self.code = code
        self.message = message
        self.target = target
        self.details = details or [
            error_detail(code, message, description, refers_to, fault_code, severity)
        ]

    def body(self) -> dict:
        return {
            "error": {
                "code": self.code,
                "message": self.message,
                "target": self.target,
                "details": self.details,
            }
        }


def error_detail(
    code: str,
    message: str,
    description: str | None = None,
    refers_to: str | None = None,
    fault_code: str = "Client",
    severity: str = "Error",
) -> dict:
    detail = {
        "code": code,
        "number": ERROR_NUMBERS.get(code),
        "message": message,
        "description": description,
        "faultCode": fault_code,
        "helpLink": f"http://developer.avalara.com/avatax/errors/{code}",
        "refersTo": refers_to,
        "severity": severity,
    }
    return {key: value for key, value in detail.items() if value is not None}


def validation_error(details: list[dict]) -> ApiError:
    first = details[0]
    return ApiError(400, first["code"], first["message"], target="IncorrectData", details=details)


def not_found(entity: str, key: str, value) -> ApiError:
    return ApiError(
        404,
        "EntityNotFoundError",
        f"{entity} not found.",
        f"The {entity} with {key} '{value}' was not found.",
        refers_to=entity,
    )


def not_set_up(company_id: int) -> ApiError:
    return ApiError(
        400,
        "CertificatesNotSetup",
        "This company has not been configured.",
        f"The company '{company_id}' is not found for exemption certificates.",
        target="CustomerAccountSetup",
        fault_code="Server",
    )


def certificates_error(description: str) -> ApiError:
    return ApiError(
        400,
        "CertificatesError",
        "Certificates API returned error",
        description,
        target="IncorrectData",
    )


@dataclass
class Account:
    account_id: int
    username: str | None = None
    password: str | None = None
    license_key: str | None = None
    user_id: int | None = None
    ping_company_id: int | None = None

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
    links: set[tuple[int, str]] = field(default_factory=set)


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


class SimulatorState:
    """Accounts, companies and their ECM data, the request log and the fault rules."""

    def __init__(
        self,
        *,
        page_size: int = 1000,
        provisioning_delay: float = 3.0,
        seed: int | None = None,
        latency_ms: int = 0,
        error_rate: float = 0.0,
        accounts: tuple[AccountSeed, ...] = DEMO_ACCOUNTS,
    ):
        self.lock = threading.RLock()
        self.stopping = threading.Event()
        self.page_size = page_size
        self.provisioning_delay = provisioning_delay
        self.clock = lambda: datetime.now(UTC)
        self.faults = FaultInjector(seed)
        self._startup = {"latency_ms": latency_ms, "error_rate": error_rate, "seed": seed}
        self._seeds = accounts
        self.zones = exposure_zones()
        self.reasons = exempt_reasons()
        self.reset()

    def reset(self) -> None:
        """Back to the seeded accounts with no customers, certificates, requests or extra faults."""
        with self.lock:
            self.accounts: dict[int, Account] = {}
            self.companies: dict[int, Company] = {}
            self._records: list[RequestRecord] = []
            self._next_customer_id = 300001
            self._next_certificate_id = 500001
            for seed in self._seeds:
                self._add_seed(seed)
        self.faults.clear()
        self.faults.configure(**self._startup)

    def _add_seed(self, seed: AccountSeed) -> None:
        self.accounts[seed.account_id] = Account(
            seed.account_id,
            seed.username,
            seed.password,
            seed.license_key,
            seed.user_id,
            seed.ping_company_id,
        )
        for company in seed.companies:
            self.add_company(
                company.id,
                account_id=seed.account_id,
                company_code=company.company_code,
                name=company.name,
                is_default=company.is_default,
                provisioned=company.provisioned,
            )

    # Accounts and companies

    def add_account(
        self,
        *,
        account_id: int | None = None,
        username: str | None = None,
        password: str | None = None,
        license_key: str | None = None,
        company_ids: tuple[int, ...] | list[int] = (),
        ping_company_id: int | None = None,
        provisioned: bool = True,
        user_id: int | None = None,
    ) -> Account:
        """Add an account whose first company (created if new) is the default one."""
        with self.lock:
            account_id = account_id or max(self.accounts, default=2000100000) + 1
            if username is not None and user_id is None:
                user_id = 9100000 + account_id % 100000
            account = Account(account_id, username, password, license_key, user_id, ping_company_id)
            self.accounts[account_id] = account
            for index, company_id in enumerate(company_ids):
                if company_id not in self.companies:
                    self.add_company(
                        company_id,
                        account_id=account_id,
                        is_default=index == 0,
                        provisioned=provisioned,
                    )
            return account

    def add_company(
        self,
        company_id: int,
        *,
        account_id: int,
        company_code: str | None = None,
        name: str | None = None,
        is_default: bool = False,
        provisioned: bool = True,
    ) -> Company:
        with self.lock:
            company = Company(
                id=company_id,
                account_id=account_id,
                company_code=company_code or f"COMPANY{company_id}",
                name=name or f"Simulator Company {company_id}",
                is_default=is_default,
                provision_status="Provisioned" if provisioned else "NotProvisioned",
                created=self.clock(),
            )
            self.companies[company_id] = company
            return company

    def authenticate(self, user: str, secret: str) -> tuple[Account, str] | None:
        with self.lock:
            for account in self.accounts.values():
                kind = account.authentication_type(user, secret)
                if kind:
                    return account, kind
        return None

    def account_companies(self, account: Account) -> list[Company]:
        return sorted(
            (c for c in self.companies.values() if c.account_id == account.account_id),
            key=lambda c: c.id,
        )

    def company_for(self, account: Account, company_id: int) -> Company:
        company = self.companies.get(company_id)
        if company is None or company.account_id != account.account_id:
            raise not_found("Company", "ID", company_id)
        return company

    # Provisioning (REFERENCE.md §7)

    def provision_status(self, company: Company) -> str:
        ready_at = company.provision_ready_at
        if company.provision_status == "InProgress" and ready_at <= time.monotonic():
            company.provision_status = "Provisioned"
        return company.provision_status

    def request_provisioning(self, company: Company) -> str:
        if self.provision_status(company) == "NotProvisioned":
            company.provision_status = "InProgress"
            company.provision_ready_at = time.monotonic() + self.provisioning_delay
        return company.provision_status

    def require_provisioned(self, company: Company) -> None:
        if self.provision_status(company) != "Provisioned":
            raise not_set_up(company.id)

    def require_account_provisioned(self, account: Account) -> None:
        """Definitions read the account's CertCapture data: one provisioned company is enough."""
        companies = self.account_companies(account)
        if not any(self.provision_status(c) == "Provisioned" for c in companies):
            raise not_set_up(companies[0].id if companies else 0)

    # Customers

    def create_customers(self, company: Company, items: list) -> list[Customer]:
        """CreateCustomers: validate the whole batch, then add every customer or none."""
        details, batch = [], []
        for index, item in enumerate(items):
            fields, problems = customer_fields(item, f"[{index}].")
            details += problems
            batch.append(fields)
        if details:
            raise validation_error(details)
        codes = [fields["customerCode"] for fields in batch]
        for code in codes:
            if code in company.customers or codes.count(code) > 1:
                raise duplicate_customer(code)
        return [self._add_customer(company, fields) for fields in batch]

    def _add_customer(self, company: Company, fields: dict) -> Customer:
        now = self.clock()
        code = fields["customerCode"]
        customer = Customer(self._next_customer_id, company.id, code, fields, now, now)
        self._next_customer_id += 1
        company.customers[code] = customer
        return customer

    def customer(self, company: Company, code: str) -> Customer:
        customer = company.customers.get(code)
        if customer is None:
            raise not_found("Customer", "code", code)
        return customer

    def replace_customer(self, company: Company, code: str, item) -> Customer:
        customer = self.customer(company, code)
        if not isinstance(item, dict):
            raise validation_error([model_state_detail(item, "CustomerModel")])
        fields, problems = customer_fields({**item, "customerCode": code}, "")
        if problems:
            raise validation_error(problems)
        customer.fields = fields
        customer.modified = self.clock()
        return customer

    def delete_customer(self, company: Company, code: str) -> Customer:
        customer = self.customer(company, code)
        del company.customers[code]
        company.links = {link for link in company.links if link[1] != code}
        return customer

    def certificates_of(self, company: Company, code: str) -> list[Certificate]:
        self.customer(company, code)
        ids = sorted(cid for cid, linked in company.links if linked == code)
        return [company.certificates[cid] for cid in ids]

    # Certificates (REFERENCE.md §5)

    def create_certificates(
        self, company: Company, items: list, *, prevalidated: bool
    ) -> list[Certificate]:
        """CreateCertificates: every item is checked before any is stored."""
        checked = [self._certificate_input(item, creating=True) for item in items]
        created = []
        for values, document, customers in checked:
            certificate = self._new_certificate(company, values, verified=prevalidated)
            if document is not None:
                self._store_document(certificate, document, "application/pdf")
            for customer in customers:
                code = customer["customerCode"]
                if code not in company.customers:
                    self._add_customer(company, placeholder_customer(customer))
                company.links.add((certificate.id, code))
            created.append(certificate)
        return created

    def _new_certificate(self, company: Company, values: dict, *, verified: bool) -> Certificate:
        now = self.clock()
        certificate = Certificate(
            id=self._next_certificate_id,
            company_id=company.id,
            verified=verified,
            created=now,
            modified=now,
            **values,
        )
        self._next_certificate_id += 1
        company.certificates[certificate.id] = certificate
        return certificate

    def certificate(self, company: Company, certificate_id: int) -> Certificate:
        certificate = company.certificates.get(certificate_id)
        if certificate is None:
            raise not_found("Certificate", "ID", certificate_id)
        return certificate

    def replace_certificate(self, company: Company, certificate_id: int, item) -> Certificate:
        certificate = self.certificate(company, certificate_id)
        values, _, _ = self._certificate_input(item, creating=False)
        values["fields"].setdefault("filename", certificate.fields.get("filename"))
        for name, value in values.items():
            setattr(certificate, name, value)
        certificate.modified = self.clock()
        return certificate

    def delete_certificate(self, company: Company, certificate_id: int) -> Certificate:
        certificate = self.certificate(company, certificate_id)
        del company.certificates[certificate_id]
        company.links = {link for link in company.links if link[0] != certificate_id}
        return certificate

    def attach_document(self, company: Company, certificate_id: int, data: bytes, kind: str):
        certificate = self.certificate(company, certificate_id)
        self._store_document(certificate, data, kind)
        certificate.modified = self.clock()

    def _store_document(self, certificate: Certificate, data: bytes, kind: str) -> None:
        certificate.document = data
        certificate.document_type = kind
        certificate.page_count = count_pdf_pages(data) if kind == "application/pdf" else 1
        certificate.fields["filename"] = certificate.fields.get("filename") or str(uuid.uuid4())

    def customers_of(self, company: Company, certificate_id: int) -> list[Customer]:
        self.certificate(company, certificate_id)
        codes = sorted(code for cid, code in company.links if cid == certificate_id)
        return [company.customers[code] for code in codes]

    def link(self, company: Company, certificate_ids: list[int], codes: list[str], *, on: bool):
        """Link (on=True) or unlink every certificate with every customer code."""
        certificates = [self.certificate(company, cid) for cid in certificate_ids]
        customers = [self.customer(company, code) for code in codes]
        for certificate in certificates:
            for customer in customers:
                pair = (certificate.id, customer.code)
                if on:
                    company.links.add(pair)
                else:
                    company.links.discard(pair)
        return certificates, customers

    def _certificate_input(self, item, *, creating: bool) -> tuple[dict, bytes | None, list]:
        item = _as_dict(item)
        document = None
        if creating:
            document = certificate_document(item)
        reason = self._exemption_reason(item.get("exemptionReason"))
        zone = self._exposure_zone(item.get("exposureZone"))
        dates = {name: required_date(item, name) for name in ("signedDate", "expirationDate")}
        customers = _as_list(item.get("customers"), "customers") if creating else []
        for index, customer in enumerate(customers):
            if not isinstance(customer, dict) or not customer.get("customerCode"):
                raise validation_error([required_detail(f"customers[{index}].customerCode")])
        fields = {
            **dates,
            "valid": item.get("valid") is not False,
            "exemptPercentage": _percentage(item.get("exemptPercentage")),
            "isSingleCertificate": bool(item.get("isSingleCertificate", False)),
            **{name: item[name] for name in CERTIFICATE_TEXT_FIELDS if item.get(name)},
        }
        if item.get("filename"):
            fields["filename"] = item["filename"]
        values = {"fields": fields, "exemption_reason": reason, "exposure_zone": zone}
        return values, document, customers

    def _exemption_reason(self, given) -> dict:
        name = given.get("name") if isinstance(given, dict) else None
        if not name:
            raise ApiError(
                400,
                "MissingExemptReason",
                "Exempt reason Field is missing.",
                "To create a certificate, the field 'exemptReason' is required.",
                target="IncorrectData",
            )
        for reason in self.reasons:
            if reason["name"].upper() == str(name).strip().upper():
                return reason
        raise ApiError(
            400,
            "InvalidExemptReason",
            f"Invalid exempt reason: {name}.",
            "To create a certificate, a valid exempt reason is required.",
            target="IncorrectData",
        )

    def _exposure_zone(self, given) -> dict:
        name = given.get("name") if isinstance(given, dict) else None
        if not name:
            raise validation_error([required_detail("exposureZone")])
        for zone in self.zones:
            if zone["name"].upper() == str(name).strip().upper():
                return zone
        raise certificates_error(UNKNOWN_ZONE)

    # Serialisation to the wire models

    def today(self) -> date:
        return self.clock().date()

    def company_json(self, company: Company) -> dict:
        return {
            "id": company.id,
            "accountId": company.account_id,
            "companyCode": company.company_code,
            "name": company.name,
            "isDefault": company.is_default,
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
            "createdDate": iso_datetime(company.created),
            "modifiedDate": iso_datetime(company.created),
        }

    def customer_json(self, customer: Customer, *, certificates: bool = False) -> dict:
        body = {
            "id": customer.id,
            "companyId": customer.company_id,
            **customer.fields,
            "createdDate": iso_datetime(customer.created),
            "modifiedDate": iso_datetime(customer.modified),
        }
        if certificates:
            company = self.companies[customer.company_id]
            body["certificates"] = [
                self.certificate_json(c) for c in self.certificates_of(company, customer.code)
            ]
        return body

    def certificate_json(self, certificate: Certificate, *, customers: bool = False) -> dict:
        fields = certificate.fields
        body = {
            "id": certificate.id,
            "companyId": certificate.company_id,
            "signedDate": fields["signedDate"].isoformat(),
            "expirationDate": fields["expirationDate"].isoformat(),
            "filename": fields.get("filename"),
            "documentExists": certificate.document is not None,
            "valid": fields["valid"],
            "verified": certificate.verified,
            "exemptPercentage": fields["exemptPercentage"],
            "isSingleCertificate": fields["isSingleCertificate"],
            **{name: fields[name] for name in CERTIFICATE_TEXT_FIELDS if name in fields},
            "exemptionReason": dict(certificate.exemption_reason),
            "status": "COMPLETE" if certificate.verified else "PENDING",
            "ecmStatus": self.ecm_status(certificate),
            "createdDate": iso_datetime(certificate.created),
            "modifiedDate": certificate.modified.date().isoformat(),
            "pageCount": certificate.page_count,
            "exposureZone": dict(certificate.exposure_zone),
        }
        if customers:
            company = self.companies[certificate.company_id]
            body["customers"] = [
                self.customer_json(c) for c in self.customers_of(company, certificate.id)
            ]
        return {key: value for key, value in body.items() if value is not None}

    def ecm_status(self, certificate: Certificate) -> str:
        today = self.today()
        if certificate.fields["expirationDate"] < today:
            return "Expired"
        if certificate.fields["signedDate"] > today:
            return "PendingFuture"
        return "Valid" if certificate.fields["valid"] else "Invalid"

    # Request log

    def record(self, entry: RequestRecord) -> None:
        with self.lock:
            self._records.append(entry)

    def requests(self, operation: str | None = None) -> list[RequestRecord]:
        """Received AvaTax requests, oldest first, optionally for one operationId."""
        with self.lock:
            return [r for r in self._records if operation in (None, r.operation)]

    def count(self, operation: str | None = None, status: int | None = None) -> int:
        return sum(1 for r in self.requests(operation) if status in (None, r.status))

    def clear_requests(self) -> None:
        with self.lock:
            self._records.clear()

    def summary(self) -> dict:
        """Companies with their customers and certificates, for /_simulator/state."""
        with self.lock:
            return {
                "companies": [
                    {
                        "id": company.id,
                        "accountId": company.account_id,
                        "name": company.name,
                        "isDefault": company.is_default,
                        "provisionStatus": self.provision_status(company),
                        "customers": sorted(company.customers),
                        "certificates": [
                            {
                                "id": certificate.id,
                                "exposureZone": certificate.exposure_zone["name"],
                                "exemptionReason": certificate.exemption_reason["name"],
                                "documentExists": certificate.document is not None,
                                "ecmStatus": self.ecm_status(certificate),
                                "customers": sorted(
                                    code for cid, code in company.links if cid == certificate.id
                                ),
                            }
                            for certificate in company.certificates.values()
                        ],
                    }
                    for company in sorted(self.companies.values(), key=lambda c: c.id)
                ]
            }


# Input rules


def customer_fields(item, prefix: str) -> tuple[dict, list[dict]]:
    """The stored fields of one CustomerModel and the problems found in it."""
    if not isinstance(item, dict):
        return {}, [model_state_detail(item, "CustomerModel")]
    problems = []
    fields = {}
    for name in CUSTOMER_STRING_FIELDS:
        value = item.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            problems.append(model_state_detail(value, name))
            continue
        fields[name] = value
    for name in CUSTOMER_REQUIRED:
        if not str(fields.get(name, "")).strip() and not _reported(problems, name):
            problems.append(required_detail(prefix + name))
    for name, limit in CUSTOMER_MAX_LENGTHS.items():
        if len(fields.get(name, "")) > limit:
            problems.append(length_detail(prefix + name, 1 if name == "line1" else 0, limit))
    for name in ("isBill", "isShip"):
        if isinstance(item.get(name), bool):
            fields[name] = item[name]
    if isinstance(item.get("exposureZones"), list):
        fields["exposureZones"] = [
            {"name": zone["name"]} for zone in item["exposureZones"] if isinstance(zone, dict)
        ]
    if "country" in fields:
        fields["country"] = COUNTRY_ALIASES.get(fields["country"].upper(), fields["country"])
    return fields, problems


def _reported(problems: list[dict], name: str) -> bool:
    return any(p.get("refersTo", "").endswith(name) for p in problems)


def placeholder_customer(given: dict) -> dict:
    """A customer CreateCertificates creates from a bare reference: required strings as ''."""
    fields, _ = customer_fields(given, "")
    return {**dict.fromkeys(CUSTOMER_REQUIRED, ""), **fields}


def duplicate_customer(code: str) -> ApiError:
    return ApiError(
        400,
        "DuplicateEntry",
        "The object is a duplicate of an existing object.",
        "The object that you are trying to create already exists. Each Customer object must "
        f"have a unique identity. The identity of a Customer is determined by the fields: "
        f"companyId, customerCode ('{code}').",
        target="IncorrectData",
        refers_to="customerCode",
    )


def required_detail(name: str) -> dict:
    short = name.rsplit(".", 1)[-1]
    return error_detail(
        "ValueRequiredError",
        f"Field {short} is required.",
        f"Please provide a value for field {short}.",
        refers_to=name,
    )


def length_detail(name: str, low: int, high: int) -> dict:
    short = name.rsplit(".", 1)[-1]
    return error_detail(
        "StringLengthError",
        f"Field {short} must be between {low} and {high} characters in length.",
        f"The value of {short} is too long.",
        refers_to=name,
    )


def model_state_detail(value, model: str) -> dict:
    return error_detail(
        "ModelStateInvalid",
        "Invalid JSON object.",
        "The request body does not represent a valid JSON object.  "
        f"The value '{str(value)[:60]}' is not a valid '{model}'.",
        refers_to=model,
    )


def required_date(item: dict, name: str) -> date:
    value = item.get(name)
    if not value:
        raise validation_error([required_detail(name)])
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise validation_error(
            [
                error_detail(
                    "DateFormatError",
                    f"Field {name} is not a valid date.",
                    f"The value '{value}' must be a date in the format YYYY-MM-DD.",
                    refers_to=name,
                )
            ]
        ) from None


def certificate_document(item: dict) -> bytes | None:
    """Exactly one of filename, pdf or pages; the decoded PDF when `pdf` is given."""
    given = [name for name in ("filename", "pdf", "pages") if item.get(name) is not None]
    if not given:
        raise ApiError(
            400,
            "MissingRequiredFields",
            "The field filename, pdf or pages is missing.",
            "The field filename, pdf or pages is required to create a certificate.",
            target="IncorrectData",
        )
    if len(given) > 1:
        raise ApiError(
            400,
            "ConflictingFields",
            "Fields are conflicting",
            "When creating certificate, you can only specify filename OR pdf OR images.",
            target="IncorrectData",
        )
    if given == ["filename"]:
        return None
    content = item[given[0]]
    if not content or (isinstance(content, list) and not any(content)):
        raise ApiError(
            400,
            "InvalidPdfOrImageFile",
            "Pdf or Image files are empty",
            "If you'd like to upload a PDF or image file, please upload a valid one.",
            target="IncorrectData",
        )
    # JPG `pages` were answered with the same PDF error in the field (JRE-SDK issue #149).
    data = _b64decode(content) if isinstance(content, str) else None
    if data is None or not data.startswith(b"%PDF-"):
        raise certificates_error(NOT_A_PDF)
    return data


def _b64decode(text: str) -> bytes | None:
    try:
        return base64.b64decode(re.sub(r"\s+", "", text), validate=True)
    except (binascii.Error, ValueError):
        return None


def count_pdf_pages(data: bytes) -> int:
    """Page objects in an uncompressed cross-reference; 1 when they cannot be seen."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data)) or 1


def iso_datetime(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _percentage(value) -> float:
    if value is None:
        return 100.0
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        raise validation_error(
            [
                error_detail(
                    "InvalidParameterValue",
                    "Field exemptPercentage must be a number from 0 to 100.",
                    f"The value '{value}' is not a valid exemptPercentage.",
                    refers_to="exemptPercentage",
                )
            ]
        )
    return float(value)


def _as_dict(item) -> dict:
    if not isinstance(item, dict):
        raise validation_error([model_state_detail(item, "CertificateModel")])
    return item


def _as_list(value, name: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise validation_error([model_state_detail(value, name)])
    return value
