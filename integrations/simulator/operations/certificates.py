"""Certificates and the customers linked to them (REFERENCE.md §5)."""

from ..bodies import json_array, json_body, json_list_of
from ..errors import error_detail
from ..messages import Response, ok
from ..paging import fetch_result, listing
from ..queries import CERTIFICATES, CUSTOMERS
from ..routing import RouteTable

routes = RouteTable()
CERTIFICATES_PATH = "/api/v2/companies/{companyId}/certificates"
CERTIFICATE_PATH = CERTIFICATES_PATH + "/{id}"


@routes.add("GET", CERTIFICATES_PATH, "QueryCertificates")
def query_certificates(state, req):
    certificates = sorted(req.company.certificates.values(), key=lambda c: c.id)
    expand = "customers" in req.includes()
    serialize = state.ecm.certificate_serializer(req.company)
    return listing(state, req, certificates, serialize, CERTIFICATES, include=expand)


@routes.add("POST", CERTIFICATES_PATH, "CreateCertificates")
def create_certificates(state, req):
    prevalidated = (req.query("$preValidatedExemptionReason") or "").lower() == "true"
    items = json_array(req, "CertificateModel")
    created = state.ecm.create_certificates(req.company, items, prevalidated=prevalidated)
    return ok([state.ecm.certificate_json(req.company, certificate) for certificate in created])


@routes.add("GET", CERTIFICATE_PATH, "GetCertificate")
def get_certificate(state, req):
    certificate = req.company.certificate(req.args["id"])
    expand = "customers" in req.includes()
    return ok(state.ecm.certificate_json(req.company, certificate, customers=expand))


@routes.add("PUT", CERTIFICATE_PATH, "UpdateCertificate")
def update_certificate(state, req):
    certificate = state.ecm.replace_certificate(req.company, req.args["id"], json_body(req))
    return ok(state.ecm.certificate_json(req.company, certificate))


@routes.add("DELETE", CERTIFICATE_PATH, "DeleteCertificate")
def delete_certificate(state, req):
    # 21.12 answers a list of ErrorDetail (REFERENCE.md §5), like other AvaTax deletes.
    req.company.delete_certificate(req.args["id"])
    return ok(
        [
            error_detail(
                "DeleteInformation",
                "The entity was marked as deleted.",
                "Object successfully marked as deleted.",
                severity="Success",
            )
        ]
    )


@routes.add("GET", CERTIFICATE_PATH + "/customers", "ListCustomersForCertificate")
def list_customers_for_certificate(state, req):
    customers = req.company.customers_of(req.args["id"])
    serialize = state.ecm.customer_serializer(req.company)
    return listing(state, req, customers, serialize, CUSTOMERS)


def link_customers(state, req, *, on: bool) -> Response:
    codes = json_list_of(req, "customers", str)
    _, customers = req.company.link([req.args["id"]], codes, on=on)
    return fetch_result([state.ecm.customer_json(req.company, c) for c in customers])


@routes.add("POST", CERTIFICATE_PATH + "/customers/link", "LinkCustomersToCertificate")
def link_customers_to_certificate(state, req):
    return link_customers(state, req, on=True)


@routes.add("POST", CERTIFICATE_PATH + "/customers/unlink", "UnlinkCustomersFromCertificate")
def unlink_customers_from_certificate(state, req):
    return link_customers(state, req, on=False)
