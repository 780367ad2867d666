"""The AvaTax client's customer calls at the wire, via `responses`."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from integrations.avalara import AvalaraResponseError, Customer, CustomerInput, ErrorCode
from tests.integrations.avalara_helpers import (
    CERTIFICATE_ID,
    COMPANY_ID,
    COMPANY_URL,
    CUSTOMER_CODE,
    CUSTOMER_INPUT,
    CUSTOMER_URL,
    HTML_BODY,
    assert_sent,
    load,
)

# The fixtures this module uses (pytest finds them here); `sleeps` is autouse.
from tests.integrations.avalara_helpers import client_fixture as client_fixture
from tests.integrations.avalara_helpers import mocked_fixture as mocked_fixture
from tests.integrations.avalara_helpers import sleeps_fixture as sleeps_fixture

# Customers -----------------------------------------------------------------------------------


def test_get_customer_parses_included_certificates(client, mocked) -> None:
    url = f"{CUSTOMER_URL}?$include=certificates"
    mocked.get(url, json=load("customer_with_certificates.json"))

    customer = client.get_customer(COMPANY_ID, CUSTOMER_CODE, include="certificates")

    assert_sent(mocked.calls[0], "GET", url)
    assert customer == Customer(
        id=88501,
        company_id=COMPANY_ID,
        customer_code=CUSTOMER_CODE,
        name="Acme Hardware LLC",
        line1="100 Ravine Lane",
        line2="Suite 200",
        city="Bainbridge Island",
        region="WA",
        postal_code="98110",
        country="US",
        email_address="ap@acme.example",
        phone_number="(206) 555-1212",
        contact_name="Alice Example",
        taxpayer_id_number="98-7654321",
        created_date=datetime(2025, 2, 3, 17, 28, 28, 33000, tzinfo=UTC),
        modified_date=datetime(2025, 2, 4, 9, 15, tzinfo=UTC),
        certificates=customer.certificates,
    )
    assert [certificate.id for certificate in customer.certificates] == [CERTIFICATE_ID]


@pytest.mark.parametrize(
    ("customer_code", "encoded"),
    [
        ("ACME/WEST", "ACME%2FWEST"),
        ("Acme Hardware #2", "Acme%20Hardware%20%232"),
        ("50%?off&more", "50%25%3Foff%26more"),
        ("a/../b", "a%2F..%2Fb"),
    ],
)
def test_get_customer_url_encodes_customer_code(client, mocked, customer_code, encoded) -> None:
    url = f"{COMPANY_URL}/customers/{encoded}"
    mocked.get(url, json={**load("customer.json"), "customerCode": customer_code})

    customer = client.get_customer(COMPANY_ID, customer_code)

    assert mocked.calls[0].request.url == url
    assert customer.customer_code == customer_code


@pytest.mark.parametrize("customer_code", ["", ".", ".."])
def test_customer_codes_that_would_address_another_resource_are_refused_before_any_call(
    client, mocked, customer_code: str
) -> None:
    with pytest.raises(ValueError, match="cannot be an AvaTax path segment"):
        client.get_customer(COMPANY_ID, customer_code)
    with pytest.raises(ValueError, match="cannot be an AvaTax path segment"):
        client.update_customer(COMPANY_ID, customer_code, CUSTOMER_INPUT)

    assert len(mocked.calls) == 0


def test_find_customer_returns_the_customer(client, mocked) -> None:
    mocked.get(CUSTOMER_URL, json=load("customer.json"))

    customer = client.find_customer(COMPANY_ID, CUSTOMER_CODE)

    assert customer is not None
    assert customer.customer_code == CUSTOMER_CODE


def test_find_customer_returns_none_when_avalara_says_not_found(client, mocked) -> None:
    mocked.get(CUSTOMER_URL, json=load("error_entity_not_found.json"), status=404)

    assert client.find_customer(COMPANY_ID, CUSTOMER_CODE) is None


def test_find_customer_treats_certcaptures_certificates_error_as_not_found(client, mocked) -> None:
    # Avalara's Magento connector reads CertificatesError (1203) on a customer call as "no such
    # customer" (REFERENCE.md §4, S6 Customer.php::handleException).
    mocked.get(CUSTOMER_URL, json=load("error_certificates_error.json"), status=400)

    assert client.find_customer(COMPANY_ID, CUSTOMER_CODE) is None


def test_find_customer_raises_company_mismatch_when_the_company_is_missing(client, mocked) -> None:
    mocked.get(CUSTOMER_URL, json=load("error_company_not_found.json"), status=404)

    with pytest.raises(AvalaraResponseError) as caught:
        client.find_customer(COMPANY_ID, CUSTOMER_CODE)

    assert caught.value.code is ErrorCode.COMPANY_MISMATCH
    assert caught.value.avalara_message == "Company not found."


def test_find_customer_raises_on_a_404_that_is_not_from_avalara(client, mocked) -> None:
    mocked.get(CUSTOMER_URL, body=HTML_BODY, status=404, content_type="text/html")

    with pytest.raises(AvalaraResponseError) as caught:
        client.find_customer(COMPANY_ID, CUSTOMER_CODE)

    assert (caught.value.code, caught.value.avalara_code) == (ErrorCode.UNKNOWN_ERROR, None)
    assert caught.value.is_not_found is True


def test_create_customers_posts_a_json_array(client, mocked) -> None:
    url = f"{COMPANY_URL}/customers"
    mocked.post(url, json=load("customers_created.json"), status=201)

    customers = client.create_customers(COMPANY_ID, [CUSTOMER_INPUT])

    assert_sent(
        mocked.calls[0],
        "POST",
        url,
        json_body=[
            {
                "companyId": COMPANY_ID,
                "customerCode": CUSTOMER_CODE,
                "name": "Acme Hardware LLC",
                "line1": "100 Ravine Lane",
                "line2": "Suite 200",
                "city": "Bainbridge Island",
                "region": "WA",
                "postalCode": "98110",
                "country": "US",
                "emailAddress": "ap@acme.example",
                "phoneNumber": "(206) 555-1212",
            }
        ],
    )
    assert [(customer.id, customer.customer_code) for customer in customers] == [
        (88501, CUSTOMER_CODE)
    ]


def test_create_customers_with_a_taken_code_is_a_terminal_duplicate(client, mocked) -> None:
    mocked.post(f"{COMPANY_URL}/customers", json=load("error_duplicate_entry.json"), status=400)

    with pytest.raises(AvalaraResponseError) as caught:
        client.create_customers(COMPANY_ID, [CUSTOMER_INPUT])

    error = caught.value
    assert (error.code, error.retryable, error.is_duplicate, error.http_status) == (
        ErrorCode.CUSTOMER_CREATION_FAILED,
        False,
        True,
        400,
    )
    assert error.details[0].refers_to == "customerCode"
    assert len(mocked.calls) == 1


def test_create_customers_answered_with_the_wrong_shape_leaves_the_outcome_unknown(
    client, mocked
) -> None:
    mocked.post(f"{COMPANY_URL}/customers", json=load("customer.json"), status=201)

    with pytest.raises(AvalaraResponseError) as caught:
        client.create_customers(COMPANY_ID, [CUSTOMER_INPUT])

    assert (caught.value.code, caught.value.reason, caught.value.outcome_unknown) == (
        ErrorCode.UNKNOWN_ERROR,
        "expected a JSON array",
        True,
    )


def test_create_customers_refuses_an_empty_list_without_calling_avalara(client, mocked) -> None:
    with pytest.raises(ValueError, match="at least one customer"):
        client.create_customers(COMPANY_ID, [])

    assert len(mocked.calls) == 0


def test_update_customer_puts_the_whole_record_at_the_encoded_code(client, mocked) -> None:
    url = f"{COMPANY_URL}/customers/ACME%2FWEST"
    mocked.put(url, json={**load("customer.json"), "customerCode": "ACME/WEST"})
    minimal = CustomerInput(
        customer_code="ACME/WEST",
        name="Acme West",
        line1="1 Main St",
        city="Seattle",
        region="WA",
        postal_code="98101",
        country="US",
    )

    customer = client.update_customer(COMPANY_ID, "ACME/WEST", minimal)

    assert_sent(
        mocked.calls[0],
        "PUT",
        url,
        json_body={
            "companyId": COMPANY_ID,
            "customerCode": "ACME/WEST",
            "name": "Acme West",
            "line1": "1 Main St",
            "city": "Seattle",
            "region": "WA",
            "postalCode": "98101",
            "country": "US",
        },
    )
    assert customer.customer_code == "ACME/WEST"


def test_query_customers_sends_filter_include_and_page_size(client, mocked) -> None:
    url = (
        f"{COMPANY_URL}/customers?$include=certificates"
        "&$filter=customerCode%20eq%20%27NUVO_1%27&$top=50"
    )
    mocked.get(url, json=load("customers_query.json"))

    customers = client.query_customers(
        COMPANY_ID, filter="customerCode eq 'NUVO_1'", include="certificates", top=50
    )

    assert_sent(mocked.calls[0], "GET", url)
    assert [customer.customer_code for customer in customers] == [CUSTOMER_CODE]
