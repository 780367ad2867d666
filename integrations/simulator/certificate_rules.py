"""What CreateCertificates and UpdateCertificate accept: dates, PDFs, exempt reasons, zones."""

import base64
import binascii
import re
from datetime import date

from .errors import (
    ApiError,
    certificates_error,
    error_detail,
    model_state_detail,
    required_detail,
    validation_error,
)
from .records import CERTIFICATE_TEXT_FIELDS

DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

# CertCapture's answer to a `pdf` that is not a PDF, passed through in details[0].description with
# AvaTax's trailing "." (github.com/avadev/AvaTax-REST-V2-DotNet-SDK/issues/214 and
# github.com/avadev/AvaTax-REST-V2-JRE-SDK/issues/149).
NOT_A_PDF = (
    '{"success":false,"code":"100110",'
    '"error":{"pdf":["The uploaded file must be a base64 encoded PDF."]}}.'
)
UNKNOWN_ZONE = (  # simulator wording: no stored source shows CertCapture's answer
    '{"success":false,"code":"100110",'
    '"error":{"exposure_zone":["The selected exposure zone is invalid."]}}.'
)


def certificate_input(
    item, *, creating: bool, reasons: list[dict], zones: list[dict]
) -> tuple[dict, bytes | None, list]:
    """The stored values of one CertificateModel, its inline PDF and the customers it names."""
    item = _as_dict(item)
    document = None
    if creating:
        document = certificate_document(item)
    reason = exemption_reason(item.get("exemptionReason"), reasons)
    zone = exposure_zone(item.get("exposureZone"), zones)
    dates = {name: required_date(item, name) for name in ("signedDate", "expirationDate")}
    customers = _as_list(item.get("customers"), "customers") if creating else []
    for index, customer in enumerate(customers):
        if not isinstance(customer, dict) or not customer.get("customerCode"):
            raise validation_error([required_detail(f"customers[{index}].customerCode")])
    fields = {
        **dates,
        "valid": _boolean(item, "valid", default=True),
        "exemptPercentage": _percentage(item.get("exemptPercentage")),
        "isSingleCertificate": _boolean(item, "isSingleCertificate", default=False),
        **{name: _text(item, name) for name in CERTIFICATE_TEXT_FIELDS if item.get(name)},
    }
    po_numbers = _po_numbers(item.get("poNumbers"))
    if po_numbers:
        fields["poNumbers"] = po_numbers
    if item.get("filename"):
        fields["filename"] = item["filename"]
    values = {"fields": fields, "exemption_reason": reason, "exposure_zone": zone}
    return values, document, customers


def exemption_reason(given, reasons: list[dict]) -> dict:
    name = given.get("name") if isinstance(given, dict) else None
    if not name:
        raise ApiError(
            400,
            "MissingExemptReason",
            "Exempt reason Field is missing.",
            "To create a certificate, the field 'exemptReason' is required.",
            target="IncorrectData",
        )
    for reason in reasons:
        if reason["name"].upper() == str(name).strip().upper():
            return reason
    raise ApiError(
        400,
        "InvalidExemptReason",
        f"Invalid exempt reason: {name}.",
        "To create a certificate, a valid exempt reason is required.",
        target="IncorrectData",
    )


def exposure_zone(given, zones: list[dict]) -> dict:
    name = given.get("name") if isinstance(given, dict) else None
    if not name:
        raise validation_error([required_detail("exposureZone")])
    for zone in zones:
        if zone["name"].upper() == str(name).strip().upper():
            return zone
    raise certificates_error(UNKNOWN_ZONE)


def required_date(item: dict, name: str) -> date:
    """`format: date` in the spec: YYYY-MM-DD, not a date-time (a client sending one has a bug)."""
    value = item.get(name)
    if not value:
        raise validation_error([required_detail(name)])
    try:
        if not isinstance(value, str) or not DATE.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise validation_error(
            [
                error_detail(
                    "DateFormatError",
                    f"Field {name} is not a valid date.",
                    f"The value '{value}' must be a date in the format YYYY-MM-DD.",
                    refers_to=name,
                )
            ]
        ) from None


