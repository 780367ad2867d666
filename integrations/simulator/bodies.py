"""Reading request bodies: JSON models, arrays, `{"name": [...]}` lists and multipart uploads."""

import json
import re
from email.parser import BytesHeaderParser

from .errors import ApiError, model_state_detail, required_detail, validation_error
from .messages import Request

# What AvaTax's JSON operations consume (REFERENCE.md §1, S1 `consumes`).
JSON_TYPES = re.compile(
    r"\s*(application/json|application/json-patch\+json|text/json|application/[\w.-]+\+json)\s*(;|$)",
    re.IGNORECASE,
)


def json_body(req: Request):
    if req.body.strip() and not JSON_TYPES.match(req.content_type or ""):
        # ASP.NET refuses a body it has no formatter for; the status is all a client sees.
        raise ApiError(
            415,
            "InvalidRequestContentType",
            "The request content type is not supported.",
            "Send JSON with Content-Type: application/json.",
        )
    if not req.body.strip():
        raise ApiError(
            400,
            "ModelRequiredException",
            "A required model was not provided.",
            "Please verify that your request included a request body in valid JSON format.",
            severity="Exception",
        )
    try:
        return json.loads(req.body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(
            400, "JsonFormatError", "Invalid JSON format.", f"The request body is not JSON: {exc}."
        ) from None


def json_array(req: Request, model: str) -> list:
    data = json_body(req)
    if not isinstance(data, list):
        raise validation_error([model_state_detail(data, f"{model}[]")])
    return data


def json_list_of(req: Request, name: str, kind: type) -> list:
    """`{"<name>": [...]}` bodies of the link/unlink calls."""
    data = json_body(req)
    values = data.get(name) if isinstance(data, dict) else None
    if not isinstance(values, list) or not values:
        raise validation_error([required_detail(name)])
    if not all(isinstance(v, kind) and not isinstance(v, bool) for v in values):
        raise validation_error([model_state_detail(values, name)])
    return values


def multipart_fields(body: bytes, content_type: str) -> dict[str, bytes]:
    """The named parts of a multipart/form-data body (RFC 7578), split on its boundary."""
    boundary = re.search(r'boundary="?([^";]+)"?', content_type, re.IGNORECASE)
    if boundary is None:
        return {}
    newline = b"\r\n" if b"\r\n--" + boundary.group(1).encode() in b"\r\n" + body else b"\n"
    delimiter = newline + b"--" + boundary.group(1).encode()
    parts = {}
    for section in (newline + body).split(delimiter)[1:]:
        if section.startswith(b"--"):
            break
        section = section.partition(newline)[2]  # the rest of the boundary line
        if section.startswith(newline):
            headers, content = b"", section[len(newline) :]
        else:
            headers, _, content = section.partition(newline + newline)
        message = BytesHeaderParser().parsebytes(headers + newline + newline)
        name = message.get_param("name", header="content-disposition")
        if isinstance(name, str):
            parts.setdefault(name, content)
    return parts
