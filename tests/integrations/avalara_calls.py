"""Every call the AvaTax client makes, for tests that run one fault against each of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from integrations.avalara import AvaTaxClient, ErrorCode
from tests.integrations.avalara_helpers import (
    API,
    CERTIFICATE_ID,
    CERTIFICATE_INPUT,
    CERTIFICATE_URL,
    COMPANY_ID,
    COMPANY_URL,
    CUSTOMER_CODE,
    CUSTOMER_INPUT,
    CUSTOMER_URL,
    PDF,
)


@dataclass(frozen=True)
class Call:
    name: str
    operation: str
    method: str
    url: str
    invoke: Callable[[AvaTaxClient], object]
    failure_code: ErrorCode = ErrorCode.UNKNOWN_ERROR

    def __str__(self) -> str:
        return self.name


CUSTOMER_FAILED = ErrorCode.CUSTOMER_CREATION_FAILED
UPLOAD_FAILED = ErrorCode.CERTIFICATE_UPLOAD_FAILED
CALLS = [
    Call("ping", "Ping", "GET", f"{API}/utilities/ping", lambda c: c.ping()),
    Call(
        "query_companies",
        "QueryCompanies",
        "GET",
        f"{API}/companies",
        lambda c: c.query_companies(),
    ),
    Call(
        "get_default_company",
        "QueryCompanies",
        "GET",
        f"{API}/companies?$filter=isDefault%20eq%20true",
        lambda c: c.get_default_company(),
    ),
    Call("get_company", "GetCompany", "GET", COMPANY_URL, lambda c: c.get_company(COMPANY_ID)),
    Call(
        "get_certificate_setup",
        "GetCertificateSetup",
        "GET",
        f"{COMPANY_URL}/certificates/setup",
        lambda c: c.get_certificate_setup(COMPANY_ID),
    ),
    Call(
        "request_certificate_setup",
        "RequestCertificateSetup",
        "POST",
        f"{COMPANY_URL}/certificates/setup",
        lambda c: c.request_certificate_setup(COMPANY_ID),
    ),
    Call(
        "get_customer",
        "GetCustomer",
        "GET",
        CUSTOMER_URL,
        lambda c: c.get_customer(COMPANY_ID, CUSTOMER_CODE),
    ),
    Call(
        "find_customer",
        "GetCustomer",
        "GET",
        CUSTOMER_URL,
        lambda c: c.find_customer(COMPANY_ID, CUSTOMER_CODE),
    ),
    Call(
        "create_customers",
        "CreateCustomers",
        "POST",
        f"{COMPANY_URL}/customers",
        lambda c: c.create_customers(COMPANY_ID, [CUSTOMER_INPUT]),
        CUSTOMER_FAILED,
    ),
    Call(
        "update_customer",
        "UpdateCustomer",
        "PUT",
        CUSTOMER_URL,
        lambda c: c.update_customer(COMPANY_ID, CUSTOMER_CODE, CUSTOMER_INPUT),
        CUSTOMER_FAILED,
    ),
    Call(
        "query_customers",
        "QueryCustomers",
        "GET",
        f"{COMPANY_URL}/customers",
        lambda c: c.query_customers(COMPANY_ID),
    ),
    Call(
        "create_certificates",
        "CreateCertificates",
        "POST",
        f"{COMPANY_URL}/certificates",
        lambda c: c.create_certificates(COMPANY_ID, [CERTIFICATE_INPUT]),
        UPLOAD_FAILED,
    ),
    Call(
        "upload_certificate_attachment",
        "UploadCertificateImage",
        "POST",
        f"{CERTIFICATE_URL}/attachment",
        lambda c: c.upload_certificate_attachment(COMPANY_ID, CERTIFICATE_ID, PDF, "c.pdf"),
        UPLOAD_FAILED,
    ),
    Call(
        "download_certificate_attachment",
        "DownloadCertificateImage",
        "GET",
        f"{CERTIFICATE_URL}/attachment?$type=Pdf",
        lambda c: c.download_certificate_attachment(COMPANY_ID, CERTIFICATE_ID),
    ),
    Call(
        "link_certificates_to_customer",
        "LinkCertificatesToCustomer",
        "POST",
        f"{CUSTOMER_URL}/certificates/link",
        lambda c: c.link_certificates_to_customer(COMPANY_ID, CUSTOMER_CODE, [CERTIFICATE_ID]),
        UPLOAD_FAILED,
    ),
    Call(
        "link_customers_to_certificate",
        "LinkCustomersToCertificate",
        "POST",
        f"{CERTIFICATE_URL}/customers/link",
        lambda c: c.link_customers_to_certificate(COMPANY_ID, CERTIFICATE_ID, [CUSTOMER_CODE]),
        UPLOAD_FAILED,
    ),
    Call(
        "get_certificate",
        "GetCertificate",
        "GET",
        CERTIFICATE_URL,
        lambda c: c.get_certificate(COMPANY_ID, CERTIFICATE_ID),
    ),
    Call(
        "query_certificates",
        "QueryCertificates",
        "GET",
        f"{COMPANY_URL}/certificates",
        lambda c: c.query_certificates(COMPANY_ID),
    ),
    Call(
        "list_certificates_for_customer",
        "ListCertificatesForCustomer",
        "GET",
        f"{CUSTOMER_URL}/certificates?$include=customers",
        lambda c: c.list_certificates_for_customer(COMPANY_ID, CUSTOMER_CODE),
    ),
    Call(
        "list_exposure_zones",
        "ListCertificateExposureZones",
        "GET",
        f"{API}/definitions/certificateexposurezones",
        lambda c: c.list_exposure_zones(),
    ),
    Call(
        "list_exemption_reasons",
        "ListCertificateExemptReasons",
        "GET",
        f"{API}/definitions/certificateexemptreasons",
        lambda c: c.list_exemption_reasons(),
    ),
]
RETRIED_METHODS = {"GET", "PUT"}


def expected_attempts(call: Call) -> int:
    """max_retries=3: idempotent calls are tried four times, POSTs once."""
    return 4 if call.method in RETRIED_METHODS else 1
