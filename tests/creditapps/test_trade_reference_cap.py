"""One cap on trade references, shared by the public form, the API and the service."""

from decimal import Decimal

import pytest

from creditapps import services
from creditapps.forms import TradeReferenceFormSet
from creditapps.models import CreditApplication, TradeReference
from nuvo.errors import NuvoError
from tests.creditapps.test_api import token_client

CAP = TradeReference.MAX_PER_APPLICATION


def _payload(customer, count: int) -> dict:
    return {
        "customer": customer.pk,
        "requested_credit_limit": "5000",
        "requested_terms": "net_30",
        "trade_references": [{"company_name": f"Supplier {n}"} for n in range(count)],
    }


def test_the_cap_is_five():
    assert CAP == 5
    assert TradeReferenceFormSet.max_num == TradeReferenceFormSet.absolute_max == CAP


def test_api_refuses_a_thousand_trade_references_with_a_clear_400(analyst_user, customer):
    response = token_client(analyst_user).post(
        "/api/v1/credit-applications/", _payload(customer, 1000), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "trade_references": {"non_field_errors": ["Give at most 5 trade references."]}
    }
    assert CreditApplication.objects.count() == 0
    assert TradeReference.objects.count() == 0


def test_api_refuses_one_more_than_the_cap(analyst_user, customer):
    response = token_client(analyst_user).post(
        "/api/v1/credit-applications/", _payload(customer, CAP + 1), format="json"
    )

    assert response.status_code == 400
    assert CreditApplication.objects.count() == 0


def test_api_accepts_as_many_as_the_cap(analyst_user, customer):
    response = token_client(analyst_user).post(
        "/api/v1/credit-applications/", _payload(customer, CAP), format="json"
    )

    assert response.status_code == 201, response.json()
    assert len(response.json()["trade_references"]) == CAP


def test_the_service_refuses_more_than_the_cap_whoever_calls_it(analyst, customer):
    data = services.ApplicationData(
        requested_credit_limit=Decimal("5000"),
        requested_terms="net_30",
        trade_references=[
            services.TradeReferenceData(company_name=f"Supplier {n}") for n in range(CAP + 1)
        ],
    )

    with pytest.raises(NuvoError) as refused:
        services.application_create(member=analyst, customer=customer, data=data)

    assert refused.value.code == "too_many_trade_references"
    assert CreditApplication.objects.count() == 0


def test_the_schema_documents_the_cap(analyst_client):
    schema = analyst_client.get("/api/schema/?format=json").json()

    create = schema["components"]["schemas"]["CreditApplicationCreateRequest"]
    assert create["properties"]["trade_references"]["description"] == "At most 5."
