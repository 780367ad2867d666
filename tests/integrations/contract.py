"""Check AvaTax calls against the 21.12 OpenAPI subset kept in tests/fixtures/avalara.

``OpenApiContract`` finds the spec operation a URL addresses and validates request and response
bodies with openapi-schema-validator (OAS 3.0, formats date, date-time and int32 checked).
``recording_session()`` is a ``requests.Session`` that keeps every exchange for validation later.
Error bodies are checked against Avalara's ErrorResult (REFERENCE.md §9): the subset spec documents
400/401/404 with no body.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import requests
from jsonschema.exceptions import ValidationError
from openapi_schema_validator import OAS30ReadValidator, OAS30Validator, OAS30WriteValidator
from referencing import Registry, Resource

SPEC_PATH = (
    Path(__file__).resolve().parents[1]
    / "fixtures/avalara/avatax-rest-v2-21.12.0-ecm-subset.openapi.json"
)
SPEC_URI = "urn:avatax:rest-v2:21.12.0"
ERROR_RESULT_URI = "urn:nuvo:avatax-error-result"
JSON = "application/json"
MULTIPART = "multipart/form-data"
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
MAX_REPORTED_ERRORS = 10

# Operations the client calls that the 21.12 ECM subset left out, as the 19.6 swagger defines them
# (REFERENCE.md §0 S1, §3); their schemas are the subset's own components.
SUPPLEMENTARY_PATHS: dict[str, Any] = {
    "/api/v2/companies/{id}": {
        "get": {
            "operationId": "GetCompany",
            "x-source": "avatax-rest-v2-swagger-19.6.0.json",
            "parameters": [
                {
                    "name": "id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer", "format": "int32"},
                },
                {"name": "$include", "in": "query", "schema": {"type": "string"}},
            ],
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {JSON: {"schema": {"$ref": "#/components/schemas/CompanyModel"}}},
                },
                "400": {"description": "BadRequest"},
                "401": {"description": "Unauthorized"},
            },
        }
    }
}

# ErrorResult / ErrorInfo / ErrorDetail as REFERENCE.md §9 describes them; codes and the detail
# fields come from the spec's own ErrorDetail (21.12 ErrorCodeId names).
ERROR_RESULT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "target", "details"],
            "properties": {
                "code": {"$ref": f"{SPEC_URI}#/components/schemas/ErrorDetail/properties/code"},
                "message": {"type": "string", "minLength": 1},
                "target": {
                    "type": "string",
                    "enum": [
                        "Unknown",
                        "HttpRequest",
                        "HttpRequestHeaders",
                        "IncorrectData",
                        "AvaTaxApiServer",
                        "AvalaraIdentityServer",
                        "CustomerAccountSetup",
                    ],
                },
                "details": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "allOf": [{"$ref": f"{SPEC_URI}#/components/schemas/ErrorDetail"}],
                        "required": ["code", "number", "message", "faultCode", "severity"],
                        "properties": {"faultCode": {"enum": ["Client", "Server"]}},
                    },
                },
            },
        },
    },
}


@functools.cache
def load_spec() -> Mapping[str, Any]:
    """The spec, parsed once per test run. Treat it as read-only."""
    return json.loads(SPEC_PATH.read_text())


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    template: str
    definition: Mapping[str, Any] = field(repr=False)

    @property
    def segments(self) -> tuple[str, ...]:
        return tuple(self.template.strip("/").split("/"))

    @property
    def pointer(self) -> str:
        return f"/paths/{_escape(self.template)}/{self.method.lower()}"

    def parameter(self, name: str, location: str) -> Mapping[str, Any] | None:
        return next(
            (
                parameter
                for parameter in self.definition.get("parameters", ())
                if parameter["name"] == name and parameter["in"] == location
            ),
            None,
        )


class OpenApiContract:
    """Validates AvaTax requests and responses against the spec's operations and schemas."""

    def __init__(self, spec: Mapping[str, Any] | None = None) -> None:
        spec = spec if spec is not None else load_spec()
        self.spec = {**spec, "paths": {**SUPPLEMENTARY_PATHS, **spec["paths"]}}
        # Opaque: the spec is an OpenAPI document, not a JSON Schema; its "#/components/..." refs
        # resolve against SPEC_URI once a validator has followed a $ref into it.
        self._registry = Registry().with_resources(
            [
                (SPEC_URI, Resource.opaque(self.spec)),
                (ERROR_RESULT_URI, Resource.opaque(ERROR_RESULT_SCHEMA)),
            ]
        )
        self.operations = tuple(
            Operation(definition["operationId"], method.upper(), template, definition)
            for template, path_item in self.spec["paths"].items()
            for method, definition in path_item.items()
            if method in HTTP_METHODS
        )
        self._validators: dict[tuple[str, type], Any] = {}

    def operation_for(self, method: str, url: str) -> Operation:
        """The operation a call addresses; literal segments win over templates (``/setup``)."""
        segments = _raw_segments(url)
        candidates = [
            operation for operation in self.operations if _matches(operation.segments, segments)
        ]
        if not candidates:
            raise AssertionError(f"no path of the spec matches {method} {urlsplit(url).path}")
        with_method = [operation for operation in candidates if operation.method == method.upper()]
        if not with_method:
            templates = sorted({operation.template for operation in candidates})
            raise AssertionError(f"the spec has no {method} on {', '.join(templates)}")
        return max(with_method, key=lambda operation: _literal_rank(operation.segments))

    def validate_request(
        self, method: str, url: str, body_json: Any, *, media_type: str = JSON
    ) -> str:
        """Check path and query parameters and the body (None: no body); the operationId."""
        operation = self.operation_for(method, url)
        self._validate_parameters(operation, url)
        request_body = operation.definition.get("requestBody")
        if body_json is None:
            if request_body and request_body.get("required"):
                raise AssertionError(f"{operation.operation_id} request: the spec requires a body")
            return operation.operation_id
        if request_body is None:
            raise AssertionError(f"{operation.operation_id} request: the spec defines no body")
        if media_type not in request_body["content"]:
            declared = ", ".join(request_body["content"])
            raise AssertionError(
                f"{operation.operation_id} request: {media_type} is not one of {declared}"
            )
        pointer = f"{operation.pointer}/requestBody/content/{_escape(media_type)}/schema"
        what = f"{operation.operation_id} request body"
        self._check(f"{SPEC_URI}#{pointer}", body_json, what, OAS30WriteValidator)
        return operation.operation_id

    def validate_response(self, method: str, url: str, status: int, body_json: Any) -> str:
        """Check a JSON response body against the status's schema; the operationId.

        Error statuses the spec gives no JSON schema for are checked as an AvaTax ErrorResult.
        """
        operation = self.operation_for(method, url)
        responses = operation.definition["responses"]
        key = str(status) if str(status) in responses else "default"
        what = f"{operation.operation_id} {status} response"
        schema = responses.get(key, {}).get("content", {}).get(JSON, {}).get("schema")
        if schema is not None:
            pointer = f"{operation.pointer}/responses/{key}/content/{_escape(JSON)}/schema"
            self._check(f"{SPEC_URI}#{pointer}", body_json, what, OAS30ReadValidator)
        elif status >= 400:
            self._check(ERROR_RESULT_URI, body_json, f"{what} (ErrorResult)", OAS30ReadValidator)
        else:
            documented = ", ".join(responses)
            raise AssertionError(f"{what}: no JSON body documented (responses: {documented})")
        return operation.operation_id

    def _validate_parameters(self, operation: Operation, url: str) -> None:
        values = [
            ("path", template[1:-1], unquote(segment))
            for template, segment in zip(operation.segments, _raw_segments(url), strict=True)
            if _is_template(template)
        ]
        values += [("query", name, value) for name, value in parse_qsl(urlsplit(url).query)]
        for location, name, value in values:
            parameter = operation.parameter(name, location)
            what = f"{operation.operation_id} {location} parameter {name}"
            if parameter is None:
                raise AssertionError(f"{what}: not declared by the spec")
            schema = parameter.get("schema", {})
            validator = self._validator(schema, OAS30Validator)
            _raise_for(validator.iter_errors(_coerce(value, schema)), what)

    def _check(self, ref: str, instance: Any, what: str, validator_class: Any) -> None:
        # Requests use the write view (readOnly fields must not be sent, nor are they required),
        # responses the read view.
        key = (ref, validator_class)
        if key not in self._validators:
            self._validators[key] = self._validator({"$ref": ref}, validator_class)
        _raise_for(self._validators[key].iter_errors(instance), what)

    def _validator(self, schema: Mapping[str, Any], validator_class: Any) -> Any:
        return validator_class(
            schema, registry=self._registry, format_checker=OAS30Validator.FORMAT_CHECKER
        )


