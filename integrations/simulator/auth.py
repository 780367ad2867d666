"""HTTP Basic authentication and the access each route scope needs (REFERENCE.md §1, §9)."""

import base64
import binascii

from .errors import ApiError
from .messages import Request
from .records import Account
from .state import SimulatorState


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


def authorize(state: SimulatorState, req: Request, scope: str) -> None:
    """Authenticate, then load and check what the route's scope needs: company, provisioning."""
    if scope == "public":
        return
    req.account = authenticate(state, req)
    if scope == "definitions":
        state.require_account_provisioned(req.account)
    if scope in ("company", "ecm"):
        req.company = state.company_for(req.account, req.args["companyId"])
    if scope == "ecm":
        state.require_provisioned(req.company)
