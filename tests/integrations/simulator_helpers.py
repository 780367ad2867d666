"""Calls and request bodies shared by the simulator tests (test_simulator*.py)."""

import base64

import requests

from tests.pdf_factory import make_pdf

DEMO = ("nuvo-demo", "avalara-demo")
LICENSE_KEY = ("2000100002", "A1B2C3D4E5F6A7B8")
UNPROVISIONED = ("nuvo-unprovisioned", "avalara-demo")
CUSTOMERS = "/api/v2/companies/7100001/customers"
CERTIFICATES = "/api/v2/companies/7100001/certificates"


def call(simulator, method, path, *, auth=DEMO, timeout=5, **kwargs) -> requests.Response:
    return requests.request(method, simulator.base_url + path, auth=auth, timeout=timeout, **kwargs)


def customer(code="NUVO_0001", **overrides) -> dict:
    return {
        "customerCode": code,
        "name": "Alice Example",
        "line1": "100 Ravine Lane",
        "city": "Bainbridge Island",
        "region": "WA",
        "postalCode": "98110",
        "country": "US",
        **overrides,
    }


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def certificate(**overrides) -> dict:
    """A CertificateModel with an inline PDF; an override of None drops the field."""
    body = {
        "signedDate": "2024-01-15",
        "expirationDate": "2099-12-31",
        "exemptionReason": {"name": "RESALE"},
        "exposureZone": {"name": "Washington"},
        "pdf": b64(make_pdf()),
        **overrides,
    }
    return {key: value for key, value in body.items() if value is not None}


def create_customers(simulator, *customers, auth=DEMO, path=CUSTOMERS) -> requests.Response:
    return call(simulator, "POST", path, auth=auth, json=list(customers))


def create_certificate(simulator, **overrides) -> dict:
    response = call(simulator, "POST", CERTIFICATES, json=[certificate(**overrides)])
    assert response.status_code == 200, response.text
    return response.json()[0]


def error_of(response: requests.Response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]
