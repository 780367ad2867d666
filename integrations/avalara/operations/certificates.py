"""AvaTax ECM certificate operations: certificates, their attachments and customer links."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from ..errors import ErrorCode
from ..plumbing import ClientPlumbing, _bool_param, _json_or_none, _path, _query, _unexpected
from ..types import Certificate, CertificateInput, CertificatePage, Customer, FetchResult


class CertificateOperations(ClientPlumbing):
    """Create, read and list certificates, move their PDFs, link them to customers."""

    def create_certificates(
        self,
        company_id: int,
        certificates: Sequence[CertificateInput],
        *,
        pre_validated_exemption_reason: bool | None = None,
    ) -> list[Certificate]:
        """Create certificates with inline PDFs; not atomic, never retried (CreateCertificates)."""
        if not certificates:
            raise ValueError("create_certificates needs at least one certificate")
        query: dict[str, str] = {}
        if pre_validated_exemption_reason is not None:
            query["$preValidatedExemptionReason"] = _bool_param(pre_validated_exemption_reason)
        reply = self._request(
            "POST",
            _path("companies", company_id, "certificates"),
            operation="CreateCertificates",
            failure_code=ErrorCode.CERTIFICATE_UPLOAD_FAILED,
            query=query,
            json_body=[certificate.to_payload(company_id) for certificate in certificates],
        )
        return self._parse_list("CreateCertificates", reply, Certificate.from_wire)

    def upload_certificate_attachment(
        self, company_id: int, certificate_id: int, pdf: bytes, filename: str
    ) -> None:
        """Attach a PDF as multipart field ``file`` (UploadCertificateImage)."""
        if not pdf:
            raise ValueError("upload_certificate_attachment needs a non-empty PDF")
        reply = self._request(
            "POST",
            _path("companies", company_id, "certificates", certificate_id, "attachment"),
            operation="UploadCertificateImage",
            failure_code=ErrorCode.CERTIFICATE_UPLOAD_FAILED,
            files={"file": (filename, pdf, "application/pdf")},
            expect="bytes",
        )
        # Avalara answers with the JSON string "OK" (REFERENCE.md §5); accept an empty 2xx too.
        if reply.data.strip() and not isinstance(_json_or_none(reply.data), str):
            reason = 'expected the string "OK"'
            raise _unexpected("UploadCertificateImage", reply.status, reason, outcome_unknown=True)

    def download_certificate_attachment(
        self,
        company_id: int,
        certificate_id: int,
        *,
        type: Literal["Pdf", "Jpeg"] = "Pdf",
        page: int | None = None,
    ) -> bytes:
        """The certificate's PDF (or one JPEG page) as bytes (DownloadCertificateImage)."""
        query = {"$type": type}
        if page is not None:
            query["$page"] = str(page)
        reply = self._request(
            "GET",
            _path("companies", company_id, "certificates", certificate_id, "attachment"),
            operation="DownloadCertificateImage",
            query=query,
            expect="bytes",
        )
        if not reply.data:
            raise _unexpected("DownloadCertificateImage", reply.status, "empty attachment")
        return reply.data

    def link_certificates_to_customer(
        self, company_id: int, customer_code: str, certificate_ids: Sequence[int]
    ) -> list[Certificate]:
        """Link certificates to a customer (LinkCertificatesToCustomer)."""
        if not certificate_ids:
            raise ValueError("link_certificates_to_customer needs at least one certificate id")
        reply = self._request(
            "POST",
            _path("companies", company_id, "customers", customer_code, "certificates", "link"),
            operation="LinkCertificatesToCustomer",
            failure_code=ErrorCode.CERTIFICATE_UPLOAD_FAILED,
            json_body={"certificates": [int(certificate_id) for certificate_id in certificate_ids]},
        )
        return self._parse_page("LinkCertificatesToCustomer", reply, Certificate.from_wire)

    def link_customers_to_certificate(
        self, company_id: int, certificate_id: int, customer_codes: Sequence[str]
    ) -> list[Customer]:
        """Link customers (by code) to a certificate (LinkCustomersToCertificate)."""
        if not customer_codes:
            raise ValueError("link_customers_to_certificate needs at least one customer code")
        reply = self._request(
            "POST",
            _path("companies", company_id, "certificates", certificate_id, "customers", "link"),
            operation="LinkCustomersToCertificate",
            failure_code=ErrorCode.CERTIFICATE_UPLOAD_FAILED,
            json_body={"customers": list(customer_codes)},
        )
        return self._parse_page("LinkCustomersToCertificate", reply, Customer.from_wire)

    def get_certificate(
        self,
        company_id: int,
        certificate_id: int,
        *,
        include: str | Sequence[str] | None = None,
    ) -> Certificate:
        """One certificate by id (GetCertificate)."""
        reply = self._request(
            "GET",
            _path("companies", company_id, "certificates", certificate_id),
            operation="GetCertificate",
            query=_query(include=include),
        )
        return self._parse("GetCertificate", reply, Certificate.from_wire)

    def query_certificates(
        self,
        company_id: int,
        *,
        filter: str | None = None,
        include: str | Sequence[str] | None = None,
        top: int | None = None,
        order_by: str | None = None,
    ) -> list[Certificate]:
        """List certificates, all pages; ``top`` is the page size (QueryCertificates)."""
        items = self._fetch_all(
            _path("companies", company_id, "certificates"),
            _query(filter=filter, include=include, top=top, order_by=order_by),
            operation="QueryCertificates",
        )
        return self._parse_each("QueryCertificates", items, Certificate.from_wire)

    def query_certificates_page(
        self,
        company_id: int,
        *,
        skip: int,
        top: int,
        order_by: str,
        filter: str | None = None,
        include: str | Sequence[str] | None = None,
    ) -> CertificatePage:
        """One page of certificates at ``$skip`` (QueryCertificates).

        ECM lists page only in equal steps (``$skip`` a multiple of ``$top``, else
        ExemptionPaginationLimits) and sort on one field (REFERENCE.md §5); paging by ``$skip``
        rather than ``@nextLink`` lets a sync stop after any page and resume there.
        """
        if top <= 0 or skip < 0 or skip % top:
            raise ValueError("$skip must be a non-negative multiple of $top")
        reply = self._request(
            "GET",
            self._url(
                _path("companies", company_id, "certificates"),
                _query(filter=filter, include=include, top=top, skip=skip, order_by=order_by),
            ),
            operation="QueryCertificates",
        )
        page = self._parse("QueryCertificates", reply, FetchResult.from_wire)
        return CertificatePage(
            certificates=tuple(
                self._parse_each("QueryCertificates", page.value, Certificate.from_wire)
            ),
            recordset_count=page.recordset_count,
            skip=skip,
            top=top,
        )

    def list_certificates_for_customer(
        self,
        company_id: int,
        customer_code: str,
        *,
        include: str | Sequence[str] | None = ("customers",),
    ) -> list[Certificate]:
        """A customer's certificates, all pages (ListCertificatesForCustomer)."""
        items = self._fetch_all(
            _path("companies", company_id, "customers", customer_code, "certificates"),
            _query(include=include),
            operation="ListCertificatesForCustomer",
        )
        return self._parse_each("ListCertificatesForCustomer", items, Certificate.from_wire)
