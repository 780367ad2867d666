"""What the operations share short of sending: AvaTax paths and queries, paging, body parsing.

Sending is ``AvaTaxClient._request`` in ``client.py``, the one module that imports ``requests``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

from .errors import AvalaraError, AvalaraResponseError, ErrorCode
from .types import FetchResult

T = TypeVar("T")
_NO_BODY: Any = object()


@dataclass(frozen=True)
class _Reply:
    status: int
    data: Any  # decoded JSON, or the raw bytes of a download
    write: bool = False  # answered a non-GET: an unreadable answer leaves its effect unknown


class ClientPlumbing:
    """Base of the operation mixins; ``AvaTaxClient`` sets these attributes and sends."""

    base_url: str
    max_pages: int

    def _request(self, method: str, target: str, **options: Any) -> _Reply:
        raise NotImplementedError  # AvaTaxClient._request

    def _fetch_all(self, path: str, query: dict[str, str], *, operation: str) -> list[Any]:
        """Every item of a FetchResult list, following ``@nextLink`` up to ``max_pages`` pages."""
        target = self._url(path, query)
        seen = {target}
        items: list[Any] = []
        for _ in range(self.max_pages):
            reply = self._request("GET", target, operation=operation)
            page = self._parse(operation, reply, FetchResult.from_wire)
            items.extend(page.value)
            if page.next_link is None:
                return items
            target = self._resolve_next_link(page.next_link, operation)
            if target in seen:
                raise _unexpected(operation, reply.status, "@nextLink repeats an earlier page")
            seen.add(target)
        raise _unexpected(operation, None, f"more than {self.max_pages} pages")

    def _resolve_next_link(self, link: str, operation: str) -> str:
        """Join Avalara's relative ``@nextLink`` to the base URL; never follow it off-host."""
        base = urlsplit(self.base_url)
        parts = urlsplit(link)
        if parts.scheme or parts.netloc:
            if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
                # Following it would send the credentials to another host.
                raise _unexpected(operation, None, "@nextLink points to another host")
            return link
        if not link.startswith("/"):
            link = "/" + link
        prefix = base.path.rstrip("/")
        if prefix and (link == prefix or link.startswith(prefix + "/")):
            return f"{base.scheme}://{base.netloc}{link}"
        return self.base_url + link

    def _url(self, target: str, query: dict[str, str] | None) -> str:
        url = target if target.startswith(("http://", "https://")) else self.base_url + target
        if query:
            # Avalara's own links keep `$` and encode spaces as %20 ($filter=isDefault%20eq%20true);
            # requests' params= would send `%24filter=isDefault+eq+true`.
            url += "?" + "&".join(
                f"{quote(key, safe='$')}={quote(value, safe='')}" for key, value in query.items()
            )
        return url

    def _parse(self, operation: str, reply: _Reply, parser: Callable[[Any], T]) -> T:
        try:
            return parser(reply.data)
        except (KeyError, TypeError, ValueError) as exc:
            reason = f"unexpected response shape: {exc}"
            raise _unexpected(operation, reply.status, reason, reply.write) from exc

    def _parse_each(
        self, operation: str, items: Iterable[Any], parser: Callable[[Any], T]
    ) -> list[T]:
        return [self._parse(operation, _Reply(200, item), parser) for item in items]

    def _parse_list(self, operation: str, reply: _Reply, parser: Callable[[Any], T]) -> list[T]:
        if not isinstance(reply.data, list):
            raise _unexpected(operation, reply.status, "expected a JSON array", reply.write)
        return [self._parse(operation, replace(reply, data=item), parser) for item in reply.data]

    def _parse_page(self, operation: str, reply: _Reply, parser: Callable[[Any], T]) -> list[T]:
        page = self._parse(operation, reply, FetchResult.from_wire)
        return [self._parse(operation, replace(reply, data=item), parser) for item in page.value]


def _path(*segments: str | int) -> str:
    """``/api/v2/<segments>``, each percent-encoded: codes may hold ``/``, ``#``, spaces."""
    encoded = []
    for segment in segments:
        text = str(segment)
        if not text or text in (".", ".."):
            # "" and dot-segments would address another resource: requests unescapes %2E and
            # urllib3 resolves "..", so /customers/.. would become the company itself.
            raise ValueError(f"{text!r} cannot be an AvaTax path segment (e.g. a customer code)")
        encoded.append(quote(text, safe=""))
    return "/api/v2/" + "/".join(encoded)


def _query(
    *,
    filter: str | None = None,
    include: str | Sequence[str] | None = None,
    top: int | None = None,
    skip: int | None = None,
    order_by: str | None = None,
) -> dict[str, str]:
    query: dict[str, str] = {}
    if include:
        query["$include"] = include if isinstance(include, str) else ",".join(include)
    if filter:
        query["$filter"] = filter
    if top is not None:
        query["$top"] = str(int(top))
    if skip is not None:
        query["$skip"] = str(int(skip))
    if order_by:
        query["$orderBy"] = order_by
    return query


def _bool_param(value: bool) -> str:
    return "true" if value else "false"


def _json_or_none(content: bytes) -> Any:
    try:
        return json.loads(content) if content.strip() else None
    except ValueError:
        return None


def _unexpected(
    operation: str, http_status: int | None, reason: str, outcome_unknown: bool = False
) -> AvalaraError:
    return AvalaraResponseError(
        ErrorCode.UNKNOWN_ERROR,
        operation=operation,
        retryable=True,
        http_status=http_status,
        reason=reason,
        outcome_unknown=outcome_unknown,
    )
