"""Creating and changing a company's customers and certificates, and their JSON with includes.

Callers hold the state's lock.
"""

import uuid
from collections.abc import Callable
from datetime import date, datetime

from .certificate_rules import certificate_input, count_pdf_pages
from .customer_rules import new_customer_batch, placeholder_customer, replacement_customer
from .records import Certificate, Company, Customer


class EcmStore:
    """Assigns ids and timestamps to the customers and certificates it stores in companies."""

    def __init__(
        self,
        clock: Callable[[], datetime],
        zones: list[dict],
        reasons_of: Callable[[Company], list[dict]],
    ):
        self.clock = clock
        self.zones = zones
        self.reasons_of = reasons_of
        self._json: dict[int, tuple] = {}
        self._next_customer_id = 300001
        self._next_certificate_id = 500001

    def today(self) -> date:
        return self.clock().date()

    # Customers

    def create_customers(self, company: Company, items: list) -> list[Customer]:
        """CreateCustomers: validate the whole batch, then add every customer or none."""
        batch = new_customer_batch(items, company.customers)
        return [self._add_customer(company, fields) for fields in batch]

    def _add_customer(self, company: Company, fields: dict) -> Customer:
        now = self.clock()
        code = fields["customerCode"]
        customer = Customer(self._next_customer_id, company.id, code, fields, now, now)
        self._next_customer_id += 1
        company.customers[code] = customer
        return customer

    def replace_customer(self, company: Company, code: str, item) -> Customer:
        customer = company.customer(code)
        customer.fields = replacement_customer(code, item)
        customer.modified = self.clock()
        return customer

    # Certificates (REFERENCE.md §5)

    def create_certificates(
        self, company: Company, items: list, *, prevalidated: bool
    ) -> list[Certificate]:
        """CreateCertificates: every item is checked before any is stored."""
        checked = [self._certificate_input(company, item, creating=True) for item in items]
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

    def replace_certificate(self, company: Company, certificate_id: int, item) -> Certificate:
        certificate = company.certificate(certificate_id)
        values, _, _ = self._certificate_input(company, item, creating=False)
        values["fields"].setdefault("filename", certificate.fields.get("filename"))
        for name, value in values.items():
            setattr(certificate, name, value)
        certificate.modified = self.clock()
        return certificate

    def _certificate_input(self, company: Company, item, *, creating: bool):
        return certificate_input(
            item, creating=creating, reasons=self.reasons_of(company), zones=self.zones
        )

    def attach_document(self, company: Company, certificate_id: int, data: bytes, kind: str):
        certificate = company.certificate(certificate_id)
        self._store_document(certificate, data, kind)
        certificate.modified = self.clock()

    def _store_document(self, certificate: Certificate, data: bytes, kind: str) -> None:
        certificate.document = data
        certificate.document_type = kind
        certificate.page_count = count_pdf_pages(data) if kind == "application/pdf" else 1
        certificate.fields["filename"] = certificate.fields.get("filename") or str(uuid.uuid4())

    # JSON, with `$include`d links

    def customer_json(self, company: Company, customer: Customer, *, certificates=False) -> dict:
        body = customer.to_json()
        if certificates:
            body["certificates"] = [
                self.certificate_json(company, c) for c in company.certificates_of(customer.code)
            ]
        return body

    def certificate_json(self, company: Company, certificate: Certificate, *, customers=False):
        # Lists serialize every certificate to filter and sort them: keep each one's JSON until
        # it changes (or the day turns, which moves ecmStatus).
        version = (certificate.modified, self.today())
        cached = self._json.get(certificate.id)
        if cached is None or cached[0] != version:
            cached = (version, certificate.to_json(self.today()))
            self._json[certificate.id] = cached
        body = dict(cached[1])
        if customers:
            body["customers"] = [
                self.customer_json(company, c) for c in company.customers_of(certificate.id)
            ]
        return body

    def customer_serializer(self, company: Company) -> Callable[[Customer, bool], dict]:
        """For paging.listing: a customer's JSON, with its certificates when expanded."""
        return lambda customer, expand: self.customer_json(company, customer, certificates=expand)

    def certificate_serializer(self, company: Company) -> Callable[[Certificate, bool], dict]:
        """For paging.listing: a certificate's JSON, with its customers when expanded."""
        return lambda certificate, expand: self.certificate_json(
            company, certificate, customers=expand
        )
