"""AvaTax ECM customer operations."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import (
    AvalaraResponseError,
    ErrorCode,
)
from ..plumbing import ClientPlumbing, _path, _query
from ..types import Customer, CustomerInput


class CustomerOperations(ClientPlumbing):
    """Create, read, replace and list ECM customers."""

    def get_customer(
        self,
        company_id: int,
        customer_code: str,
        *,
        include: str | Sequence[str] | None = None,
    ) -> Customer:
        """One customer by its (case-sensitive) code (GetCustomer)."""
        path = _path("companies", company_id, "customers", customer_code)
        reply = self._request("GET", path, operation="GetCustomer", query=_query(include=include))
        return self._parse("GetCustomer", reply, Customer.from_wire)

    def find_customer(self, company_id: int, customer_code: str) -> Customer | None:
        """The customer, or None when Avalara says it does not exist (GetCustomer).

        Avalara says so with EntityNotFoundError, or with CertificatesError (1203) when
        CertCapture answers for it: Avalara's Magento connector treats both as "does not exist"
        (REFERENCE.md §4).
        """
        try:
            return self.get_customer(company_id, customer_code)
        except AvalaraResponseError as error:
            # Only Avalara's own "not found" counts: a 404 page from a proxy or a wrong base
            # URL, or a missing company, must not look like "create the customer now".
            if error.is_missing_customer:
                return None
            raise

    def create_customers(
        self, company_id: int, customers: Sequence[CustomerInput]
    ) -> list[Customer]:
        """Create customers; a taken code fails with ``is_duplicate`` (CreateCustomers)."""
        if not customers:
            raise ValueError("create_customers needs at least one customer")
        reply = self._request(
            "POST",
            _path("companies", company_id, "customers"),
            operation="CreateCustomers",
            failure_code=ErrorCode.CUSTOMER_CREATION_FAILED,
            json_body=[customer.to_payload(company_id) for customer in customers],
        )
        return self._parse_list("CreateCustomers", reply, Customer.from_wire)

    def update_customer(
        self, company_id: int, customer_code: str, customer: CustomerInput
    ) -> Customer:
        """Replace a customer record; omitted fields are cleared (UpdateCustomer)."""
        reply = self._request(
            "PUT",
            _path("companies", company_id, "customers", customer_code),
            operation="UpdateCustomer",
            failure_code=ErrorCode.CUSTOMER_CREATION_FAILED,
            json_body=customer.to_payload(company_id),
        )
        return self._parse("UpdateCustomer", reply, Customer.from_wire)

    def query_customers(
        self,
        company_id: int,
        *,
        filter: str | None = None,
        include: str | Sequence[str] | None = None,
        top: int | None = None,
    ) -> list[Customer]:
        """List customers, all pages; ``top`` is the page size (QueryCustomers)."""
        items = self._fetch_all(
            _path("companies", company_id, "customers"),
            _query(filter=filter, include=include, top=top),
            operation="QueryCustomers",
        )
        return self._parse_each("QueryCustomers", items, Customer.from_wire)
