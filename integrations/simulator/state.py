"""The simulator's in-memory AvaTax state: accounts, companies, provisioning, the request log.

Everything that reads or writes accounts, companies, customers or certificates holds `lock`
(the WSGI app takes it around each handler).
"""

import threading
import time
from datetime import UTC, date, datetime

from .accounts import DEMO_ACCOUNTS, AccountSeed, exempt_reasons, exposure_zones
from .ecm import EcmStore
from .errors import not_found, not_set_up
from .faults import FaultInjector
from .records import Account, Company, RequestRecord


def utc_now() -> datetime:
    return datetime.now(UTC)


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
        self.faults = FaultInjector(seed, latency_ms=latency_ms, error_rate=error_rate)
        self._options = {"page_size": page_size, "provisioning_delay": provisioning_delay}
        self._seeds = accounts
        self.reset()

    def reset(self) -> None:
        """Back to how it was constructed, whatever was changed since.

        The seeded accounts and companies only, no customers, certificates or logged requests,
        the constructor's page size, provisioning delay, latency and error rate, no other faults.
        """
        with self.lock:
            # A request still in flight from before (a timeout fault's pause) belongs to the old
            # world: it must neither change nor be logged in the new one.
            self.epoch = getattr(self, "epoch", 0) + 1
            self.page_size = self._options["page_size"]
            self.provisioning_delay = self._options["provisioning_delay"]
            self.clock = utc_now
            # True: a missing customer answers CertCapture's CertificatesError, not a 404.
            self.missing_customer_as_certificates_error = False
            self.zones = exposure_zones()
            self.ecm = EcmStore(self.now, self.zones, self.reasons_of)
            self.accounts: dict[int, Account] = {}
            self.companies: dict[int, Company] = {}
            self._records: list[RequestRecord] = []
            for seed in self._seeds:
                self._add_seed(seed)
        self.faults.reset()

    def change_certificate(self, company_id: int, certificate_id: int, **fields) -> None:
        """Change a certificate as CertCapture's own screens would (tests, benchmarks): its
        fields, and its modifiedDate, so incremental reads see it."""
        with self.lock:
            certificate = self.companies[company_id].certificate(certificate_id)
            certificate.fields.update(fields)
            certificate.modified = self.now()

    def reasons_of(self, company: Company) -> list[dict]:
        """The exemption reasons of the company's account (each account has its own names)."""
        return self.accounts[company.account_id].reasons

    def _add_seed(self, seed: AccountSeed) -> None:
        self.accounts[seed.account_id] = Account(
            seed.account_id,
            seed.username,
            seed.password,
            seed.license_key,
            seed.user_id,
            seed.ping_company_id,
            exempt_reasons(seed.exempt_reasons),
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

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return self.clock().date()

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
        exempt_reason_names: tuple[str, ...] | None = None,
    ) -> Account:
        """Add an account whose first company (created if new) is the default one."""
        with self.lock:
            account_id = account_id or max(self.accounts, default=2000100000) + 1
            if username is not None and user_id is None:
                user_id = 9100000 + account_id % 100000
            account = Account(
                account_id,
                username,
                password,
                license_key,
                user_id,
                ping_company_id,
                exempt_reasons(exempt_reason_names),
            )
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

    # Request log

    def record(self, entry: RequestRecord, *, epoch: int | None = None) -> None:
        """Log a request; one that began before the last reset (`epoch`) is dropped."""
        with self.lock:
            if epoch is None or epoch == self.epoch:
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
                                "ecmStatus": certificate.ecm_status(self.today()),
                                "customers": sorted(company.links.codes_of(certificate.id)),
                            }
                            for certificate in company.certificates.values()
                        ],
                    }
                    for company in sorted(self.companies.values(), key=lambda c: c.id)
                ]
            }
