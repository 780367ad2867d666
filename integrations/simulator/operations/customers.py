"""Customers, their certificates, and whether they are exempt in a region."""

from ..bodies import json_array, json_body, json_list_of
from ..errors import certificates_error
from ..messages import Response, ok
from ..paging import fetch_result, listing
from ..queries import CERTIFICATES, CUSTOMERS
from ..routing import RouteTable

routes = RouteTable()
# What CertCapture says of a customer it does not have, when answering for AvaTax (simulator
# wording; Avalara's Magento connector reads CertificatesError here as "does not exist").
NO_SUCH_CUSTOMER = '{"success":false,"code":"100404","error":{"customer":["Customer not found."]}}.'


def existing_customer(state, req):
    """The path's customer; missing, EntityNotFoundError or, if the state says so, CertCapture's
    CertificatesError (1203)."""
    code = req.args["customerCode"]
    if code not in req.company.customers and state.missing_customer_as_certificates_error:
        raise certificates_error(NO_SUCH_CUSTOMER)
    return req.company.customer(code)


CUSTOMERS_PATH = "/api/v2/companies/{companyId}/customers"
CUSTOMER_PATH = CUSTOMERS_PATH + "/{customerCode}"


@routes.add("GET", CUSTOMERS_PATH, "QueryCustomers")
def query_customers(state, req):
    customers = sorted(req.company.customers.values(), key=lambda c: c.id)
    expand = "certificates" in req.includes()
    serialize = state.ecm.customer_serializer(req.company)
    return listing(state, req, customers, serialize, CUSTOMERS, include=expand)


@routes.add("POST", CUSTOMERS_PATH, "CreateCustomers")
def create_customers(state, req):
    created = state.ecm.create_customers(req.company, json_array(req, "CustomerModel"))
    return ok([state.ecm.customer_json(req.company, customer) for customer in created])


@routes.add("GET", CUSTOMER_PATH, "GetCustomer")
def get_customer(state, req):
    customer = existing_customer(state, req)
    expand = "certificates" in req.includes()
    return ok(state.ecm.customer_json(req.company, customer, certificates=expand))


@routes.add("PUT", CUSTOMER_PATH, "UpdateCustomer")
def update_customer(state, req):
    code = req.args["customerCode"]
    customer = state.ecm.replace_customer(req.company, code, json_body(req))
    return ok(state.ecm.customer_json(req.company, customer))


@routes.add("DELETE", CUSTOMER_PATH, "DeleteCustomer")
def delete_customer(state, req):
    customer = req.company.delete_customer(req.args["customerCode"])
    return ok(state.ecm.customer_json(req.company, customer))


@routes.add("GET", CUSTOMER_PATH + "/certificates", "ListCertificatesForCustomer")
def list_certificates_for_customer(state, req):
    existing_customer(state, req)
    certificates = req.company.certificates_of(req.args["customerCode"])
    expand = "customers" in req.includes()
    serialize = state.ecm.certificate_serializer(req.company)
    return listing(state, req, certificates, serialize, CERTIFICATES, include=expand)


@routes.add(
    "GET", CUSTOMER_PATH + "/certificates/{country}/{region}", "ListValidCertificatesForCustomer"
)
def list_valid_certificates_for_customer(state, req):
    region = (req.args["country"].upper(), req.args["region"].upper())
    today = state.today()
    for certificate in req.company.certificates_of(req.args["customerCode"]):
        zone = certificate.exposure_zone
        if (zone["country"], zone["region"]) == region and certificate.ecm_status(today) == "Valid":
            body = state.ecm.certificate_json(req.company, certificate)
            return ok({"status": "Exempt", "certificate": body})
    return ok({"status": "NotExempt"})


def link_certificates(state, req, *, on: bool) -> Response:
    ids = json_list_of(req, "certificates", int)
    certificates, _ = req.company.link(ids, [req.args["customerCode"]], on=on)
    return fetch_result([state.ecm.certificate_json(req.company, c) for c in certificates])


@routes.add("POST", CUSTOMER_PATH + "/certificates/link", "LinkCertificatesToCustomer")
def link_certificates_to_customer(state, req):
    return link_certificates(state, req, on=True)


@routes.add("POST", CUSTOMER_PATH + "/certificates/unlink", "UnlinkCertificatesFromCustomer")
def unlink_certificates_from_customer(state, req):
    return link_certificates(state, req, on=False)
