"""Bad input is a 4xx, never a 500."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from tests.creditapps.test_api import token_client


@pytest.fixture
def api(analyst_user) -> APIClient:
    return token_client(analyst_user)


def api_routes_with_an_id() -> list[str]:
    """Every /api/v1/ route that takes a record's id, as a path with `abc` for the id."""
    (api_resolver,) = [
        pattern
        for pattern in get_resolver().url_patterns
        if isinstance(pattern, URLResolver) and pattern.namespace == "api"
    ]
    paths = []

    def walk(patterns, prefix):
        for pattern in patterns:
            regex = prefix + pattern.pattern.regex.pattern.lstrip("^").rstrip("$")
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, regex)
            elif isinstance(pattern, URLPattern) and "(?P<pk>" in regex:
                path = re.sub(r"\(\?P<pk>[^)]*\)", "abc", regex)
                path = re.sub(r"\(\?P<format>[^)]*\)", "json", path).replace("\\.", ".")
                paths.append("/api/v1/" + path.replace("\\Z", "").replace("\\", ""))

    walk(api_resolver.url_patterns, "")
    return sorted(set(paths))


def test_the_walk_finds_every_kind_of_api_route():
    routes = api_routes_with_an_id()

    assert "/api/v1/credit-applications/abc/" in routes
    assert "/api/v1/credit-applications/abc/approve/" in routes
    assert "/api/v1/certificates/abc/download/" in routes
    assert "/api/v1/customers/abc/" in routes


@pytest.mark.parametrize("path", api_routes_with_an_id())
@pytest.mark.parametrize("method", ["get", "post"])
def test_every_api_route_answers_a_non_integer_id_with_404(api, path, method):
    response = getattr(api, method)(path, {}, format="json")

    assert response.status_code in (404, 405), (path, response.status_code)


@pytest.mark.parametrize("value", ["%C2%B2", "abc", "-1", "1.5"])
def test_a_customer_filter_that_is_not_a_plain_number_is_a_400(api, value):
    response = api.get(f"/api/v1/certificates/?customer={value}")

    assert response.status_code == 400
    assert "customer" in response.json()


def test_an_unknown_application_filter_value_is_a_400_not_an_empty_list(api):
    response = api.get("/api/v1/credit-applications/?status=bogus")

    assert response.status_code == 400
    assert "status" in response.json()


def test_a_deeply_nested_json_body_is_a_400(api, customer):
    response = api.generic(
        "PATCH",
        f"/api/v1/customers/{customer.pk}/",
        "[" * 100_000,
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


def test_an_organization_admin_cannot_change_another_organizations_customer_in_django_admin(
    admin_client_member, make_customer, other_organization
):
    theirs = make_customer(org=other_organization, legal_name="Rival Customer")

    response = admin_client_member.post(
        f"/admin/creditapps/customer/{theirs.pk}/change/", {"legal_name": "Taken over"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    theirs.refresh_from_db()
    assert theirs.legal_name == "Rival Customer"
