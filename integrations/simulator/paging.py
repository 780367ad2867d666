"""FetchResult pages: $top, $skip, @recordsetCount and a relative @nextLink (REFERENCE.md §3)."""

from collections.abc import Callable
from urllib.parse import quote

from .errors import ApiError
from .messages import Request, Response, ok
from .queries import Queryable, matches, order_keys, parse_filter
from .state import SimulatorState

MAX_TOP = 1000  # "Max page size 1,000" (REFERENCE.md §3)


def whole_number(req: Request, name: str, default: int) -> int:
    raw = req.query(name)
    if raw in (None, ""):
        return default
    if not raw.isdigit():
        raise ApiError(
            400,
            "InvalidQueryValue",
            "An invalid value was provided in the query.",
            f"The value '{raw}' of {name} must be a whole number.",
            refers_to=name,
        )
    return int(raw)


def listing(
    state: SimulatorState,
    req: Request,
    items: list,
    serialize: Callable[[object, bool], dict],
    spec: Queryable,
    *,
    include: bool = False,
) -> Response:
    """A FetchResult page of `items`, filtered, ordered and paged as the query asks."""
    top = min(whole_number(req, "$top", 0) or state.page_size, MAX_TOP)
    skip = whole_number(req, "$skip", 0)
    if spec.ecm and skip % top:
        raise ApiError(
            400,
            "ExemptionPaginationLimits",
            "AvaTax exemption data does not support this type of pagination.",
            "When fetching AvaTax exemption data, you must fetch on a per-page basis where all "
            f"pages have equal size.  You attempted to fetch {skip} records with a page size of "
            f"{top}.",
        )
    clauses = parse_filter(req.query("$filter") or "", spec) if req.query("$filter") else []
    rows = [(item, serialize(item, False)) for item in items]
    rows = [(item, row) for item, row in rows if matches(row, clauses)]
    for name, descending in reversed(order_keys(req.query("$orderBy") or "", spec)):
        rows.sort(key=lambda pair: _sort_key(pair[1].get(name)), reverse=descending)
    page = rows[skip : skip + top]
    result = {
        "@recordsetCount": len(rows),
        "value": [serialize(item, True) if include else row for item, row in page],
    }
    if skip + top < len(rows):
        result["@nextLink"] = next_link(req, top, skip + top)
    return ok(result)


def _sort_key(value) -> tuple:
    return (value is None, "" if value is None else value)


def next_link(req: Request, top: int, skip: int) -> str:
    kept = [(k, v) for k, v in req.params if k.lower() not in ("$top", "$skip")]
    pairs = [("$top", str(top)), ("$skip", str(skip)), *kept]
    return req.path + "?" + "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)


def fetch_result(values: list[dict]) -> Response:
    return ok({"@recordsetCount": len(values), "value": values})