def certificate_document(item: dict) -> bytes | None:
    """Exactly one of filename, pdf or pages; the decoded PDF when `pdf` is given."""
    given = [name for name in ("filename", "pdf", "pages") if item.get(name) is not None]
    if not given:
        raise ApiError(
            400,
            "MissingRequiredFields",
            "The field filename, pdf or pages is missing.",
            "The field filename, pdf or pages is required to create a certificate.",
            target="IncorrectData",
        )
    if len(given) > 1:
        raise ApiError(
            400,
            "ConflictingFields",
            "Fields are conflicting",
            "When creating certificate, you can only specify filename OR pdf OR images.",
            target="IncorrectData",
        )
    if given == ["filename"]:
        return None
    content = item[given[0]]
    if not content or (isinstance(content, list) and not any(content)):
        raise ApiError(
            400,
            "InvalidPdfOrImageFile",
            "Pdf or Image files are empty",
            "If you'd like to upload a PDF or image file, please upload a valid one.",
            target="IncorrectData",
        )
    # JPG `pages` were answered with the same PDF error in the field (JRE-SDK issue #149).
    data = _b64decode(content) if isinstance(content, str) else None
    if data is None or not looks_like_a_pdf(data):
        raise certificates_error(NOT_A_PDF)
    return data


def looks_like_a_pdf(data: bytes) -> bool:
    """A PDF's frame: the header first, then a cross-reference and the end-of-file marker.

    The standard library cannot parse PDFs; this refuses what is plainly not one (an image, an
    HTML page, a file cut short) as CertCapture does.
    """
    tail = data[-2048:]
    return data.startswith(b"%PDF-") and b"startxref" in tail and b"%%EOF" in tail


def _b64decode(text: str) -> bytes | None:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        pass
    try:  # Base64 wrapped in lines is accepted too
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        return None


def count_pdf_pages(data: bytes) -> int:
    """Page objects in an uncompressed cross-reference; 1 when they cannot be seen."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data)) or 1


def _percentage(value) -> float:
    # Left out, CertCapture stores 0: not exempt at all (a client must send 100 for a full one).
    if value is None:
        return 0.0
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        raise validation_error(
            [
                error_detail(
                    "InvalidParameterValue",
                    "Field exemptPercentage must be a number from 0 to 100.",
                    f"The value '{value}' is not a valid exemptPercentage.",
                    refers_to="exemptPercentage",
                )
            ]
        )
    return float(value)


def _type_error(name: str, value, expected: str) -> ApiError:
    return validation_error(
        [
            error_detail(
                "ModelStateInvalid",
                f"Field {name} must be {expected}.",
                f"The value {value!r} is not {expected}.",
                refers_to=name,
            )
        ]
    )


def _boolean(item: dict, name: str, *, default: bool) -> bool:
    """JSON true or false; the string "false" is refused (it is not a boolean)."""
    value = item.get(name)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise _type_error(name, value, "a boolean")
    return value


def _text(item: dict, name: str) -> str:
    value = item[name]
    if not isinstance(value, str):
        raise _type_error(name, value, "a string")
    return value


def _po_numbers(value) -> list[dict]:
    numbers = _as_list(value, "poNumbers")
    for index, entry in enumerate(numbers):
        if not isinstance(entry, dict) or not isinstance(entry.get("poNumber"), str):
            raise validation_error([required_detail(f"poNumbers[{index}].poNumber")])
    return [{"poNumber": entry["poNumber"]} for entry in numbers]


def _as_dict(item) -> dict:
    if not isinstance(item, dict):
        raise validation_error([model_state_detail(item, "CertificateModel")])
    return item


def _as_list(value, name: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise validation_error([model_state_detail(value, name)])
    return value
