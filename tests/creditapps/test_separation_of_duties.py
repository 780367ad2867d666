"""Separation of duties: who sent an application for approval cannot approve it (an organization
setting, on by default), and an approved limit above the requested one needs a reason."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from creditapps import services
from creditapps.approval import ApprovalOption, register_approval_option, unregister_approval_option
from creditapps.models import ApplicationEvent, CreditApplication
from nuvo.errors import NotAllowed, NuvoError
from nuvo.models import Organization
from nuvo.roles import Role, member_for
from tests.creditapps.test_api import token_client

Status = CreditApplication.Status
Kind = ApplicationEvent.Kind
SAME_PERSON = "You sent this application for approval, so another approver must approve it."
REASON_NEEDED = "Enter why the approved limit is above the requested $5,000.00."


@pytest.fixture
def both_roles_user(make_user):
    return make_user("sam", Role.CREDIT_ANALYST, Role.APPROVER)


@pytest.fixture
def both_roles(both_roles_user):
    return member_for(both_roles_user)


@pytest.fixture
def both_client(both_roles_user) -> Client:
    client = Client()
    client.force_login(both_roles_user)
    return client


@pytest.fixture
def sent_by_sam(both_roles, make_application) -> CreditApplication:
    """Sam started the review and sent it for approval; $5,000 was requested."""
    application = make_application(
        status=Status.SUBMITTED, requested_credit_limit=Decimal("5000.00")
    )
    services.application_start_review(member=both_roles, application=application)
    services.application_request_approval(member=both_roles, application=application)
    return application


@pytest.fixture
def sent_by_analyst(analyst, make_application) -> CreditApplication:
    application = make_application(
        status=Status.IN_REVIEW, requested_credit_limit=Decimal("5000.00")
    )
    services.application_request_approval(member=analyst, application=application)
    return application


def _approve(member, application, limit="5000", **extra):
    return services.application_approve(
        member=member,
        application=application,
        credit_limit=Decimal(limit),
        terms=CreditApplication.Terms.NET_30,
        **extra,
    )


def _refresh(member):
    """The member as the next request sees them (after a settings change)."""
    return member_for(member.user)


# The setting


def test_the_setting_is_on_for_a_new_organization(db):
    organization = Organization.objects.create(name="New Co", slug="new-co")

    assert organization.separate_approval_duties is True


def test_an_admin_turns_the_setting_off_on_the_team_page(admin_client_member, organization):
    page = admin_client_member.get(reverse("team")).content.decode()

    response = admin_client_member.post(reverse("team-approval-settings"), {})

    assert "Separate sending for approval from approving" in page
    assert re.search(r'<input[^>]*name="separate_approval_duties"[^>]*checked', page)
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.separate_approval_duties is False
    assert (
        admin_client_member.post(
            reverse("team-approval-settings"), {"separate_approval_duties": "on"}
        ).status_code
        == 302
    )
    organization.refresh_from_db()
    assert organization.separate_approval_duties is True


@pytest.mark.parametrize("client_fixture", ["analyst_client", "approver_client"])
def test_only_admins_change_the_setting(request, client_fixture, organization):
    client = request.getfixturevalue(client_fixture)

    page = client.get(reverse("team")).content.decode()
    response = client.post(reverse("team-approval-settings"), {})

    assert "Separation of duties is on" in page
    assert 'name="separate_approval_duties"' not in page
    assert response.status_code == 403
    organization.refresh_from_db()
    assert organization.separate_approval_duties is True


# The service


def test_who_sent_it_for_approval_cannot_approve_it(both_roles, sent_by_sam):
    with pytest.raises(NotAllowed, match=SAME_PERSON) as refused:
        _approve(both_roles, sent_by_sam, limit="10000000000", limit_reason="Trust me")

    assert refused.value.code == "separation_of_duties"
    sent_by_sam.refresh_from_db()
    assert sent_by_sam.status == Status.IN_REVIEW
    assert sent_by_sam.approved_credit_limit is None
    assert not sent_by_sam.events.filter(kind=Kind.APPROVED).exists()


def test_another_approver_approves_what_sam_sent(approver, sent_by_sam):
    _approve(approver, sent_by_sam)

    assert sent_by_sam.status == Status.APPROVED
    assert sent_by_sam.decided_by == approver.user


def test_sam_approves_what_another_analyst_sent(both_roles, sent_by_analyst):
    _approve(both_roles, sent_by_analyst)

    assert sent_by_analyst.status == Status.APPROVED


def test_with_the_setting_off_sam_may_approve_his_own(both_roles, sent_by_sam, organization):
    Organization.objects.filter(pk=organization.pk).update(separate_approval_duties=False)

    _approve(_refresh(both_roles), sent_by_sam)

    assert sent_by_sam.status == Status.APPROVED


def test_a_stale_page_cannot_slip_past_the_rule(both_roles, analyst, make_application):
    """Loaded while another analyst's request stood; by the time of the click, Sam's stands."""
    application = make_application(status=Status.IN_REVIEW)
    services.application_request_approval(member=analyst, application=application)
    stale = CreditApplication.objects.get(pk=application.pk)
    CreditApplication.objects.filter(pk=application.pk).update(
        approval_requested_by=both_roles.user
    )

    with pytest.raises(NuvoError):
        _approve(both_roles, stale)

    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW


def test_declining_what_you_sent_stays_allowed(both_roles, sent_by_sam):
    services.application_decline(member=both_roles, application=sent_by_sam, comment="No.")

    assert sent_by_sam.status == Status.DECLINED


# A limit above the request


def test_a_limit_above_the_request_needs_a_reason(approver, sent_by_analyst):
    with pytest.raises(NuvoError, match=re.escape(REASON_NEEDED)) as refused:
        _approve(approver, sent_by_analyst, limit="10000000000", limit_reason="  ")

    assert refused.value.code == "limit_reason_required"
    sent_by_analyst.refresh_from_db()
    assert sent_by_analyst.status == Status.IN_REVIEW


def test_the_reason_is_kept_on_the_timeline(approver, sent_by_analyst):
    _approve(
        approver,
        sent_by_analyst,
        limit="7500",
        limit_reason="Seasonal stock; references confirm $10k/month.",
        comment="Good history.",
    )

    event = sent_by_analyst.events.get(kind=Kind.APPROVED)
    assert event.message == (
        "Approved $7,500.00 on Net 30.\n"
        "Above the requested $5,000.00: Seasonal stock; references confirm $10k/month.\n"
        "Good history."
    )


def test_a_limit_within_the_request_needs_no_reason(approver, sent_by_analyst):
    _approve(approver, sent_by_analyst, limit="5000", limit_reason="ignored")

    assert sent_by_analyst.events.get(kind=Kind.APPROVED).message == "Approved $5,000.00 on Net 30."


# The page and the dialog


def test_sam_sees_approve_disabled_with_the_reason(both_client, sent_by_sam):
    body = both_client.get(sent_by_sam.get_absolute_url()).content.decode()

    assert re.search(r'<button[^>]*aria-disabled="true"[^>]*>Approve</button>', body)
    assert SAME_PERSON in body
    assert f'hx-get="{reverse("creditapps:application-approve", args=[sent_by_sam.pk])}"' not in (
        body
    )


def test_another_approver_sees_approve_enabled(approver_client, sent_by_sam):
    body = approver_client.get(sent_by_sam.get_absolute_url()).content.decode()

    assert 'aria-disabled="true">Approve' not in body
    assert SAME_PERSON not in body
    assert f'hx-get="{reverse("creditapps:application-approve", args=[sent_by_sam.pk])}"' in body


def test_the_dialog_explains_instead_of_offering_the_form(both_client, sent_by_sam):
    url = reverse("creditapps:application-approve", args=[sent_by_sam.pk])

    dialog = both_client.get(url, HTTP_HX_REQUEST="true")
    posted = both_client.post(url, {"credit_limit": "5000", "terms": "net_30"})

    assert dialog.status_code == 200
    assert SAME_PERSON in dialog.content.decode()
    assert 'name="credit_limit"' not in dialog.content.decode()
    assert posted.status_code == 403
    sent_by_sam.refresh_from_db()
    assert sent_by_sam.status == Status.IN_REVIEW


def test_the_dialog_asks_for_a_reason_with_an_error_summary(approver_client, sent_by_analyst):
    response = approver_client.post(
        reverse("creditapps:application-approve", args=[sent_by_analyst.pk]),
        {"credit_limit": "10000000", "terms": "net_30"},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Approve" in body
    assert "There is a problem" in body
    assert f'<a href="#id_limit_reason">{REASON_NEEDED}</a>' in body
    assert "Needed only if the approved limit is above the requested $5,000.00." in body
    sent_by_analyst.refresh_from_db()
    assert sent_by_analyst.status == Status.IN_REVIEW


def test_the_dialog_approves_above_the_request_with_a_reason(approver_client, sent_by_analyst):
    response = approver_client.post(
        reverse("creditapps:application-approve", args=[sent_by_analyst.pk]),
        {"credit_limit": "6000", "terms": "net_30", "limit_reason": "Strong references."},
    )

    assert response.status_code == 302
    sent_by_analyst.refresh_from_db()
    assert sent_by_analyst.approved_credit_limit == Decimal("6000.00")
    timeline = approver_client.get(sent_by_analyst.get_absolute_url()).content.decode()
    assert "Above the requested $5,000.00: Strong references." in timeline


@pytest.fixture
def send_option():
    """An approval option like Send Customer to Avalara (named apart from it, which the
    integrations app registers for every test), recording when it acts."""
    actions = []
    option = ApprovalOption(
        name="send_copy",
        label="Send the customer elsewhere",
        offered=lambda member, application: True,
        default=lambda member, application: True,
        after_approval=lambda decision: actions.append(decision.chosen),
    )
    register_approval_option(option)
    yield actions
    unregister_approval_option(option.name)


def test_the_toggle_survives_a_missing_reason_and_acts_once_approved(
    send_option, approver_client, sent_by_analyst, django_capture_on_commit_callbacks
):
    url = reverse("creditapps:application-approve", args=[sent_by_analyst.pk])

    with django_capture_on_commit_callbacks(execute=True):
        refused = approver_client.post(
            url, {"credit_limit": "9000", "terms": "net_30", "send_copy": "on"}
        )
    assert send_option == []
    switch = re.search(r'<input[^>]*name="send_copy"[^>]*>', refused.content.decode())
    assert switch is not None
    assert "checked" in switch.group()

    with django_capture_on_commit_callbacks(execute=True):
        approver_client.post(
            url,
            {
                "credit_limit": "9000",
                "terms": "net_30",
                "send_copy": "on",
                "limit_reason": "Strong references.",
            },
        )
    assert send_option == [True]


# The API


def test_the_api_refuses_sam_with_a_403_and_a_code(both_roles_user, sent_by_sam):
    response = token_client(both_roles_user).post(
        f"/api/v1/credit-applications/{sent_by_sam.pk}/approve/",
        {"credit_limit": "5000", "terms": "net_30"},
        format="json",
    )

    assert response.status_code == 403
    assert response.json() == {"code": "separation_of_duties", "detail": SAME_PERSON}
    sent_by_sam.refresh_from_db()
    assert sent_by_sam.status == Status.IN_REVIEW


def test_the_api_shows_who_sent_it_for_approval_and_whom_that_blocks(
    approver_user, both_roles_user, sent_by_sam
):
    url = f"/api/v1/credit-applications/{sent_by_sam.pk}/"

    theirs = token_client(both_roles_user).get(url).json()
    others = token_client(approver_user).get(url).json()

    assert theirs["approval_requested_by"] == others["approval_requested_by"] == both_roles_user.pk
    assert theirs["approval_blocked_reason"] == SAME_PERSON
    assert others["approval_blocked_reason"] == ""


def test_the_api_needs_a_reason_above_the_request(approver_user, sent_by_analyst):
    api = token_client(approver_user)
    url = f"/api/v1/credit-applications/{sent_by_analyst.pk}/approve/"

    refused = api.post(url, {"credit_limit": "10000000", "terms": "net_30"}, format="json")
    approved = api.post(
        url,
        {"credit_limit": "10000000", "terms": "net_30", "limit_reason": "Parent guarantee."},
        format="json",
    )

    assert refused.status_code == 400
    assert refused.json() == {"code": "limit_reason_required", "detail": REASON_NEEDED}
    assert approved.status_code == 200
    assert approved.json()["timeline"][-1]["message"] == (
        "Approved $10,000,000.00 on Net 30.\nAbove the requested $5,000.00: Parent guarantee."
    )
