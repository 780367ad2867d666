"""The WSGI app: AvaTax REST v2 exemption-certificate routes, and the /_simulator controls.

Paths, operationIds, field names and error bodies follow ../shared/avatax/REFERENCE.md. Routing
works on the raw, still percent-encoded path so that a customer code holding `/` stays one
segment (the threaded server passes it as RAW_URI, as gunicorn does).
"""

import base64
import binascii
import json
import re
import sys
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from email.parser import BytesHeaderParser
from http import HTTPStatus
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from .accounts import SIMULATOR_VERSION
from .faults import DEFAULT_RETRY_AFTER, FaultRule
from .state import (
    Account,
    ApiError,
    Company,
    RequestRecord,
    SimulatorState,
    certificates_error,
    error_detail,
    model_state_detail,
    not_found,
    required_detail,
    validation_error,
)

JSON_TYPE = "application/json; charset=utf-8"
MAX_BODY_BYTES = 32 * 1024 * 1024
MAX_TOP = 1000  # "Max page size 1,000" (REFERENCE.md §3)
NOT_AN_IMAGE = (  # simulator wording: no stored source shows CertCapture's answer
    '{"success":false,"code":"100110",'
    '"error":{"file":["The uploaded file must be a PDF, JPEG, TIFF or PNG."]}}.'
)
FILE_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)


@dataclass
class Request:
    method: str
    path: str
    query_string: str
    params: list[tuple[str, str]]
    authorization: str
    content_type: str
    body: bytes
    args: dict = field(default_factory=dict)
    account: Account | None = None
    company: Company | None = None

    def query(self, name: str) -> str | None:
        return next((v for k, v in self.params if k.lower() == name.lower()), None)

    def includes(self) -> set[str]:
        return {part.strip().lower() for part in (self.query("$include") or "").split(",")}


@dataclass
class Response:
    status: int
    body: object = None
    content_type: str = JSON_TYPE
    headers: list[tuple[str, str]] = field(default_factory=list)


def ok(body) -> Response:
    return Response(200, body)


def error_response(error: ApiError) -> Response:
    return Response(error.status, error.body(), headers=error.headers)


# Routing


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern
    operation: str
    handler: Callable[[SimulatorState, Request], Response]
    scope: str  # public | account | company | ecm | definitions


ROUTES: list[Route] = []
INT_ARGS = {"companyId", "id"}


def route(method: str, template: str, operation: str, scope: str = "ecm"):
    def segment(match: re.Match) -> str:
        name = match.group(1)
        return rf"(?P<{name}>\d{{1,9}})" if name in INT_ARGS else rf"(?P<{name}>[^/]+)"

    pattern = re.compile(re.sub(r"\{(\w+)\}", segment, template), re.IGNORECASE)

    def register(handler):
        ROUTES.append(Route(method, pattern, operation, handler, scope))
        return handler

    return register


def resolve(method: str, path: str) -> tuple[Route, dict]:
    allowed = []
    for candidate in ROUTES:
        match = candidate.pattern.fullmatch(path)
        if match is None:
            continue
        if candidate.method == method:
            args = {
                name: int(value) if name in INT_ARGS else unquote(value)
                for name, value in match.groupdict().items()
            }
            return candidate, args
        allowed.append(candidate.method)
    if allowed:
        raise ApiError(
            405,
            "UnhandledException",
            f"The requested resource does not support http method '{method}'.",
            headers=[("Allow", ", ".join(allowed))],
        )
    raise ApiError(
        404,
        "EntityNotFoundError",
        "Resource not found.",
        f"The simulator has no AvaTax endpoint at '{unquote(path)}'.",
    )


# Authentication (REFERENCE.md §1, §9)


