"""Ping, the account's companies, and a company's ECM set-up (REFERENCE.md §7)."""

from ..accounts import SIMULATOR_VERSION
from ..auth import basic_credentials
from ..errors import ApiError
from ..messages import Request, Response, ok
from ..paging import listing
from ..queries import COMPANIES
from ..routing import RouteTable
from ..state import SimulatorState

routes = RouteTable()
SETUP_PATH = "/api/v2/companies/{companyId}/certificates/setup"


@routes.add("GET", "/api/v2/utilities/ping", "Ping", scope="public")
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


@routes.add("GET", "/api/v2/companies", "QueryCompanies", scope="account")
def query_companies(state, req):
    companies = state.account_companies(req.account)
    return listing(state, req, companies, lambda company, _: company.to_json(), COMPANIES)


@routes.add("GET", "/api/v2/companies/{companyId}", "GetCompany", scope="company")
def get_company(state, req):
    return ok(req.company.to_json())


def setup_response(req, status: str) -> Response:
    company = req.company
    return ok({"status": status, "accountId": company.account_id, "companyId": company.id})


@routes.add("GET", SETUP_PATH, "GetCertificateSetup", "company")
def get_certificate_setup(state, req):
    return setup_response(req, state.provision_status(req.company))


@routes.add("POST", SETUP_PATH, "RequestCertificateSetup", "company")
def request_certificate_setup(state, req):
    return setup_response(req, state.request_provisioning(req.company))
