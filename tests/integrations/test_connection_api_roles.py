"""GET /api/v1/integrations/avalara/: every member sees the status; only admins see the username."""

import pytest

from integrations.models import AvalaraConnection
from nuvo.roles import Role

URL = "/api/v1/integrations/avalara/"


@pytest.fixture
def connection(organization) -> AvalaraConnection:
    return AvalaraConnection.objects.create(
        organization=organization,
        environment=AvalaraConnection.Environment.SANDBOX,
        username="acme-ap@avalara.example",
        secret="license-key-1234",
        company_id=77,
        company_code="ACME",
        company_name="Acme Supply Co.",
    )


def test_an_admin_sees_the_username(admin_client_member, connection):
    body = admin_client_member.get(URL).json()

    assert body["username"] == "acme-ap@avalara.example"
    assert body["status"] == "connected"
    assert "secret" not in body


@pytest.mark.parametrize("roles", [(Role.CREDIT_ANALYST,), (Role.APPROVER,)])
def test_other_roles_see_the_status_without_the_username(client, make_user, connection, roles):
    client.force_login(make_user("someone", *roles))

    response = client.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert "username" not in body
    assert "acme-ap@avalara.example" not in response.content.decode()
    assert (body["status"], body["company_name"]) == ("connected", "Acme Supply Co.")


def test_an_admin_who_is_also_an_analyst_sees_the_username(client, make_user, connection):
    client.force_login(make_user("both", Role.ADMIN, Role.CREDIT_ANALYST))

    assert client.get(URL).json()["username"] == "acme-ap@avalara.example"


def test_the_schema_does_not_promise_the_username(admin_client_member):
    schema = admin_client_member.get("/api/schema/?format=json").json()

    component = schema["components"]["schemas"]["AvalaraConnection"]
    assert "username" in component["properties"]
    assert "username" not in component["required"]
    assert "status" in component["required"]