def basic_credentials(header: str) -> tuple[str, str]:
    scheme, _, value = header.strip().partition(" ")
    try:
        if scheme.lower() != "basic":
            raise ValueError(scheme)
        user, colon, secret = base64.b64decode(value.strip(), validate=True).decode().partition(":")
    except (ValueError, binascii.Error, UnicodeDecodeError):
        user, colon, secret = "", "", ""
    if not (user and colon and secret):
        raise ApiError(
            401,
            "BasicAuthIncorrect",
            "Incorrect Base header format.",
            "The Basic header must be in the format 'Basic (Base64Encoded(value))' where Value is "
            "either 'username' + ':' + 'password' or 'accountid' + ':' + 'licensekey'.  ",
            target="HttpRequestHeaders",
            severity="Exception",
        )
    return user, secret


def authenticate(state: SimulatorState, req: Request) -> Account:
    if not req.authorization.strip():
        raise ApiError(
            401,
            "AuthenticationIncomplete",
            "Authentication Incomplete.",
            "You must provide an Authorization header of the type Basic or Bearer to "
            "authenticate correctly.  ",
            target="HttpRequestHeaders",
            severity="Exception",
        )
    found = state.authenticate(*basic_credentials(req.authorization))
    if found is None:
        raise ApiError(
            401,
            "AuthenticationException",
            "Authentication failed.",
            "Unable to authenticate the user or the account.",
            target="HttpRequestHeaders",
            severity="Exception",
        )
    return found[0]


def prepare(state: SimulatorState, req: Request, scope: str) -> None:
    if scope == "public":
        return
    req.account = authenticate(state, req)
    if scope == "definitions":
        state.require_account_provisioned(req.account)
    if scope in ("company", "ecm"):
        req.company = state.company_for(req.account, req.args["companyId"])
    if scope == "ecm":
        state.require_provisioned(req.company)


# Request bodies


