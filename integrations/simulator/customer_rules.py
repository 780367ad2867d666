"""What CreateCustomers and UpdateCustomer accept, and the errors for what they refuse."""

from .errors import (
    ApiError,
    length_detail,
    model_state_detail,
    required_detail,
    validation_error,
)

CUSTOMER_STRING_FIELDS = (
    "customerCode",
    "alternateId",
    "name",
    "attnName",
    "line1",
    "line2",
    "city",
    "postalCode",
    "phoneNumber",
    "faxNumber",
    "emailAddress",
    "contactName",
    "country",
    "region",
    "taxpayerIdNumber",
)
CUSTOMER_REQUIRED = ("customerCode", "name", "line1", "city", "region", "postalCode", "country")
CUSTOMER_MAX_LENGTHS = {"customerCode": 50, "line1": 50, "line2": 50, "region": 3}
COUNTRY_ALIASES = {"USA": "US", "UNITED STATES": "US", "CAN": "CA", "CANADA": "CA"}


def new_customer_batch(items: list, existing_codes) -> list[dict]:
    """The fields of every customer in a CreateCustomers batch, or the error for the batch."""
    details, batch = [], []
    for index, item in enumerate(items):
        fields, problems = customer_fields(item, f"[{index}].")
        details += problems
        batch.append(fields)
    if details:
        raise validation_error(details)
    codes = [fields["customerCode"] for fields in batch]
    for code in codes:
        if code in existing_codes or codes.count(code) > 1:
            raise duplicate_customer(code)
    return batch


def replacement_customer(code: str, item) -> dict:
    """The fields UpdateCustomer stores: the body, with the code from the URL."""
    if not isinstance(item, dict):
        raise validation_error([model_state_detail(item, "CustomerModel")])
    fields, problems = customer_fields({**item, "customerCode": code}, "")
    if problems:
        raise validation_error(problems)
    return fields


def customer_fields(item, prefix: str) -> tuple[dict, list[dict]]:
    """The stored fields of one CustomerModel and the problems found in it."""
    if not isinstance(item, dict):
        return {}, [model_state_detail(item, "CustomerModel")]
    problems = []
    fields = {}
    for name in CUSTOMER_STRING_FIELDS:
        value = item.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            problems.append(model_state_detail(value, name))
            continue
        fields[name] = value
    for name in CUSTOMER_REQUIRED:
        if not str(fields.get(name, "")).strip() and not _reported(problems, name):
            problems.append(required_detail(prefix + name))
    for name, limit in CUSTOMER_MAX_LENGTHS.items():
        if len(fields.get(name, "")) > limit:
            problems.append(length_detail(prefix + name, 1 if name == "line1" else 0, limit))
    for name in ("isBill", "isShip"):
        if isinstance(item.get(name), bool):
            fields[name] = item[name]
    if isinstance(item.get("exposureZones"), list):
        fields["exposureZones"] = [
            {"name": zone["name"]} for zone in item["exposureZones"] if isinstance(zone, dict)
        ]
    if "country" in fields:
        fields["country"] = COUNTRY_ALIASES.get(fields["country"].upper(), fields["country"])
    return fields, problems


def _reported(problems: list[dict], name: str) -> bool:
    return any(p.get("refersTo", "").endswith(name) for p in problems)


def placeholder_customer(given: dict) -> dict:
    """A customer CreateCertificates creates from a bare reference: required strings as ''."""
    fields, _ = customer_fields(given, "")
    return {**dict.fromkeys(CUSTOMER_REQUIRED, ""), **fields}


def duplicate_customer(code: str) -> ApiError:
    return ApiError(
        400,
        "DuplicateEntry",
        "The object is a duplicate of an existing object.",
        "The object that you are trying to create already exists. Each Customer object must "
        f"have a unique identity. The identity of a Customer is determined by the fields: "
        f"companyId, customerCode ('{code}').",
        target="IncorrectData",
        refers_to="customerCode",
    )
