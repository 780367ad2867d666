"""The simulator's answers against the AvaTax 21.12 spec subset (REFERENCE.md §11)."""

import json
from pathlib import Path

from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from tests.integrations.simulator_helpers import (
    CERTIFICATES,
    CUSTOMERS,
    call,
    certificate,
    create_certificate,
    create_customers,
    customer,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = REPO_ROOT / "tests/fixtures/avalara/avatax-rest-v2-21.12.0-ecm-subset.openapi.json"


def spec_validators() -> dict[str, OAS30Validator]:
    spec = json.loads(SPEC_PATH.read_text())
    registry = Registry().with_resource(
        "urn:avatax", Resource.from_contents(spec, default_specification=DRAFT4)
    )
    validators = {}
    for path_item in spec["paths"].values():
        for operation in path_item.values():
            content = operation["responses"]["200"].get("content", {})
            schema = content.get("application/json", {}).get("schema")
            if schema:
                schema = json.loads(json.dumps(schema).replace('"#/', '"urn:avatax#/'))
                validators[operation["operationId"]] = OAS30Validator(
                    schema, registry=registry, format_checker=OAS30Validator.FORMAT_CHECKER
                )
    return validators


def test_responses_match_the_avatax_21_12_schemas(simulator):
    validators = spec_validators()
    create_customers(simulator, customer("NUVO_0001", exposureZones=[{"name": "Washington"}]))
    cert = create_certificate(
        simulator,
        customers=[{"customerCode": "NUVO_0001"}, {"customerCode": "NEW"}],
        exemptionNumber="1",
    )
    cert_path = f"{CERTIFICATES}/{cert['id']}"
    call(simulator, "POST", CUSTOMERS, json=[customer("NUVO_0002")])
    calls = [
        ("GET", "/api/v2/utilities/ping", None, None),
        ("POST", CUSTOMERS, None, [customer("NUVO_0003")]),
        ("POST", CERTIFICATES, None, [certificate()]),
        ("GET", "/api/v2/companies", None, None),
        ("GET", CUSTOMERS, {"$include": "certificates"}, None),
        ("GET", CUSTOMERS + "/NUVO_0001", {"$include": "certificates"}, None),
        ("PUT", CUSTOMERS + "/NUVO_0002", None, customer("NUVO_0002")),
        ("GET", CUSTOMERS + "/NUVO_0001/certificates", {"$include": "customers"}, None),
        ("GET", CUSTOMERS + "/NUVO_0001/certificates/US/WA", None, None),
        ("POST", CUSTOMERS + "/NUVO_0002/certificates/link", None, {"certificates": [cert["id"]]}),
        (
            "POST",
            CUSTOMERS + "/NUVO_0002/certificates/unlink",
            None,
            {"certificates": [cert["id"]]},
        ),
        ("GET", CERTIFICATES, {"$include": "customers"}, None),
        ("GET", cert_path, {"$include": "customers"}, None),
        ("PUT", cert_path, None, certificate(pdf=None, filename="x.pdf")),
        ("GET", cert_path + "/customers", None, None),
        ("POST", cert_path + "/customers/link", None, {"customers": ["NUVO_0002"]}),
        ("POST", cert_path + "/customers/unlink", None, {"customers": ["NUVO_0002"]}),
        ("GET", "/api/v2/companies/7100001/certificates/setup", None, None),
        ("POST", "/api/v2/companies/7100001/certificates/setup", None, None),
        ("GET", "/api/v2/definitions/certificateexposurezones", None, None),
        ("GET", "/api/v2/definitions/certificateexemptreasons", None, None),
        ("DELETE", cert_path, None, None),
        ("DELETE", CUSTOMERS + "/NUVO_0002", None, None),
    ]

    for method, path, params, body in calls:
        response = call(simulator, method, path, params=params, json=body)
        assert response.status_code == 200, (path, response.text)
        operation = simulator.state.requests()[-1].operation
        errors = [e.message for e in validators[operation].iter_errors(response.json())]
        assert errors == [], (operation, errors)