def json_body(req: Request):
    if not req.body.strip():
        raise ApiError(
            400,
            "ModelRequiredException",
            "A required model was not provided.",
            "Please verify that your request included a request body in valid JSON format.",
            severity="Exception",
        )
    try:
        return json.loads(req.body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(
            400, "JsonFormatError", "Invalid JSON format.", f"The request body is not JSON: {exc}."
        ) from None


def json_array(req: Request, model: str) -> list:
    data = json_body(req)
    if not isinstance(data, list):
        raise validation_error([model_state_detail(data, f"{model}[]")])
    return data


def json_list_of(req: Request, name: str, kind: type) -> list:
    """`{"<name>": [...]}` bodies of the link/unlink calls."""
    data = json_body(req)
    values = data.get(name) if isinstance(data, dict) else None
    if not isinstance(values, list) or not values:
        raise validation_error([required_detail(name)])
    if not all(isinstance(v, kind) and not isinstance(v, bool) for v in values):
        raise validation_error([model_state_detail(values, name)])
    return values


def multipart_fields(body: bytes, content_type: str) -> dict[str, bytes]:
    """The named parts of a multipart/form-data body (RFC 7578), split on its boundary."""
    boundary = re.search(r'boundary="?([^";]+)"?', content_type, re.IGNORECASE)
    if boundary is None:
        return {}
    newline = b"\r\n" if b"\r\n--" + boundary.group(1).encode() in b"\r\n" + body else b"\n"
    delimiter = newline + b"--" + boundary.group(1).encode()
    parts = {}
    for section in (newline + body).split(delimiter)[1:]:
        if section.startswith(b"--"):
            break
        section = section.partition(newline)[2]  # the rest of the boundary line
        if section.startswith(newline):
            headers, content = b"", section[len(newline) :]
        else:
            headers, _, content = section.partition(newline + newline)
        message = BytesHeaderParser().parsebytes(headers + newline + newline)
        name = message.get_param("name", header="content-disposition")
        if isinstance(name, str):
            parts.setdefault(name, content)
    return parts


# List queries: $filter, $orderBy, $top, $skip, $include (REFERENCE.md §3, §5)


@dataclass(frozen=True)
class Queryable:
    filterable: frozenset[str]
    unfilterable: frozenset[str] = frozenset()
    ecm: bool = False

    def field(self, name: str, *, filtering: bool) -> str:
        known = {f.lower(): f for f in self.filterable | self.unfilterable}
        canonical = known.get(name.lower())
        if canonical is None:
            raise ApiError(
                400,
                "InvalidQueryField",
                "An invalid field was provided in the query.",
                f"The field named '{name}' could not be found.",
                refers_to=name,
            )
        if filtering and canonical in self.unfilterable:
            raise ApiError(
                400,
                "FieldNotQueryableError",
                "A field was not queryable.",
                f"The field named '{canonical}' cannot be used in a $filter.",
                refers_to=canonical,
            )
        return canonical


def names(text: str) -> frozenset[str]:
    return frozenset(text.split())


COMPANIES = Queryable(
    names(
        "id accountId parentCompanyId companyCode name isDefault isActive isTest defaultCountry "
        "taxpayerIdNumber baseCurrencyCode createdDate modifiedDate"
    )
)
CUSTOMERS = Queryable(
    names(
        "id companyId customerCode alternateId name attnName line1 line2 city postalCode "
        "phoneNumber faxNumber emailAddress contactName country region isBill isShip "
        "taxpayerIdNumber createdDate modifiedDate"
    ),
    names("certificates customFields exposureZones shipTos attributes"),
    ecm=True,
)
# Not filterable per the 21.12 spec: exemptionNumber, status, ecmsId, ecmsStatus, pdf, pages.
CERTIFICATES = Queryable(
    names(
        "id companyId signedDate expirationDate filename documentExists valid verified "
        "exemptPercentage isSingleCertificate createdDate modifiedDate pageCount"
    ),
    names(
        "exemptionNumber status ecmsId ecmsStatus pdf pages ecmStatus customers exposureZone "
        "exemptionReason taxNumberType businessNumberType"
    ),
    ecm=True,
)
# "Not filterable: id, companyId, name, tag, description, created, modified, region, country".
ZONES = Queryable(
    frozenset(), names("id companyId name tag description created modified region country")
)
REASONS = Queryable(names("id name"))

FILTER_TOKEN = re.compile(r"'(?:[^']|'')*'|[^\s']+")
FILTER_SYNTAX = re.compile(
    rf"\s*(?:(?:{FILTER_TOKEN.pattern})(?:\s+(?:{FILTER_TOKEN.pattern}))*)?\s*"
)


def malformed_filter(text: str) -> ApiError:
    return ApiError(
        400,
        "MalformedFilterException",
        "The $filter parameter could not be understood.",
        f"Could not parse '{text}': the simulator supports `<field> eq <value>` clauses joined "
        "by `and`, with true, false, null, numbers or 'quoted strings' as values.",
    )


def parse_filter(text: str, spec: Queryable) -> list[tuple[str, object]]:
    if not FILTER_SYNTAX.fullmatch(text):
        raise malformed_filter(text)
    tokens = FILTER_TOKEN.findall(text)
    clauses = []
    while len(tokens) >= 3 and tokens[1].lower() == "eq":
        clauses.append((spec.field(tokens[0], filtering=True), filter_value(tokens[2], text)))
        tokens = tokens[3:]
        if not tokens:
            return clauses
        if tokens[0].lower() != "and":
            break
        tokens = tokens[1:]
    raise malformed_filter(text)


def filter_value(token: str, text: str):
    if token.startswith("'"):
        return token[1:-1].replace("''", "'")
    literals = {"true": True, "false": False, "null": None}
    if token.lower() in literals:
        return literals[token.lower()]
    try:
        return float(token) if "." in token else int(token)
    except ValueError:
        raise malformed_filter(text) from None


def matches(row: dict, clauses: list[tuple[str, object]]) -> bool:
    def equal(actual, wanted) -> bool:
        return isinstance(actual, bool) == isinstance(wanted, bool) and actual == wanted

    return all(equal(row.get(name), wanted) for name, wanted in clauses)


def order_keys(text: str, spec: Queryable) -> list[tuple[str, bool]]:
    keys = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, direction = part.partition(" ")
        keys.append((spec.field(name, filtering=False), direction.strip().lower() == "desc"))
    if spec.ecm and len(keys) > 1:
        raise ApiError(
            400,
            "ExemptionSortLimits",
            "AvaTax exemption data does not support sorting by more than one field.",
            f"You attempted to sort by {len(keys)} fields: {text}.",
        )
    return keys


def whole_number(req: Request, name: str, default: int) -> int:
    raw = req.query(name)
    if raw in (None, ""):
        return default
    if not raw.isdigit():
        raise ApiError(
            400,
            "InvalidQueryValue",
            "An invalid value was provided in the query.",
            f"The value '{raw}' of {name} must be a whole number.",
            refers_to=name,
        )
    return int(raw)


def listing(
    state: SimulatorState,
    req: Request,
    items: list,
    serialize: Callable[[object, bool], dict],
    spec: Queryable,
    *,
    include: bool = False,
) -> Response:
    """A FetchResult page of `items`, filtered, ordered and paged as the query asks."""
    top = min(whole_number(req, "$top", 0) or state.page_size, MAX_TOP)
    skip = whole_number(req, "$skip", 0)
    if spec.ecm and skip % top:
        raise ApiError(
            400,
            "ExemptionPaginationLimits",
            "AvaTax exemption data does not support this type of pagination.",
            "When fetching AvaTax exemption data, you must fetch on a per-page basis where all "
            f"pages have equal size.  You attempted to fetch {skip} records with a page size of "
            f"{top}.",
        )
    clauses = parse_filter(req.query("$filter") or "", spec) if req.query("$filter") else []
    rows = [(item, serialize(item, False)) for item in items]
    rows = [(item, row) for item, row in rows if matches(row, clauses)]
    for name, descending in reversed(order_keys(req.query("$orderBy") or "", spec)):
        rows.sort(key=lambda pair: _sort_key(pair[1].get(name)), reverse=descending)
    page = rows[skip : skip + top]
    result = {
        "@recordsetCount": len(rows),
        "value": [serialize(item, True) if include else row for item, row in page],
    }
    if skip + top < len(rows):
        result["@nextLink"] = next_link(req, top, skip + top)
    return ok(result)


def _sort_key(value) -> tuple:
    return (value is None, "" if value is None else value)


def next_link(req: Request, top: int, skip: int) -> str:
    kept = [(k, v) for k, v in req.params if k.lower() not in ("$top", "$skip")]
    pairs = [("$top", str(top)), ("$skip", str(skip)), *kept]
    return req.path + "?" + "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)


def fetch_result(values: list[dict]) -> Response:
    return ok({"@recordsetCount": len(values), "value": values})


# AvaTax handlers


@route("GET", "/api/v2/utilities/ping", "Ping", scope="public")
def ping(state: SimulatorState, req: Request) -> Response:
    # "This API will always succeed": bad or malformed credentials give authenticated=false.
    body = {"version": SIMULATOR_VERSION, "authenticated": False, "authenticationType": "None"}
    try:
        found = state.authenticate(*basic_credentials(req.authorization))
    except ApiError:
        found = None
    if found:
        account, kind = found
        req.account = account
        by_user = kind == "UsernamePassword"
        body |= {
            "authenticated": True,
            "authenticationType": kind,
            "authenticatedUserName": account.username if by_user else None,
            "authenticatedUserId": account.user_id if by_user else None,
            "authenticatedAccountId": account.account_id,
            "authenticatedCompanyId": account.ping_company_id,
        }
    return ok({key: value for key, value in body.items() if value is not None})


@route("GET", "/api/v2/companies", "QueryCompanies", scope="account")
def query_companies(state, req):
    companies = state.account_companies(req.account)
    return listing(state, req, companies, lambda c, _: state.company_json(c), COMPANIES)


@route("GET", "/api/v2/companies/{companyId}", "GetCompany", scope="company")
def get_company(state, req):
    return ok(state.company_json(req.company))


def setup_response(state, req, status: str) -> Response:
    company = req.company
    return ok({"status": status, "accountId": company.account_id, "companyId": company.id})


@route("GET", "/api/v2/companies/{companyId}/certificates/setup", "GetCertificateSetup", "company")
def get_certificate_setup(state, req):
    return setup_response(state, req, state.provision_status(req.company))


@route(
    "POST", "/api/v2/companies/{companyId}/certificates/setup", "RequestCertificateSetup", "company"
)
def request_certificate_setup(state, req):
    return setup_response(state, req, state.request_provisioning(req.company))


CUSTOMERS_PATH = "/api/v2/companies/{companyId}/customers"
CUSTOMER_PATH = CUSTOMERS_PATH + "/{customerCode}"


def customer_serializer(state):
    return lambda customer, expand: state.customer_json(customer, certificates=expand)


def certificate_serializer(state):
    return lambda certificate, expand: state.certificate_json(certificate, customers=expand)


@route("GET", CUSTOMERS_PATH, "QueryCustomers")
def query_customers(state, req):
    customers = sorted(req.company.customers.values(), key=lambda c: c.id)
    expand = "certificates" in req.includes()
    return listing(state, req, customers, customer_serializer(state), CUSTOMERS, include=expand)


@route("POST", CUSTOMERS_PATH, "CreateCustomers")
def create_customers(state, req):
    created = state.create_customers(req.company, json_array(req, "CustomerModel"))
    return ok([state.customer_json(customer) for customer in created])


@route("GET", CUSTOMER_PATH, "GetCustomer")
def get_customer(state, req):
    customer = state.customer(req.company, req.args["customerCode"])
    return ok(state.customer_json(customer, certificates="certificates" in req.includes()))


@route("PUT", CUSTOMER_PATH, "UpdateCustomer")
def update_customer(state, req):
    customer = state.replace_customer(req.company, req.args["customerCode"], json_body(req))
    return ok(state.customer_json(customer))


@route("DELETE", CUSTOMER_PATH, "DeleteCustomer")
def delete_customer(state, req):
    return ok(state.customer_json(state.delete_customer(req.company, req.args["customerCode"])))


@route("GET", CUSTOMER_PATH + "/certificates", "ListCertificatesForCustomer")
def list_certificates_for_customer(state, req):
    certificates = state.certificates_of(req.company, req.args["customerCode"])
    expand = "customers" in req.includes()
    return listing(
        state, req, certificates, certificate_serializer(state), CERTIFICATES, include=expand
    )


@route(
    "GET", CUSTOMER_PATH + "/certificates/{country}/{region}", "ListValidCertificatesForCustomer"
)
def list_valid_certificates_for_customer(state, req):
    region = (req.args["country"].upper(), req.args["region"].upper())
    for certificate in state.certificates_of(req.company, req.args["customerCode"]):
        zone = certificate.exposure_zone
        if (zone["country"], zone["region"]) == region and state.ecm_status(certificate) == "Valid":
            return ok({"status": "Exempt", "certificate": state.certificate_json(certificate)})
    return ok({"status": "NotExempt"})


def link_certificates(state, req, *, on: bool) -> Response:
    ids = json_list_of(req, "certificates", int)
    certificates, _ = state.link(req.company, ids, [req.args["customerCode"]], on=on)
    return fetch_result([state.certificate_json(c) for c in certificates])


@route("POST", CUSTOMER_PATH + "/certificates/link", "LinkCertificatesToCustomer")
def link_certificates_to_customer(state, req):
    return link_certificates(state, req, on=True)


@route("POST", CUSTOMER_PATH + "/certificates/unlink", "UnlinkCertificatesFromCustomer")
def unlink_certificates_from_customer(state, req):
    return link_certificates(state, req, on=False)


CERTIFICATES_PATH = "/api/v2/companies/{companyId}/certificates"
CERTIFICATE_PATH = CERTIFICATES_PATH + "/{id}"


@route("GET", CERTIFICATES_PATH, "QueryCertificates")
def query_certificates(state, req):
    certificates = sorted(req.company.certificates.values(), key=lambda c: c.id)
    expand = "customers" in req.includes()
    return listing(
        state, req, certificates, certificate_serializer(state), CERTIFICATES, include=expand
    )


@route("POST", CERTIFICATES_PATH, "CreateCertificates")
def create_certificates(state, req):
    prevalidated = (req.query("$preValidatedExemptionReason") or "").lower() == "true"
    items = json_array(req, "CertificateModel")
    created = state.create_certificates(req.company, items, prevalidated=prevalidated)
    return ok([state.certificate_json(certificate) for certificate in created])


@route("GET", CERTIFICATE_PATH, "GetCertificate")
def get_certificate(state, req):
    certificate = state.certificate(req.company, req.args["id"])
    return ok(state.certificate_json(certificate, customers="customers" in req.includes()))


@route("PUT", CERTIFICATE_PATH, "UpdateCertificate")
def update_certificate(state, req):
    certificate = state.replace_certificate(req.company, req.args["id"], json_body(req))
    return ok(state.certificate_json(certificate))


@route("DELETE", CERTIFICATE_PATH, "DeleteCertificate")
def delete_certificate(state, req):
    # 21.12 answers a list of ErrorDetail (REFERENCE.md §5), like other AvaTax deletes.
    state.delete_certificate(req.company, req.args["id"])
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


@route("POST", CERTIFICATE_PATH + "/attachment", "UploadCertificateImage")
def upload_certificate_image(state, req):
    content_type = req.content_type.strip()
    if content_type and not content_type.lower().startswith("multipart/form-data"):
        raise ApiError(
            400,
            "InvalidRequestContentType",
            "The request content type is invalid.",
            "The request content type must be either 'multipart/form-data' or empty string.",
        )
    data = multipart_fields(req.body, content_type).get("file") if content_type else None
    state.certificate(req.company, req.args["id"])
    if not data:
        raise ApiError(
            400,
            "InvalidPdfOrImageFile",
            "Pdf or Image files are empty",
            "If you'd like to upload a PDF or image file, please upload a valid one.",
        )
    kind = next((kind for magic, kind in FILE_SIGNATURES if data.startswith(magic)), None)
    if kind is None:
        raise certificates_error(NOT_AN_IMAGE)
    state.attach_document(req.company, req.args["id"], data, kind)
    return ok("OK")


@route("GET", CERTIFICATE_PATH + "/attachment", "DownloadCertificateImage")
def download_certificate_image(state, req):
    certificate = state.certificate(req.company, req.args["id"])
    preview = (req.query("$type") or "Pdf").lower()
    if preview not in ("pdf", "jpeg"):
        raise ApiError(
            400,
            "InvalidParameterValue",
            "An invalid value was provided for $type.",
            f"The value '{req.query('$type')}' is not a valid CertificatePreviewType (Pdf, Jpeg).",
            refers_to="$type",
        )
    if certificate.document is None:
        raise not_found("Certificate attachment", "certificate ID", certificate.id)
    # Real ECM renders Jpeg pages and converts images to PDF; the simulator returns what it holds.
    return Response(200, certificate.document, certificate.document_type)


@route("GET", CERTIFICATE_PATH + "/customers", "ListCustomersForCertificate")
def list_customers_for_certificate(state, req):
    customers = state.customers_of(req.company, req.args["id"])
    return listing(state, req, customers, customer_serializer(state), CUSTOMERS)


def link_customers(state, req, *, on: bool) -> Response:
    codes = json_list_of(req, "customers", str)
    _, customers = state.link(req.company, [req.args["id"]], codes, on=on)
    return fetch_result([state.customer_json(c) for c in customers])


@route("POST", CERTIFICATE_PATH + "/customers/link", "LinkCustomersToCertificate")
def link_customers_to_certificate(state, req):
    return link_customers(state, req, on=True)


@route("POST", CERTIFICATE_PATH + "/customers/unlink", "UnlinkCustomersFromCertificate")
def unlink_customers_from_certificate(state, req):
    return link_customers(state, req, on=False)


@route(
    "GET",
    "/api/v2/definitions/certificateexposurezones",
    "ListCertificateExposureZones",
    "definitions",
)
def list_certificate_exposure_zones(state, req):
    return listing(state, req, state.zones, lambda zone, _: dict(zone), ZONES)


@route(
    "GET",
    "/api/v2/definitions/certificateexemptreasons",
    "ListCertificateExemptReasons",
    "definitions",
)
def list_certificate_exempt_reasons(state, req):
    return listing(state, req, state.reasons, lambda reason, _: dict(reason), REASONS)


# The WSGI application


class SimulatorApp:
    """WSGI callable serving one SimulatorState."""

    def __init__(self, state: SimulatorState):
        self.state = state

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        correlation_id = str(uuid.uuid4())
        req = read_request(environ)
        if req.path.startswith("/_simulator"):
            response = control(self.state, req)
        else:
            response, operation, fault = self.serve(req)
            self.state.record(
                RequestRecord(
                    method=req.method,
                    path=unquote(req.path),
                    query=req.query_string,
                    operation=operation,
                    status=response.status,
                    duration_ms=round((time.perf_counter() - started) * 1000, 3),
                    account_id=req.account.account_id if req.account else None,
                    fault=fault,
                    correlation_id=correlation_id,
                )
            )
        if isinstance(response.body, bytes):
            payload = response.body
        else:
            payload = json.dumps(response.body, separators=(",", ":")).encode()
        headers = [
            ("Content-Type", response.content_type),
            ("Content-Length", str(len(payload))),
            ("x-correlation-id", correlation_id),
            *response.headers,
        ]
        start_response(f"{response.status} {reason_phrase(response.status)}", headers)
        return [payload]

    def serve(self, req: Request) -> tuple[Response, str | None, str | None]:
        if len(req.body) > MAX_BODY_BYTES:
            error = ApiError(413, "InvalidParameterValue", "The request body is too large.")
            return error_response(error), None, None
        try:
            matched, req.args = resolve(req.method, req.path)
        except ApiError as error:
            return error_response(error), None, None
        decision = self.state.faults.decide(req.method, unquote(req.path), matched.operation)
        self.pause(decision.latency_ms)
        rule = decision.rule
        if rule is not None and not rule.after:
            self.pause(rule.timeout_ms)
            if rule.status is not None:
                return fault_response(rule), matched.operation, decision.fault_name
        response = self.handle(matched, req)
        if rule is not None and rule.after:
            self.pause(rule.timeout_ms)
            if rule.status is not None:
                return fault_response(rule), matched.operation, decision.fault_name
        return response, matched.operation, decision.fault_name

    def handle(self, matched: Route, req: Request) -> Response:
        with self.state.lock:
            try:
                prepare(self.state, req, matched.scope)
                return matched.handler(self.state, req)
            except ApiError as error:
                return error_response(error)
            except Exception as exc:  # a simulator bug must still answer like AvaTax does
                traceback.print_exc(file=sys.stderr)
                error = ApiError(500, "UnhandledException", "Unhandled exception.", repr(exc))
                return error_response(error)

    def pause(self, milliseconds: int) -> None:
        if milliseconds:
            self.state.stopping.wait(milliseconds / 1000)


def fault_response(rule: FaultRule) -> Response:
    if rule.body is not None:
        body = rule.body
    else:
        code, message, description = rule.error()
        fault_code = "Server" if rule.status >= 500 else "Client"
        error = ApiError(rule.status, code, message, description, fault_code=fault_code)
        body = error.body()
    headers = []
    if rule.retry_after is not None or rule.status == 429:
        retry_after = DEFAULT_RETRY_AFTER if rule.retry_after is None else rule.retry_after
        headers.append(("Retry-After", str(retry_after)))
    return Response(rule.status, body, headers=headers)


def reason_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def read_request(environ) -> Request:
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        parts = urlsplit(raw)
        path, query_string = parts.path, parts.query
    else:
        path = quote(environ.get("PATH_INFO", "").encode("latin-1"), safe="/:@!$&'()*+,;=-._~")
        query_string = environ.get("QUERY_STRING", "")
    if len(path) > 1:
        path = path.rstrip("/")
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    body = environ["wsgi.input"].read(min(length, MAX_BODY_BYTES + 1)) if length > 0 else b""
    return Request(
        method=environ.get("REQUEST_METHOD", "GET").upper(),
        path=path,
        query_string=query_string,
        params=parse_qsl(query_string, keep_blank_values=True),
        authorization=environ.get("HTTP_AUTHORIZATION", ""),
        content_type=environ.get("CONTENT_TYPE", ""),
        body=body,
    )


# /_simulator controls: no authentication, not recorded, not part of AvaTax.


def control(state: SimulatorState, req: Request) -> Response:
    action = CONTROLS.get((req.method, req.path))
    if action is None:
        return Response(404, {"error": f"no simulator control at {req.method} {req.path}"})
    try:
        return ok(action(state, req))
    except ValueError as exc:
        return Response(400, {"error": str(exc)})


def add_faults(state: SimulatorState, req: Request) -> dict:
    try:
        data = json.loads(req.body or b"null")
    except ValueError as exc:
        raise ValueError(f"the body must be JSON: {exc}") from None
    if isinstance(data, dict):
        data = data.get("rules", [data])
    if not isinstance(data, list) or not all(isinstance(rule, dict) for rule in data):
        raise ValueError('send a fault rule object, a list of them, or {"rules": [...]}')
    try:
        rules = [FaultRule.from_dict(rule) for rule in data]
    except TypeError as exc:
        raise ValueError(str(exc)) from None
    for rule in rules:
        state.faults.add(rule)
    return list_faults(state, req)


def list_faults(state: SimulatorState, req: Request) -> dict:
    rules = state.faults.rules()
    return {"baseLatencyMs": state.faults.base_latency_ms, "rules": [r.to_dict() for r in rules]}


def clear_faults(state: SimulatorState, req: Request) -> dict:
    state.faults.clear()
    return list_faults(state, req)


def list_requests(state: SimulatorState, req: Request) -> dict:
    records = state.requests(req.query("operation"))
    by_operation: dict[str, int] = {}
    for record in records:
        by_operation[record.operation or "-"] = by_operation.get(record.operation or "-", 0) + 1
    return {
        "count": len(records),
        "byOperation": by_operation,
        "requests": [asdict(r) for r in records],
    }


def clear_requests(state: SimulatorState, req: Request) -> dict:
    state.clear_requests()
    return list_requests(state, req)


def reset(state: SimulatorState, req: Request) -> dict:
    state.reset()
    return {"status": "reset"}


def index(state: SimulatorState, req: Request) -> dict:
    return {
        "simulator": SIMULATOR_VERSION,
        "operations": sorted({f"{r.method} {r.operation}" for r in ROUTES}),
        "controls": sorted(f"{method} {path}" for method, path in CONTROLS),
    }


CONTROLS = {
    ("GET", "/_simulator"): index,
    ("GET", "/_simulator/faults"): list_faults,
    ("POST", "/_simulator/faults"): add_faults,
    ("DELETE", "/_simulator/faults"): clear_faults,
    ("GET", "/_simulator/requests"): list_requests,
    ("DELETE", "/_simulator/requests"): clear_requests,
    ("POST", "/_simulator/reset"): reset,
    ("GET", "/_simulator/state"): lambda state, req: state.summary(),
}
