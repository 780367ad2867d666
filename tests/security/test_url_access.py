"""Who may use each URL, generated from the URL configuration.

REGISTRY holds one entry per URL name: a URL added without an entry fails
`test_every_url_has_an_access_rule`. For each entry: an anonymous visitor is sent to log in (401
from the API), a signed-in user outside any organization gets 403, a member of another
organization gets 404 for this organization's records and sees nothing of it elsewhere, a member
without one of the entry's roles gets 403, and a member holding one gets the page. Every refusal
leaves the organization's rows, the outbox and Avalara untouched.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse

from creditapps.models import CreditApplication, InfoRequest
from nuvo.roles import RECORD_EDITORS, Role
from tests.pdf_factory import make_pdf
from tests.security.access import (
    Access,
    Route,
    all_routes,
    client_for,
    path_values,
    request,
    roles_for,
    user_with,
)

ANALYST, APPROVER, ADMIN = Role.CREDIT_ANALYST, Role.APPROVER, Role.ADMIN
SENDERS = (ANALYST, ADMIN)  # integrations.services.sending.SENDERS
ALL_ROLES = (ADMIN, ANALYST, APPROVER)
NET_30 = CreditApplication.Terms.NET_30


def public(*methods: str, status: int = 200, **options) -> Access:
    return Access("public", methods=methods or ("get",), status=status, **options)


def html(*methods: str, roles=(), object=None, data=None) -> Access:
    return Access("member", methods=methods or ("get",), roles=roles, object=object, data=data)


def api(*methods: str, roles=(), object=None, data=None, reads_for_members=False) -> Access:
    return Access(
        "api",
        methods=methods or ("get",),
        roles=roles,
        object=object,
        data=data,
        reads_for_members=reads_for_members,
    )


def new_customer(world) -> dict:
    return {"legal_name": "Brand New Co", "email": "ap@brandnew.test", "region": "TX"}


def certificate_upload(world) -> dict:
    return {
        "customer": world.customer.pk,
        "file": SimpleUploadedFile("new.pdf", make_pdf(text="New"), "application/pdf"),
        "exempt_regions": ["TX"],
        "exemption_reason": "RESALE",
        "effective_date": "2026-01-01",
    }


REGISTRY: dict[str, Access] = {
    # Nuvo
    "home": public(status=302),
    "healthz": public(),
    "settings": html(),
    "team": html(),
    "team-approval-settings": html("post", roles=(ADMIN,)),
    "api-schema": public(),  # describes the API; holds no organization's data
    "api:api-root": public(),
    # django.contrib.auth
    "login": public("get", "post"),
    "logout": public("post", status=302),
    "password_change": Access("signed_in", methods=("get", "post")),
    "password_change_done": Access("signed_in"),
    "password_reset": public("get", "post", status=200),
    "password_reset_done": public(),
    "password_reset_confirm": public(extra={"uidb64": lambda w: "MQ", "token": lambda w: "x-y"}),
    "password_reset_complete": public(),
    # Credit applications
    "creditapps:application-list": html(),
    "creditapps:application-detail": html(object="application"),
    "creditapps:application-submit": html("post", roles=(ANALYST,), object="application"),
    "creditapps:application-start-review": html("post", roles=(ANALYST,), object="application"),
    "creditapps:application-resume-review": html(
        "get", "post", roles=(ANALYST,), object="application"
    ),
    "creditapps:info-request-resend": html("post", roles=(ANALYST,), object="info_request"),
    "creditapps:application-assign": html("post", roles=(ANALYST,), object="application"),
    "creditapps:application-request-info": html(
        "get", "post", roles=(ANALYST,), object="application"
    ),
    "creditapps:application-request-approval": html(
        "get", "post", roles=(ANALYST,), object="application"
    ),
    "creditapps:application-approve": html("get", "post", roles=(APPROVER,), object="application"),
    "creditapps:application-decline": html("get", "post", roles=(APPROVER,), object="application"),
    "creditapps:customer-list": html(),
    "creditapps:customer-create": html("get", "post", roles=(ANALYST,), data=new_customer),
    "creditapps:customer-detail": html(object="customer"),
    "creditapps:customer-edit": html("get", "post", roles=RECORD_EDITORS, object="customer"),
    "creditapps:certificate-upload": html("get", "post", roles=(ANALYST,), object="customer"),
    "creditapps:reports": html(),
    "creditapps:certificate-request-renewal": html("post", roles=(ANALYST,), object="certificate"),
    "creditapps:certificate-settings": html("get", "post", roles=(ADMIN,)),
    "creditapps:public-apply": public("get", "post"),
    "creditapps:public-apply-done": public(),
    "creditapps:info-request-respond": public("get", "post"),
    # Certificates
    "certificates:preview": html(object="certificate"),
    "certificates:file": html(object="certificate"),
    "certificates:edit": html("get", "post", roles=RECORD_EDITORS, object="certificate"),
    "certificates:page-image": html(object="certificate"),
    # Settings > Integrations
    "integrations:integrations": html(roles=(ADMIN,)),
    "integrations:avalara-connect": html("get", "post", roles=(ADMIN,)),
    "integrations:avalara-test": html("post", roles=(ADMIN,)),
    "integrations:avalara-request-setup": html("post", roles=(ADMIN,)),
    "integrations:avalara-disconnect": html("get", "post", roles=(ADMIN,)),
    "integrations:avalara-sync": html("post", roles=(ADMIN,)),
    "integrations:avalara-matrix": html("get", "post", roles=(ADMIN,)),
    "integrations:avalara-matrix-delete": html("post", roles=(ADMIN,), object="matrix_rule"),
    "integrations:avalara-reasons": html("get", "post", roles=(ADMIN,)),
    "integrations:avalara-reasons-refresh": html("post", roles=(ADMIN,)),
    # Send to Avalara, status, reports
    "avalara:send-application": html("post", roles=SENDERS, object="application"),
    "avalara:bulk-send": html(
        "post", roles=SENDERS, data=lambda w: {"application": [w.application.pk]}
    ),
    "avalara:send-customer": html("post", roles=SENDERS, object="customer"),
    "avalara:dismiss-match": html("post", roles=SENDERS, object="customer"),
    "avalara:merge-into": html("post", roles=SENDERS, object="customer"),
    "avalara:refresh-status": html("post", object="customer"),
    "avalara:only-certificate-preview": html(object="only_certificate"),
    "avalara:only-certificate-file": html(object="only_certificate"),
    "avalara:only-certificate-page": html(object="only_certificate"),
    "avalara:failed-api-calls": html(roles=SENDERS),
    "avalara:failed-retry": html(
        "post", roles=SENDERS, data=lambda w: {"row": [f"certificate-{w.avalara_certificate.pk}"]}
    ),
    "avalara:failed-dismiss": html(
        "post",
        roles=(ADMIN,),
        data=lambda w: {"row": f"certificate-{w.avalara_certificate.pk}", "reason": "Known"},
    ),
    "avalara:send-progress": html(roles=SENDERS, object="send"),
    "avalara:batch": html(roles=SENDERS),
    "avalara:certificate-retry": html("post", roles=SENDERS, object="avalara_certificate"),
    # The API
    "api:customer-list": api(
        "get", "post", roles=(ANALYST,), data=new_customer, reads_for_members=True
    ),
    "api:customer-detail": api(
        "get",
        "put",
        "patch",
        roles=RECORD_EDITORS,
        object="customer",
        data=new_customer,
        reads_for_members=True,
    ),
    "api:credit-application-list": api(
        "get",
        "post",
        roles=(ANALYST,),
        reads_for_members=True,
        data=lambda w: {
            "customer": w.customer.pk,
            "requested_credit_limit": "5000.00",
            "requested_terms": NET_30,
        },
    ),
    "api:credit-application-detail": api(object="application"),
    "api:credit-application-submit": api("post", roles=(ANALYST,), object="application"),
    "api:credit-application-start-review": api("post", roles=(ANALYST,), object="application"),
    "api:credit-application-request-info": api(
        "post",
        roles=(ANALYST,),
        object="application",
        data=lambda w: {"items": [InfoRequest.Item.TRADE_REFERENCES]},
    ),
    "api:credit-application-request-approval": api("post", roles=(ANALYST,), object="application"),
    "api:credit-application-approve": api(
        "post",
        roles=(APPROVER,),
        object="application",
        data=lambda w: {"credit_limit": "5000.00", "terms": NET_30},
    ),
    "api:credit-application-decline": api(
        "post", roles=(APPROVER,), object="application", data=lambda w: {"comment": "No."}
    ),
    "api:certificate-list": api(
        "get", "post", roles=(ANALYST,), data=certificate_upload, reads_for_members=True
    ),
    "api:certificate-detail": api(object="certificate"),
    "api:certificate-download": api(object="certificate"),
    "api:avalara-connection": api(),
    "api:customer-send-to-avalara": api("post", roles=SENDERS, object="customer"),
    "api:credit-application-send-to-avalara": api("post", roles=SENDERS, object="application"),
    "api:avalara-send": api(roles=SENDERS, object="send"),
}

ROUTES: dict[str, Route] = {}
for _route in all_routes():
    if _route.route.startswith("admin/"):
        continue
    if _route.key in ROUTES and ROUTES[_route.key].route != _route.route:
        _route = Route(f"{_route.key} {_route.route}", _route.pieces, _route.callback)
    # Of two patterns with one name and route, requests reach the first: the other is shadowed.
    ROUTES.setdefault(_route.key, _route)
ADMIN_ROUTES = [route for route in all_routes() if route.route.startswith("admin/")]


def probes(select, *, methods=None):
    """(key, method) for every entry `select` keeps: one test each."""
    cases = []
    for key, access in sorted(REGISTRY.items()):
        if not select(access):
            continue
        for method in access.methods:
            if not methods or method in methods:
                cases.append(pytest.param(key, method, id=f"{key}-{method}"))
    return cases


def path_of(key: str, world) -> str:
    path = ROUTES[key].path(path_values(world, REGISTRY[key]))
    assert resolve(path).func == ROUTES[key].callback, path
    return path


def test_every_url_has_an_access_rule():
    assert sorted(set(ROUTES) - set(REGISTRY)) == []  # add the new URL to REGISTRY
    assert sorted(set(REGISTRY) - set(ROUTES)) == []  # a URL that no longer exists


def test_the_walk_reaches_every_include():
    assert {"home", "creditapps:application-detail", "api:certificate-download"} <= set(ROUTES)
    assert "api:avalara-send" in ROUTES
    assert any(route.key == "admin:integrations_avalaraconnection_change" for route in ADMIN_ROUTES)


def expected_refusals(access: Access, method: str, path: str) -> dict[str, str]:
    login = f"{reverse('login')}?next={path}"
    expected = {"anonymous": "401" if access.kind == "api" else f"302 {login}"}
    if access.kind == "signed_in":
        return expected
    expected["no organization"] = "403"
    # Another organization's member, holding every role: its records are not found; pages
    # without a record show only that organization's own (none of this one's names).
    expected["other organization"] = "404" if access.object else "answered, nothing shown"
    allowed = roles_for(access, method)
    expected.update({role: "403" for role in ALL_ROLES if allowed and role not in allowed})
    return expected


@pytest.mark.parametrize(("key", "method"), probes(lambda a: a.kind != "public"))
def test_only_the_right_people_get_in(key, method, world, untouched, other_organization):
    access = REGISTRY[key]
    path = path_of(key, world)
    people = {
        "anonymous": None,
        "no organization": user_with("loner"),
        "other organization": user_with("outsider", *ALL_ROLES, organization=other_organization),
        **{
            role: user_with(f"only-{role}", role, organization=world.organization)
            for role in ALL_ROLES
        },
    }
    expected = expected_refusals(access, method, path)

    outcomes = {}
    for who in expected:
        with untouched():
            response = request(client_for(access, people[who]), access, method, path, world)
        outcome = str(response.status_code)
        if response.status_code == 302:
            outcome += f" {response['Location']}"
        if expected[who] == "answered, nothing shown" and response.status_code < 500:
            shown = world.customer.legal_name.encode() in response.content
            outcome = f"{outcome}, shows {world.customer.legal_name}" if shown else expected[who]
        outcomes[who] = outcome

    assert outcomes == expected


@pytest.mark.parametrize(
    ("key", "method"), probes(lambda a: a.kind in ("member", "api"), methods=("get",))
)
def test_a_member_with_the_role_gets_the_page(key, method, world):
    access = REGISTRY[key]
    role = (roles_for(access, method) or ALL_ROLES)[0]
    member = user_with("holder", role, organization=world.organization)

    response = request(client_for(access, member), access, method, path_of(key, world), world)

    assert response.status_code in (200, 302)


@pytest.mark.parametrize(
    ("key", "method"),
    [*probes(lambda a: a.kind == "public", methods=("get",)), ("logout", "post")],
)
def test_public_urls_answer_anonymous_visitors(key, method, world):
    access = REGISTRY[key]

    response = request(client_for(access), access, method, path_of(key, world), world)

    assert response.status_code == access.status
    assert not response.get("Location", "").startswith(reverse("login") + "?")


# The Django admin: the platform operators' (staff users), never an organization's members.
ADMIN_SITE_EXPECTATIONS = {
    "admin:login": "200",
    "admin:logout": "302 /admin/",  # a GET (logging out is a POST) goes back to the index
}


@pytest.mark.parametrize("route", ADMIN_ROUTES, ids=lambda route: route.key)
def test_the_django_admin_is_for_staff_only(route, world, untouched, admin_user):
    path = route.path(path_values(world, Access("admin")))
    login = f"/admin/login/?next={path}"

    outcomes = {}
    for who, user in {"anonymous": None, "organization admin": admin_user}.items():
        with untouched():
            response = request(
                client_for(Access("admin"), user), Access("admin"), "get", path, world
            )
        outcomes[who] = f"{response.status_code} {response.get('Location', '')}".strip()

    expected = ADMIN_SITE_EXPECTATIONS.get(route.key, f"302 {login}")
    assert outcomes == {"anonymous": expected, "organization admin": expected}
