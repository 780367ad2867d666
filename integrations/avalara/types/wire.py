"""Parsing Avalara's wire form: the field readers every ``from_wire`` uses, dates and timestamps.

The readers default a missing optional field and raise ``WireFormatError`` on a wrong type, which
the client reports as UNKNOWN_ERROR.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any


class WireFormatError(ValueError):
    """An Avalara body that does not have the documented shape."""


def parse_date(value: str) -> date:
    """A date sent as ``YYYY-MM-DD`` or as a timestamp (``YYYY-MM-DDT00:00:00[Z|±hh:mm]``)."""
    if "T" in value or " " in value.strip():
        return datetime.fromisoformat(value.strip()).date()
    return date.fromisoformat(value.strip())


def parse_datetime(value: str) -> datetime:
    """An aware datetime; AvaTax stores UTC, so a timestamp without an offset is taken as UTC."""
    parsed = datetime.fromisoformat(value.strip())
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _wire_date(value: date) -> str:
    return date(value.year, value.month, value.day).isoformat()


def _mapping(value: object, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise WireFormatError(f"expected a {what} object, got {type(value).__name__}")
    return value


def _opt_mapping(wire: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = wire.get(key)
    return {} if value is None else _mapping(value, key)


def _list(wire: Mapping[str, Any], key: str) -> list[Any]:
    value = wire.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise WireFormatError(f"{key} is not a list")
    return value


def _str(wire: Mapping[str, Any], key: str) -> str:
    value = wire.get(key)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise WireFormatError(f"{key} is not a string")
    return str(value)


def _required_str(wire: Mapping[str, Any], key: str) -> str:
    value = _str(wire, key)
    if not value:
        raise WireFormatError(f"{key} is missing")
    return value


def _opt_int(wire: Mapping[str, Any], key: str) -> int | None:
    value = wire.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise WireFormatError(f"{key} is not an integer")
    return value


def _int(wire: Mapping[str, Any], key: str) -> int:
    value = _opt_int(wire, key)
    if value is None:
        raise WireFormatError(f"{key} is missing")
    return value


def _bool(wire: Mapping[str, Any], key: str) -> bool:
    value = wire.get(key)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise WireFormatError(f"{key} is not a boolean")
    return value


def _opt_float(wire: Mapping[str, Any], key: str) -> float | None:
    value = wire.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise WireFormatError(f"{key} is not a number")
    return float(value)


def _opt_date(wire: Mapping[str, Any], key: str) -> date | None:
    value = _str(wire, key)
    return parse_date(value) if value else None


def _opt_datetime(wire: Mapping[str, Any], key: str) -> datetime | None:
    value = _str(wire, key)
    return parse_datetime(value) if value else None
