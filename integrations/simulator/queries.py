"""The $filter and $orderBy subset, and which fields each list lets them name (REFERENCE.md §3).

`$filter` takes `<field> <op> <value>` comparisons (eq ne gt ge lt le, or = != > >= < <=)
joined by `and` and `or` (`and` binds tighter); values are true, false, null, numbers or
'quoted strings' (dates are 'YYYY-MM-DD' and compare as dates, REFERENCE.md §3).
"""

import re
from dataclasses import dataclass

from .errors import ApiError


@dataclass(frozen=True)
class Queryable:
    filterable: frozenset[str]
    unfilterable: frozenset[str] = frozenset()
    ecm: bool = False

    def field(self, name: str, *, filtering: bool) -> str:
        known = {f.lower(): f for f in self.filterable | self.unfilterable}
        canonical = known.get(name.lower())
        if canonical is None:
            raise ApiError(
                400,
                "InvalidQueryField",
                "An invalid field was provided in the query.",
                f"The field named '{name}' could not be found.",
                refers_to=name,
            )
        if filtering and canonical in self.unfilterable:
            raise ApiError(
                400,
                "FieldNotQueryableError",
                "A field was not queryable.",
                f"The field named '{canonical}' cannot be used in a $filter.",
                refers_to=canonical,
            )
        return canonical


def names(text: str) -> frozenset[str]:
    return frozenset(text.split())


COMPANIES = Queryable(
    names(
        "id accountId parentCompanyId companyCode name isDefault isActive isTest defaultCountry "
        "taxpayerIdNumber baseCurrencyCode createdDate modifiedDate"
    )
)
CUSTOMERS = Queryable(
    names(
        "id companyId customerCode alternateId name attnName line1 line2 city postalCode "
        "phoneNumber faxNumber emailAddress contactName country region isBill isShip "
        "taxpayerIdNumber createdDate modifiedDate"
    ),
    names("certificates customFields exposureZones shipTos attributes"),
    ecm=True,
)
# Not filterable per the 21.12 spec: exemptionNumber, status, ecmsId, ecmsStatus, pdf, pages.
CERTIFICATES = Queryable(
    names(
        "id companyId signedDate expirationDate filename documentExists valid verified "
        "exemptPercentage isSingleCertificate createdDate modifiedDate pageCount"
    ),
    names(
        "exemptionNumber status ecmsId ecmsStatus pdf pages ecmStatus customers exposureZone "
        "exemptionReason taxNumberType businessNumberType"
    ),
    ecm=True,
)
# "Not filterable: id, companyId, name, tag, description, created, modified, region, country".
ZONES = Queryable(
    frozenset(), names("id companyId name tag description created modified region country")
)
REASONS = Queryable(names("id name"))

FILTER_TOKEN = re.compile(r"'(?:[^']|'')*'|[^\s']+")
FILTER_SYNTAX = re.compile(
    rf"\s*(?:(?:{FILTER_TOKEN.pattern})(?:\s+(?:{FILTER_TOKEN.pattern}))*)?\s*"
)


OPERATORS = {
    "eq": "eq", "=": "eq", "==": "eq",
    "ne": "ne", "!=": "ne", "<>": "ne",
    "gt": "gt", ">": "gt",
    "ge": "ge", ">=": "ge",
    "lt": "lt", "<": "lt",
    "le": "le", "<=": "le",
}  # fmt: skip
Comparison = tuple[str, str, object]
# Alternatives (`or`), each a conjunction (`and`) of comparisons.
Filter = list[list[Comparison]]


def malformed_filter(text: str) -> ApiError:
    return ApiError(
        400,
        "MalformedFilterException",
        "The $filter parameter could not be understood.",
        f"Could not parse '{text}': the simulator supports `<field> <op> <value>` comparisons "
        "(eq, ne, gt, ge, lt, le) joined by `and` and `or`, with true, false, null, numbers or "
        "'quoted strings' as values.",
    )


def parse_filter(text: str, spec: Queryable) -> Filter:
    if not FILTER_SYNTAX.fullmatch(text):
        raise malformed_filter(text)
    tokens = FILTER_TOKEN.findall(text)
    alternatives: Filter = [[]]
    while len(tokens) >= 3 and tokens[1].lower() in OPERATORS:
        name, operator, value = tokens[:3]
        alternatives[-1].append(
            (
                spec.field(name, filtering=True),
                OPERATORS[operator.lower()],
                filter_value(value, text),
            )
        )
        tokens = tokens[3:]
        if not tokens:
            return alternatives
        joiner = tokens[0].lower()
        if joiner == "or":
            alternatives.append([])
        elif joiner != "and":
            break
        tokens = tokens[1:]
    raise malformed_filter(text)


def filter_value(token: str, text: str):
    if token.startswith("'"):
        return token[1:-1].replace("''", "'")
    literals = {"true": True, "false": False, "null": None}
    if token.lower() in literals:
        return literals[token.lower()]
    try:
        return float(token) if "." in token else int(token)
    except ValueError:
        raise malformed_filter(text) from None


def _compare(actual, operator: str, wanted) -> bool:
    if isinstance(actual, bool) != isinstance(wanted, bool):
        return operator == "ne"
    if operator in ("eq", "ne"):
        return (actual == wanted) == (operator == "eq")
    if actual is None or wanted is None:
        return False
    if isinstance(actual, str) and isinstance(wanted, str):
        # Dates and date-times are ISO text: compare the date part with a date the same way.
        actual = actual[: len(wanted)] if DATE_ONLY.fullmatch(wanted) else actual
    elif isinstance(actual, str) or isinstance(wanted, str):
        return False
    return {
        "gt": actual > wanted,
        "ge": actual >= wanted,
        "lt": actual < wanted,
        "le": actual <= wanted,
    }[operator]


DATE_ONLY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def matches(row: dict, alternatives: Filter) -> bool:
    """No filter matches every row."""
    return not alternatives or any(
        all(_compare(row.get(name), operator, wanted) for name, operator, wanted in conjunction)
        for conjunction in alternatives
    )


def order_keys(text: str, spec: Queryable) -> list[tuple[str, bool]]:
    keys = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, direction = part.partition(" ")
        keys.append((spec.field(name, filtering=False), direction.strip().lower() == "desc"))
    if spec.ecm and len(keys) > 1:
        raise ApiError(
            400,
            "ExemptionSortLimits",
            "AvaTax exemption data does not support sorting by more than one field.",
            f"You attempted to sort by {len(keys)} fields: {text}.",
        )
    return keys
