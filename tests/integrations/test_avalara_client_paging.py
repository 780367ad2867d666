"""The definitions lists and `@nextLink` paging, via `responses`."""

from __future__ import annotations

import pytest

from integrations.avalara import AvalaraResponseError, ErrorCode, ExemptionReason, ExposureZone
from tests.integrations.avalara_helpers import API, assert_sent, load, make_client

# The fixtures this module uses (pytest finds them here); `sleeps` is autouse.
from tests.integrations.avalara_helpers import client_fixture as client_fixture
from tests.integrations.avalara_helpers import mocked_fixture as mocked_fixture
from tests.integrations.avalara_helpers import sleeps_fixture as sleeps_fixture

# Definitions and paging ----------------------------------------------------------------------


def test_list_exposure_zones_follows_next_link_across_three_pages(client, mocked) -> None:
    first = f"{API}/definitions/certificateexposurezones"
    second = f"{first}?%24top=2&%24skip=2"
    third = f"{first}?%24top=2&%24skip=4"
    mocked.get(first, json=load("exposure_zones_page_1.json"))
    mocked.get(second, json=load("exposure_zones_page_2.json"))
    mocked.get(third, json=load("exposure_zones_page_3.json"))

    zones = client.list_exposure_zones()

    assert [call.request.url for call in mocked.calls] == [first, second, third]
    for call in mocked.calls:
        assert_sent(call, "GET", call.request.url)
    assert [zone.name for zone in zones] == [
        "Alabama",
        "Alaska",
        "Arizona",
        "Arkansas",
        "Washington",
    ]
    assert zones[-1] == ExposureZone(
        id=89,
        name="Washington",
        region="WA",
        country="US",
        tag="EZ_US_WA",
        description="Washington",
    )


def test_list_exemption_reasons_reads_a_single_page(client, mocked) -> None:
    url = f"{API}/definitions/certificateexemptreasons"
    mocked.get(url, json=load("exemption_reasons.json"))

    reasons = client.list_exemption_reasons()

    assert_sent(mocked.calls[0], "GET", url)
    assert reasons[2] == ExemptionReason(id=70, name="RESALE")
    assert len(reasons) == 4


def test_paging_stops_when_next_link_is_null(client, mocked) -> None:
    mocked.get(
        f"{API}/definitions/certificateexemptreasons",
        json={**load("exemption_reasons.json"), "@nextLink": None},
    )

    assert len(client.list_exemption_reasons()) == 4
    assert len(mocked.calls) == 1


def test_paging_stops_with_an_error_when_next_link_repeats(client, mocked) -> None:
    first = f"{API}/definitions/certificateexemptreasons"
    looping = {
        **load("exemption_reasons.json"),
        "@nextLink": "/api/v2/definitions/certificateexemptreasons?%24skip=4",
    }
    mocked.get(first, json=looping)
    mocked.get(f"{first}?%24skip=4", json=looping)

    with pytest.raises(AvalaraResponseError) as caught:
        client.list_exemption_reasons()

    assert caught.value.code is ErrorCode.UNKNOWN_ERROR
    assert caught.value.reason == "@nextLink repeats an earlier page"
    assert len(mocked.calls) == 2


def test_paging_stops_with_an_error_after_max_pages(mocked) -> None:
    first = f"{API}/definitions/certificateexemptreasons"
    client = make_client(max_pages=3)
    for skip in (0, 4, 8):
        link = f"/api/v2/definitions/certificateexemptreasons?%24skip={skip + 4}"
        url = first if skip == 0 else f"{first}?%24skip={skip}"
        mocked.get(url, json={**load("exemption_reasons.json"), "@nextLink": link})

    with pytest.raises(AvalaraResponseError) as caught:
        client.list_exemption_reasons()

    assert caught.value.reason == "more than 3 pages"
    assert len(mocked.calls) == 3


def test_paging_never_follows_a_next_link_to_another_host(client, mocked) -> None:
    mocked.get(
        f"{API}/definitions/certificateexemptreasons",
        json={
            **load("exemption_reasons.json"),
            "@nextLink": "https://attacker.example/api/v2/definitions/certificateexemptreasons",
        },
    )

    with pytest.raises(AvalaraResponseError) as caught:
        client.list_exemption_reasons()

    assert caught.value.reason == "@nextLink points to another host"
    assert len(mocked.calls) == 1


def test_paging_keeps_a_base_url_path_prefix(mocked) -> None:
    client = make_client(base_url="http://127.0.0.1:8765/avatax")
    first = "http://127.0.0.1:8765/avatax/api/v2/definitions/certificateexemptreasons"
    mocked.get(
        first,
        json={
            **load("exemption_reasons.json"),
            "@nextLink": "/api/v2/definitions/certificateexemptreasons?%24top=4&%24skip=4",
        },
    )
    mocked.get(f"{first}?%24top=4&%24skip=4", json=load("exemption_reasons.json"))

    assert len(client.list_exemption_reasons()) == 8
    assert mocked.calls[1].request.url == f"{first}?%24top=4&%24skip=4"