@functools.cache
def avatax_contract() -> OpenApiContract:
    """One contract per test run (the validators it builds are reused)."""
    return OpenApiContract()


# Recording what goes over the wire


@dataclass(frozen=True)
class Exchange:
    """One HTTP call as sent and answered (the final attempt, after any retries)."""

    method: str
    url: str
    request_content_type: str
    request_body: bytes = field(repr=False)
    status: int
    response_content_type: str
    response_body: bytes = field(repr=False)

    def request_json(self) -> Any:
        return json.loads(self.request_body) if self.request_body else None

    def response_json(self) -> Any:
        return json.loads(self.response_body)

    @property
    def request_media_type(self) -> str:
        return _media_type(self.request_content_type)

    @property
    def response_media_type(self) -> str:
        return _media_type(self.response_content_type)


class RecordingSession(requests.Session):
    """A ``requests.Session`` whose response hook appends every call to ``exchanges``."""

    def __init__(self) -> None:
        super().__init__()
        self.exchanges: list[Exchange] = []
        self.hooks["response"].append(self._record)

    def _record(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        request = response.request
        body = request.body or b""
        self.exchanges.append(
            Exchange(
                method=request.method or "",
                url=request.url or "",
                request_content_type=request.headers.get("Content-Type", ""),
                request_body=body.encode() if isinstance(body, str) else body,
                status=response.status_code,
                response_content_type=response.headers.get("Content-Type", ""),
                response_body=response.content,
            )
        )


def recording_session() -> RecordingSession:
    """A session to hand to ``AvaTaxClient(session=...)``; read ``.exchanges`` afterwards."""
    return RecordingSession()


@dataclass(frozen=True)
class FormPart:
    name: str
    filename: str | None
    content_type: str
    payload: bytes = field(repr=False)


def multipart_parts(content_type: str, body: bytes) -> list[FormPart]:
    """The parts of a ``multipart/form-data`` body, in order."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise AssertionError(f"not a multipart body: {content_type!r}")
    return [
        FormPart(
            name=part.get_param("name", header="content-disposition") or "",
            filename=part.get_filename(),
            content_type=part.get_content_type(),
            payload=part.get_payload(decode=True) or b"",
        )
        for part in message.iter_parts()
    ]


# Matching and reporting


def _raw_segments(url: str) -> tuple[str, ...]:
    # Split before decoding: a customer code's %2F stays inside its segment.
    return tuple(urlsplit(url).path.strip("/").split("/"))


def _is_template(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")


def _matches(template: tuple[str, ...], segments: tuple[str, ...]) -> bool:
    return len(template) == len(segments) and all(
        (bool(segment) if _is_template(expected) else unquote(segment) == expected)
        for expected, segment in zip(template, segments, strict=True)
    )


def _literal_rank(template: tuple[str, ...]) -> tuple[bool, ...]:
    return tuple(not _is_template(segment) for segment in template)


def _coerce(value: str, schema: Mapping[str, Any]) -> Any:
    """A path or query string as the type its schema declares, when it reads as one."""
    kind = schema.get("type")
    if kind == "integer" and value.lstrip("-").isdigit():
        return int(value)
    if kind == "boolean" and value in ("true", "false"):
        return value == "true"
    return value


def _media_type(content_type: str) -> str:
    return content_type.split(";")[0].strip().lower()


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _raise_for(errors: Iterator[ValidationError], what: str) -> None:
    found = sorted(errors, key=lambda error: _pointer(error))
    if not found:
        return
    lines = [
        f"  at {_pointer(error) or '/'}: {_shorten(error.message)}"
        f" (value: {_shorten(repr(error.instance))})"
        for error in found[:MAX_REPORTED_ERRORS]
    ]
    if len(found) > MAX_REPORTED_ERRORS:
        lines.append(f"  ... and {len(found) - MAX_REPORTED_ERRORS} more")
    raise AssertionError(f"{what} does not match the spec:\n" + "\n".join(lines))


def _pointer(error: ValidationError) -> str:
    return "".join(f"/{_escape(str(part))}" for part in error.absolute_path)


def _shorten(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
