"""Approvers' queue: "Needs my approval (N)" in the navigation and as a saved view of the list,
respecting separation of duties; "Waiting for approval" is a status option, not a checkbox."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from creditapps import services
from creditapps.models import CreditApplication
from nuvo.models import Organization
from nuvo.roles import Role, member_for
from tests.creditapps.test_api import token_client

Status = CreditApplication.Status
LIST = reverse("creditapps:application-list")
QUEUE = f"{LIST}?view=needs-my-approval"


@pytest.fixture
def sam(make_user):
    """Sam is both analyst and approver."""
    return make_user("sam", Role.CREDIT_ANALYST, Role.APPROVER)


@pytest.fixture
def sam_client(sam) -> Client:
    client = Client()
    client.force_login(sam)
    return client


@pytest.fixture
def send_for_approval(make_application, make_customer):
    def send(member, name="Prairie Farm Cooperative"):
        customer = make_customer(legal_name=name, email=f"ap@{name.split()[0].lower()}.test")
        application = make_application(customer=customer, status=Status.IN_REVIEW)
        services.application_request_approval(member=member, application=application, note="ok")
        return application

    return send


def nav(html: str) -> str:
    return re.search(r'<nav class="mainnav".*?</nav>', html, re.S).group(0)


def listed(html: str) -> list[str]:
    return re.findall(r">(CA-\d{5})</a></td>", html)


def test_an_approver_sees_needs_my_approval_with_its_count(
    approver_client, analyst, send_for_approval, make_application
):
    send_for_approval(analyst)
    make_application(status=Status.IN_REVIEW)  # in review, not sent for approval

    html = nav(approver_client.get(LIST).content.decode())

    assert f'<a href="{QUEUE}" class="nav-queue" >Needs my approval (1)</a>' in html


def test_members_who_do_not_approve_have_no_queue(analyst_client, analyst, send_for_approval):
    send_for_approval(analyst)

    html = analyst_client.get(LIST).content.decode()

    assert "Needs my approval" not in html


def test_the_count_leaves_out_what_i_sent_myself_while_duties_are_separate(
    sam, sam_client, analyst, send_for_approval
):
    send_for_approval(member_for(sam), name="Sam Sent Co")
    other = send_for_approval(analyst)

    html = sam_client.get(QUEUE).content.decode()

    assert "Needs my approval (1)" in nav(html)
    assert listed(html) == [other.reference]


def test_with_duties_not_separate_what_i_sent_is_mine_to_approve(
    sam, sam_client, analyst, organization, send_for_approval
):
    Organization.objects.filter(pk=organization.pk).update(separate_approval_duties=False)
    mine = send_for_approval(member_for(sam), name="Sam Sent Co")
    other = send_for_approval(analyst)

    html = sam_client.get(QUEUE).content.decode()

    assert "Needs my approval (2)" in nav(html)
    assert sorted(listed(html)) == sorted([mine.reference, other.reference])


def test_the_queue_is_the_current_page_and_the_list_is_not(approver_client):
    html = approver_client.get(QUEUE).content.decode()

    assert re.search(
        r'href="[^"]*view=needs-my-approval" class="nav-queue" aria-current="page"', html
    )
    assert f'<a href="{LIST}" >Credit applications</a>' in nav(html)
    assert '<nav class="saved-views" aria-label="Saved views">' in html
    assert "Nothing is waiting for your approval." in html


def test_the_list_offers_the_queue_as_a_saved_view(approver_client, analyst, send_for_approval):
    send_for_approval(analyst)

    html = approver_client.get(LIST).content.decode()

    views = re.search(r'<nav class="saved-views".*?</nav>', html, re.S).group(0)
    assert f'<a href="{LIST}" aria-current="page">All applications</a>' in views
    assert f'<a href="{QUEUE}">Needs my approval (1)</a>' in views
    assert '<input type="hidden" name="view"' in html


def test_the_count_is_one_query_however_many_are_waiting(
    approver_client, analyst, send_for_approval
):
    def approval_counts(url) -> int:
        with CaptureQueriesContext(connection) as queries:
            approver_client.get(url)
        return sum(
            1
            for query in queries
            if query["sql"].startswith("SELECT COUNT(*)")
            and "approval_requested_at" in query["sql"]
        )

    first = send_for_approval(analyst, name="One Co")
    with_one = approval_counts(first.get_absolute_url())
    for name in ("Two Co", "Three Co", "Four Co"):
        send_for_approval(analyst, name=name)

    assert with_one == 1
    assert approval_counts(first.get_absolute_url()) == 1
    assert approval_counts(LIST) == 1


def test_waiting_for_approval_is_a_status_option_not_a_checkbox(
    approver_client, analyst, send_for_approval, make_application
):
    waiting = send_for_approval(analyst)
    make_application(status=Status.IN_REVIEW)

    page = approver_client.get(LIST).content.decode()
    html = approver_client.get(LIST, {"status": "awaiting_approval"}).content.decode()

    assert 'name="awaiting_approval"' not in page
    assert "Waiting for approval:" not in page
    assert re.search(
        r'<option value="in_review">In review</option>\s*'
        r'<option value="awaiting_approval">Waiting for approval</option>',
        page,
    )
    assert listed(html) == [waiting.reference]
    assert '<option value="awaiting_approval" selected>Waiting for approval</option>' in html


def test_old_waiting_for_approval_links_still_filter(
    approver_client, analyst, send_for_approval, make_application
):
    waiting = send_for_approval(analyst)
    make_application(status=Status.IN_REVIEW, requested_credit_limit=Decimal("10.00"))

    html = approver_client.get(LIST, {"awaiting_approval": "on"}).content.decode()

    assert listed(html) == [waiting.reference]
    assert '<option value="awaiting_approval" selected>Waiting for approval</option>' in html


def test_the_api_keeps_its_awaiting_approval_filter(analyst, send_for_approval, make_application):
    waiting = send_for_approval(analyst)
    make_application(status=Status.IN_REVIEW)
    api = token_client(analyst.user)

    only_waiting = api.get("/api/v1/credit-applications/", {"awaiting_approval": "true"}).json()
    not_filtered = api.get("/api/v1/credit-applications/", {"awaiting_approval": "false"}).json()

    assert [row["id"] for row in only_waiting["results"]] == [waiting.pk]
    assert len(not_filtered["results"]) == 2
