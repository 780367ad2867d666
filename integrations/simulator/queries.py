"""The $filter and $orderBy subset, and which fields each list lets them name (REFERENCE.md §3).

`$filter` takes `<field> eq <value>` clauses joined by `and`; values are true, false, null,
numbers or 'quoted strings'.
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


def malformed_filter(text: str) -> ApiError:
    return ApiError(
        400,
        "MalformedFilterException",
        "The $filter parameter could not be understood.",
        f"Could not parse '{text}': the simulator supports `<field> eq <value>` clauses joined "
        "by `and`, with true, false, null, numbers or 'quoted strings' as values.",
    )


def parse_filter(text: str, spec: Queryable) -> list[tuple[str, object]]:
    if not FILTER_SYNTAX.fullmatch(text):
        raise malformed_filter(text)
    tokens = FILTER_TOKEN.findall(text)
    clauses = []
    while len(tokens) >= 3 and tokens[1].lower() == "eq":
        clauses.append((spec.field(tokens[0], filtering=True), filter_value(tokens[2], text)))
        tokens = tokens[3:]
        if not tokens:
            return clauses
        if tokens[0].lower() != "and":
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


def matches(row: dict, clauses: list[tuple[str, object]]) -> bool:
    def equal(actual, wanted) -> bool:
        return isinstance(actual, bool) == isinstance(wanted, bool) and actual == wanted

    return all(equal(row.get(name), wanted) for name, wanted in clauses)


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
