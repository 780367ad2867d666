"""Shared by the AvaTax client tests: wire constants, inputs, the client and `responses` fixtures.

A plain module, not a conftest: each test module imports the fixtures it uses. They are defined as
`<name>_fixture` with `name=` so that importing them does not shadow the test arguments (F811).
`sleeps` is autouse, so import it in every client test module: no retry may really wait.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import responses

from integrations.avalara import SANDBOX_BASE_URL, AvaTaxClient, CertificateInput, CustomerInput
from integrations.avalara import client as client_module
from tests.pdf_factory import make_pdf

BASE_URL = SANDBOX_BASE_URL
API = f"{BASE_URL}/api/v2"
USERNAME = "nuvo-api@example.org"
PASSWORD = "Tr0ub4dor&3-never-logged"
BASIC_AUTH = "Basic " + base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
CLIENT_HEADER = "Nuvo; 0.1.0; Nuvo AvaTax client; 0.1.0; test-host"
COMPANY_ID = 7370914
CUSTOMER_CODE = "NUVO_5f0c6f9e-2b7d-4c1a-9a55-3f1e0b7c2d41"
CERTIFICATE_ID = 9921
COMPANY_URL = f"{API}/companies/{COMPANY_ID}"
CUSTOMER_URL = f"{COMPANY_URL}/customers/{CUSTOMER_CODE}"
CERTIFICATE_URL = f"{COMPANY_URL}/certificates/{CERTIFICATE_ID}"
CORRELATION_ID = "0f8fad5b-d9cb-469f-a165-70867728950e"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "avalara"
PDF = make_pdf(pages=2)
HTML_BODY = "<html><body><h1>Please sign in to the proxy</h1></body></html>"

CUSTOMER_INPUT = CustomerInput(
    customer_code=CUSTOMER_CODE,
    name="Acme Hardware LLC",
    line1="100 Ravine Lane",
    line2="Suite 200",
    city="Bainbridge Island",
    region="WA",
    postal_code="98110",
    country="US",
    email_address="ap@acme.example",
    phone_number="(206) 555-1212",
)
CERTIFICATE_INPUT = CertificateInput(
    signed_date=date(2025, 1, 31),
    expiration_date=date(2028, 12, 31),
    exemption_reason="RESALE",
    exposure_zone_name="Washington",
    pdf=PDF,
    customer_codes=[CUSTOMER_CODE],
    exemption_number="WA-RESALE-4471",
)


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def make_client(**overrides: Any) -> AvaTaxClient:
    options: dict[str, Any] = {
        "base_url": BASE_URL,
        "username": USERNAME,
        "password": PASSWORD,
        "machine_name": "test-host",
    }
    options.update(overrides)
    return AvaTaxClient(**options)


@pytest.fixture(name="client")
def client_fixture() -> Iterator[AvaTaxClient]:
    avatax = make_client()
    yield avatax
    avatax.close()


@pytest.fixture(name="mocked")
def mocked_fixture() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


@pytest.fixture(name="sleeps", autouse=True)
def sleeps_fixture(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every retry wait, recorded instead of slept."""
    waits: list[float] = []
    monkeypatch.setattr(client_module, "_sleep", waits.append)
    return waits


def assert_sent(call: Any, method: str, url: str, *, json_body: Any = None) -> None:
    request = call.request
    assert request.method == method
    assert request.url == url
    assert request.headers["Authorization"] == BASIC_AUTH
    assert request.headers["X-Avalara-Client"] == CLIENT_HEADER
    assert request.req_kwargs["timeout"] == (5.0, 15.0)
    if json_body is not None:
        assert request.headers["Content-Type"] == "application/json"
        assert json.loads(request.body) == json_body
