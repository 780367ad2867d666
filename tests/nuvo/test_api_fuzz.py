"""schemathesis against the served OpenAPI schema: generated calls to every operation, as an
analyst and as an admin, never a server error and never a status code the schema leaves out.

schemathesis's pytest plugin does not run on pytest 9 yet, so each operation is a plain
parametrized test running the operation's hypothesis strategy itself.
"""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, status_code_conformance

from nuvo.wsgi import application

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance]
EXAMPLES = 20
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


def operations() -> list[tuple[str, str]]:
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    return [
        pytest.param(method, path, id=f"{method.upper()} {path}")
        for path, item in sorted(paths.items())
        for method in item
        if method in HTTP_METHODS
    ]


@pytest.fixture
def connection_kept(db):
    """Calls go straight to the WSGI app, whose request signals would close the test's database
    connection mid-transaction (PostgreSQL): held off, as Django's own test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def served_schema(connection_kept):
    return schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def records(make_application):
    """Something for the id-taking operations to find."""
    return make_application()


@pytest.mark.parametrize("role", ["analyst", "admin"])
@pytest.mark.parametrize(("method", "path"), operations())
def test_generated_calls_keep_to_the_schema(
    served_schema, records, analyst_user, admin_user, role, method, path
):
    user = {"analyst": analyst_user, "admin": admin_user}[role]
    headers = {"Authorization": f"Token {Token.objects.create(user=user).key}"}
    operation = served_schema[path][method.upper()]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def call(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    call()
