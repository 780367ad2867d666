"""AvaTax operations on the account: Ping, companies and ECM provisioning."""

from __future__ import annotations

from collections.abc import Sequence

from ..plumbing import ClientPlumbing, _path, _query
from ..types import Company, PingResult, ProvisionStatus


class AccountOperations(ClientPlumbing):
    """Utilities, companies and certificate setup."""

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
