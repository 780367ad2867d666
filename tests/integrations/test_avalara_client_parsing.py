"""Parsing Avalara's wire form into the client's types, and building its payloads."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from integrations.avalara import Certificate, Customer, CustomerInput

# The fixtures this module uses (pytest finds them here); `sleeps` is autouse.
from tests.integrations.avalara_helpers import sleeps_fixture as sleeps_fixture

# Parsing -------------------------------------------------------------------------------------


def test_certificate_parsing_ignores_unknown_fields_and_defaults_missing_ones() -> None:
    certificate = Certificate.from_wire({"id": 5, "brandNewField": {"x": 1}, "customers": None})

    assert certificate == Certificate(
        id=5,
        company_id=None,
        signed_date=None,
        expiration_date=None,
        filename="",
        document_exists=False,
        valid=False,
        verified=False,
        exempt_percentage=None,
        exemption_number="",
        exemption_reason="",
        status="",
        ecm_status="",
        exposure_zone="",
        exposure_zone_region="",
        exposure_zone_country="",
        is_single_certificate=False,
        page_count=0,
        customer_codes=(),
        po_numbers=(),
        created_date=None,
        modified_date=None,
    )


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("2028-12-31", date(2028, 12, 31)),
        ("2028-12-31T00:00:00", date(2028, 12, 31)),
        ("2028-12-31T00:00:00Z", date(2028, 12, 31)),
        ("2028-12-31T00:00:00.0000000-08:00", date(2028, 12, 31)),
        ("9999-12-31", date(9999, 12, 31)),
    ],
)
def test_certificate_dates_parse_in_every_form_avalara_sends(wire: str, expected: date) -> None:
    certificate = Certificate.from_wire({"id": 1, "expirationDate": wire})

    assert certificate.expiration_date == expected


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("2025-02-03T17:28:28", datetime(2025, 2, 3, 17, 28, 28, tzinfo=UTC)),
        ("2025-02-03T17:28:28.1234567Z", datetime(2025, 2, 3, 17, 28, 28, 123456, tzinfo=UTC)),
        ("2025-02-03T09:28:28-08:00", datetime(2025, 2, 3, 17, 28, 28, tzinfo=UTC)),
    ],
)
def test_timestamps_parse_to_aware_datetimes(wire: str, expected: datetime) -> None:
    customer = Customer.from_wire({"customerCode": "C1", "createdDate": wire})

    assert customer.created_date == expected
    assert customer.created_date.tzinfo is not None


def test_customer_input_leaves_out_empty_optional_fields() -> None:
    payload = CustomerInput(
        customer_code="C1",
        name="N",
        line1="L1",
        city="C",
        region="WA",
        postal_code="98101",
        country="US",
        contact_name="Bob",
        taxpayer_id_number="12-3456789",
    ).to_payload(42)

    assert payload == {
        "companyId": 42,
        "customerCode": "C1",
        "name": "N",
        "line1": "L1",
        "city": "C",
        "region": "WA",
        "postalCode": "98101",
        "country": "US",
        "contactName": "Bob",
        "taxpayerIdNumber": "12-3456789",
    }
