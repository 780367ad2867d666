"""Every page that takes a POST, sent what no browser would: a broken multipart body, a field
over the size limit, too many fields, and values of the wrong kind. Always a 4xx or the form
again with its errors (or a redirect), never a server error."""

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from nuvo.models import Membership

SKIPPED_PREFIXES = ("admin/", "api/", "accounts/", "static/")
WRONG_VALUES = {
    name: value
    for name, value in [
        ("legal_name", "\x00" * 3),
        ("email", "not an email"),
        ("requested_credit_limit", "-1e309"),
        ("approved_credit_limit", "NaN"),
        ("requested_terms", "net_9999"),
        ("region", "ZZ"),
        ("exempt_regions", "ZZ"),
        ("effective_date", "2026-02-30"),
        ("expiration_date", "yesterday"),
        ("exemption_reason", "<b>"),
        ("items", "nope"),
        ("role", "superuser"),
        ("pks", "1,2,abc"),
        ("customers", "x"),
        ("next", "https://evil.example/"),
        ("certificates-TOTAL_FORMS", "9999999"),
        ("certificates-INITIAL_FORMS", "-1"),
    ]
}


def post_routes() -> list[tuple[str, str]]:
    """(route pattern, name) of every HTML page outside the admin and the API."""
    found = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and not route.startswith(SKIPPED_PREFIXES):
                found.append((route, pattern.name or route))

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


@pytest.fixture
def everything(organization, admin_user, make_application, make_customer):
    for role in (Membership.Role.CREDIT_ANALYST, Membership.Role.APPROVER):
        Membership.objects.get_or_create(user=admin_user, organization=organization, role=role)
    application = make_application()
    return {"application": application, "other": make_customer(legal_name="Other Co.")}


def filled(route: str, everything, organization) -> str:
    """The route with real ids where it names a record, and well-formed values elsewhere."""
    application = everything["application"]
    ids = {
        "applications/": application.pk,
        "customers/": application.customer_id,
        "certificates/": 1,
    }
    pk = next((value for start, value in ids.items() if route.startswith(start)), 1)
    path = route
    for converter, value in [
        ("<int:pk>", pk),
        ("<int:other_pk>", everything["other"].pk),
        ("<int:into_pk>", everything["other"].pk),
        ("<uuid:form_key>", organization.public_form_key),
        ("<uuid:batch>", uuid.uuid4()),
        ("<str:token>", "not-a-token"),
        ("<int:page>", 1),
    ]:
        path = path.replace(converter, str(value))
    assert "<" not in path, f"teach this test the converter in {route}"
    return "/" + path


BROKEN_MULTIPART = (
    b'--xyz\r\nContent-Disposition: form-data; name="legal_name"\r\n\r\nAcme\r\n'
    b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n'
    b"Content-Type: application/pdf\r\n\r\n%PDF-1.7 cut off"
)


@pytest.mark.parametrize(("route", "name"), post_routes())
def test_malformed_posts_are_never_a_server_error(
    route, name, everything, organization, admin_user, client
):
    client.force_login(admin_user)
    url = filled(route, everything, organization)
    answers = {
        "broken multipart": client.post(
            url, BROKEN_MULTIPART, content_type="multipart/form-data; boundary=xyz"
        ),
        "field over the size limit": client.post(url, {"legal_name": "x" * (2 * 1024 * 1024)}),
        "too many fields": client.post(url, {f"f{n}": "1" for n in range(2_000)}),
        "values of the wrong kind": client.post(url, WRONG_VALUES),
        "a JSON body": client.post(url, b'{"a": [[[[[[', content_type="application/json"),
    }

    failed = {
        what: answer.status_code for what, answer in answers.items() if answer.status_code >= 500
    }
    assert failed == {}, f"{name}: {failed}"
