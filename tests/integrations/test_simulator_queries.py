"""The simulator's list queries: $filter, paging by @nextLink, and the definitions lists."""

import pytest

from tests.integrations.simulator_helpers import (
    CUSTOMERS,
    LICENSE_KEY,
    call,
    create_customers,
    customer,
    error_of,
)

# Filters


@pytest.mark.parametrize("expression", ["isDefault eq true", "isDefault EQ true"])
def test_default_company_filter_returns_only_the_default_company(simulator, expression):
    everything = call(simulator, "GET", "/api/v2/companies", auth=LICENSE_KEY).json()
    default = call(
        simulator, "GET", "/api/v2/companies", auth=LICENSE_KEY, params={"$filter": expression}
    ).json()

    assert [c["id"] for c in everything["value"]] == [7100002, 7100004]
    assert default["@recordsetCount"] == 1
    assert [(c["id"], c["name"], c["isDefault"]) for c in default["value"]] == [
        (7100002, "Simulator Default Company", True)
    ]


def test_filter_combines_clauses_with_and(simulator):
    response = call(
        simulator,
        "GET",
        "/api/v2/companies",
        auth=LICENSE_KEY,
        params={"$filter": "isDefault eq false and companyCode eq 'SECOND'"},
    )

    assert [c["id"] for c in response.json()["value"]] == [7100004]


@pytest.mark.parametrize(
    ("expression", "ids"),
    [
        ("isDefault ne true", [7100004]),
        ("id gt 7100002", [7100004]),
        ("id ge 7100002 and id lt 7100004", [7100002]),
        ("id le 7100002 or companyCode eq 'SECOND'", [7100002, 7100004]),
        ("createdDate ge '2000-01-01'", [7100002, 7100004]),
        ("createdDate lt '2000-01-01'", []),
    ],
)
def test_filters_compare_numbers_dates_and_join_with_or(simulator, expression, ids):
    response = call(
        simulator, "GET", "/api/v2/companies", auth=LICENSE_KEY, params={"$filter": expression}
    )

    assert response.status_code == 200, response.text
    assert [c["id"] for c in response.json()["value"]] == ids


@pytest.mark.parametrize(
    ("expression", "code"),
    [
        ("favouriteColour eq 'blue'", "InvalidQueryField"),
        ("name in ('A', 'B')", "MalformedFilterException"),
        ("isDefault eq true xor id eq 1", "MalformedFilterException"),
        ("isDefault eq", "MalformedFilterException"),
    ],
)
def test_unsupported_filters_are_400(simulator, expression, code):
    response = call(simulator, "GET", "/api/v2/companies", params={"$filter": expression})

    assert error_of(response) == (400, code)


# Paging


def test_paging_walks_three_pages_by_next_link_keeping_other_parameters(simulator):
    simulator.state.page_size = 2
    create_customers(simulator, *(customer(f"NUVO_{n}") for n in range(5)))
    pages, path = [], CUSTOMERS + "?%24include=certificates"
    while path:
        page = call(simulator, "GET", path).json()
        pages.append(page)
        path = page.get("@nextLink")

    assert [[c["customerCode"] for c in p["value"]] for p in pages] == [
        ["NUVO_0", "NUVO_1"],
        ["NUVO_2", "NUVO_3"],
        ["NUVO_4"],
    ]
    assert [p["@recordsetCount"] for p in pages] == [5, 5, 5]
    assert pages[0]["@nextLink"] == (
        "/api/v2/companies/7100001/customers?%24top=2&%24skip=2&%24include=certificates"
    )
    assert "@nextLink" not in pages[2]
    assert pages[2]["value"][0]["certificates"] == []


def test_exemption_lists_refuse_skip_that_is_not_a_multiple_of_top(simulator):
    response = call(simulator, "GET", CUSTOMERS, params={"$top": "2", "$skip": "3"})
    companies = call(simulator, "GET", "/api/v2/companies", params={"$top": "2", "$skip": "3"})

    assert error_of(response) == (400, "ExemptionPaginationLimits")
    assert companies.status_code == 200


# Definitions


def test_definitions_list_every_exposure_zone_and_the_exempt_reasons(simulator):
    zones = call(simulator, "GET", "/api/v2/definitions/certificateexposurezones").json()
    reasons = call(simulator, "GET", "/api/v2/definitions/certificateexemptreasons").json()

    assert zones["@recordsetCount"] == 64
    assert {"id": 48, "name": "Washington", "region": "WA", "country": "US"} in zones["value"]
    assert {z["country"] for z in zones["value"]} == {"US", "CA"}
    assert [r["name"] for r in reasons["value"]][:3] == [
        "FEDERAL GOV",
        "STATE GOV",
        "TRIBAL GOVERNMENT",
    ]
    assert reasons["@recordsetCount"] == 17
