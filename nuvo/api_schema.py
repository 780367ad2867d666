"""The API schema's refusals: every operation documents the errors it can answer with.

drf-spectacular documents the success only; a client (and schemathesis in CI) must also know
the 400, 401, 403, 404, 409 and 429 answers and their body, `{"code", "detail"}`.
"""

ERROR = {
    "type": "object",
    "description": "A refusal: a stable `code` (absent on some framework errors) and a `detail`.",
    "properties": {"code": {"type": "string"}, "detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR = {
    "type": "object",
    "description": "Invalid input: a `code` and `detail`, or the messages of each field.",
    "additionalProperties": True,
}
WRITES = {"post", "put", "patch", "delete"}


def _reply(description: str, component: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
    }


def document_error_responses(result, generator, request, public):
    """A drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("ValidationError", VALIDATION_ERROR)
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            errors = {
                "400": _reply("Invalid input, filter or page.", "ValidationError"),
                "401": _reply("No credentials, or credentials that are not valid.", "Error"),
                "403": _reply("The user's role may not do this.", "Error"),
                "404": _reply("No such record in the user's organization, or page.", "Error"),
                "429": _reply("Too many requests; try again after Retry-After.", "Error"),
            }
            if method in WRITES:
                errors["409"] = _reply("The record's state does not allow this now.", "Error")
            for status, reply in errors.items():
                responses.setdefault(status, reply)
    return result
