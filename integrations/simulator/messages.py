"""A request as the handlers see it, read from the WSGI environ, and the response they return."""

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, urlsplit

from .errors import ApiError
from .records import Account, Company

JSON_TYPE = "application/json; charset=utf-8"
MAX_BODY_BYTES = 32 * 1024 * 1024


@dataclass
class Request:
    method: str
    path: str
    query_string: str
    params: list[tuple[str, str]]
    authorization: str
    content_type: str
    body: bytes
    args: dict = field(default_factory=dict)
    account: Account | None = None
    company: Company | None = None

    def query(self, name: str) -> str | None:
        return next((v for k, v in self.params if k.lower() == name.lower()), None)

    def includes(self) -> set[str]:
        return {part.strip().lower() for part in (self.query("$include") or "").split(",")}


@dataclass
class Response:
    status: int
    body: object = None
    content_type: str = JSON_TYPE
    headers: list[tuple[str, str]] = field(default_factory=list)


def ok(body) -> Response:
    return Response(200, body)


def error_response(error: ApiError) -> Response:
    return Response(error.status, error.body(), headers=error.headers)


def read_request(environ) -> Request:
    """The request, with its path still percent-encoded (see app.py) and its body capped."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        parts = urlsplit(raw)
        path, query_string = parts.path, parts.query
    else:
        path = quote(environ.get("PATH_INFO", "").encode("latin-1"), safe="/:@!$&'()*+,;=-._~")
        query_string = environ.get("QUERY_STRING", "")
    if len(path) > 1:
        path = path.rstrip("/")
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    body = environ["wsgi.input"].read(min(length, MAX_BODY_BYTES + 1)) if length > 0 else b""
    return Request(
        method=environ.get("REQUEST_METHOD", "GET").upper(),
        path=path,
        query_string=query_string,
        params=parse_qsl(query_string, keep_blank_values=True),
        authorization=environ.get("HTTP_AUTHORIZATION", ""),
        content_type=environ.get("CONTENT_TYPE", ""),
        body=body,
    )
