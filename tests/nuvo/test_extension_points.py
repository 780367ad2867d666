"""The extension points through which a higher app (integrations) adds to lower apps' pages."""

import re

import pytest
from django.urls import reverse

from certificates.models import TaxExemptionCertificate
from certificates.services import certificate_create
from certificates.slots import _preparers as certificate_preparers
from certificates.slots import certificate_status, register_certificate_preparer
from creditapps import services
from creditapps.approval import (
    ApprovalOption,
    register_approval_option,
    unregister_approval_option,
)
from creditapps.models import ApplicationEvent, CreditApplication
from creditapps.slots import application_more_menu, application_sidebar, customer_sidebar
from nuvo.errors import InvalidTransition
from nuvo.slots import UnknownSlot, slot_named
from tests.creditapps.test_services import certificate_upload

Status = CreditApplication.Status


@pytest.fixture
def filler_templates(settings, tmp_path):
    """Templates a plugin would ship, in a folder of the test's own."""
    folder = tmp_path / "templates" / "plugin"
    folder.mkdir(parents=True)
    (folder / "menu_item.html").write_text(
        '<button role="menuitem" type="button">Plugged in for {{ application.reference }}</button>'
    )
    (folder / "sidebar.html").write_text("<p>Plugin ID: {{ plugin_id }}</p>")
    (folder / "status.html").write_text(
        "{% if header %}<th>Plugin</th>{% else %}<td>{{ certificate.plugin_mark }}</td>{% endif %}"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path / "templates"]}
    ]
    yield
    for slot, template in [
        (application_more_menu, "plugin/menu_item.html"),
        (application_sidebar, "plugin/sidebar.html"),
        (customer_sidebar, "plugin/sidebar.html"),
        (certificate_status, "plugin/status.html"),
    ]:
        slot.clear(template)


def test_a_filled_slot_renders_on_the_application_page_with_its_own_context(
    filler_templates, analyst_client, application
):
    application_more_menu.fill("plugin/menu_item.html")
    application_sidebar.fill(
        "plugin/sidebar.html",
        context=lambda request, context: {"plugin_id": f"P-{context['customer'].pk}"},
    )

    page = analyst_client.get(reverse("creditapps:application-detail", args=[application.pk]))

    html = page.content.decode()
    assert f"Plugged in for {application.reference}</button>" in html
    assert f"<p>Plugin ID: P-{application.customer_id}</p>" in html


def test_a_filler_returning_none_stays_out_of_the_page(
    filler_templates, analyst_client, application
):
    customer_sidebar.fill("plugin/sidebar.html", context=lambda request, context: None)

    page = analyst_client.get(reverse("creditapps:customer-detail", args=[application.customer_id]))

    assert "Plugin ID" not in page.content.decode()


def test_filling_a_slot_twice_with_one_template_renders_it_once(
    filler_templates, analyst_client, application
):
    application_more_menu.fill("plugin/menu_item.html")
    application_more_menu.fill("plugin/menu_item.html")

    page = analyst_client.get(reverse("creditapps:application-detail", args=[application.pk]))

    assert page.content.decode().count("Plugged in for") == 1


def test_an_unknown_slot_name_is_an_error_not_silence():
    with pytest.raises(UnknownSlot, match=re.escape("application.sidebar")):
        slot_named("application.sidebr")


def test_certificate_rows_are_prepared_once_per_list_and_the_slot_shows_what_was_attached(
    filler_templates, analyst_client, customer, pdf_bytes, django_assert_max_num_queries
):
    for text in ("first", "second"):
        certificate_create(
            customer=customer,
            upload=certificate_upload(pdf_bytes + text.encode()),
            source=TaxExemptionCertificate.Source.STAFF_UPLOAD,
        )
    calls = []

    def mark(certificates):
        calls.append(len(certificates))
        for certificate in certificates:
            certificate.plugin_mark = f"mark-{certificate.pk}"

    register_certificate_preparer(mark)
    certificate_status.fill("plugin/status.html")
    try:
        page = analyst_client.get(reverse("creditapps:customer-detail", args=[customer.pk]))
    finally:
        certificate_preparers.remove(mark)

    html = page.content.decode()
    assert calls == [2]
    assert "<th>Plugin</th>" in html
    for certificate in customer.certificates.all():
        assert f"<td>mark-{certificate.pk}</td>" in html


@pytest.fixture
def send_option():
    """An approval option as integrations registers one, recording what it was asked to do."""
    actions = []
    option = ApprovalOption(
        name="send_elsewhere",
        label="Send the customer elsewhere",
        offered=lambda member, application: application.customer.city == "Austin",
        default=lambda member, application: True,
        after_approval=lambda decision: actions.append(
            (decision.application.pk, decision.chosen, decision.application.status)
        ),
        snapshot=lambda decision: f"Send elsewhere: {'on' if decision.chosen else 'off'}",
    )
    register_approval_option(option)
    yield actions
    unregister_approval_option(option.name)


@pytest.fixture
def awaiting_approval(analyst, make_application):
    application = make_application(status=Status.IN_REVIEW)
    services.application_request_approval(member=analyst, application=application)
    return application


def test_an_offered_approval_option_is_a_switch_in_the_dialog_with_its_default(
    send_option, approver_client, awaiting_approval
):
    page = approver_client.get(
        reverse("creditapps:application-approve", args=[awaiting_approval.pk])
    )

    switch = re.search(r'<input[^>]*name="send_elsewhere"[^>]*>', page.content.decode())
    assert switch is not None
    assert 'role="switch"' in switch.group()
    assert "checked" in switch.group()


def test_an_option_acts_after_the_approval_commits_and_is_kept_on_the_timeline(
    send_option, approver_client, awaiting_approval, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        approver_client.post(
            reverse("creditapps:application-approve", args=[awaiting_approval.pk]),
            {"credit_limit": "40000", "terms": "net_30", "send_elsewhere": "on"},
        )

    assert len(callbacks) == 1
    assert send_option == [(awaiting_approval.pk, True, Status.APPROVED)]
    event = awaiting_approval.events.get(kind=ApplicationEvent.Kind.APPROVED)
    assert event.message.endswith("Send elsewhere: on")


def test_an_option_left_off_is_recorded_off_and_still_told(
    send_option, approver, awaiting_approval, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_approve(
            member=approver,
            application=awaiting_approval,
            credit_limit=40000,
            terms="net_30",
            options={},
        )

    assert send_option == [(awaiting_approval.pk, False, Status.APPROVED)]
    assert awaiting_approval.events.get(kind="approved").message.endswith("Send elsewhere: off")


def test_an_option_not_offered_is_ignored_even_when_posted(
    send_option,
    approver,
    make_customer,
    make_application,
    analyst,
    django_capture_on_commit_callbacks,
):
    application = make_application(status=Status.IN_REVIEW, customer=make_customer(city="Dallas"))
    services.application_request_approval(member=analyst, application=application)

    with django_capture_on_commit_callbacks(execute=True):
        services.application_approve(
            member=approver,
            application=application,
            credit_limit=40000,
            terms="net_30",
            options={"send_elsewhere": True},
        )

    assert send_option == []
    assert "Send elsewhere" not in application.events.get(kind="approved").message


def test_a_refused_approval_runs_no_option(send_option, approver, make_application):
    application = make_application(status=Status.IN_REVIEW)  # not sent for approval

    with pytest.raises(InvalidTransition, match="not waiting for approval"):
        services.application_approve(
            member=approver,
            application=application,
            credit_limit=40000,
            terms="net_30",
            options={"send_elsewhere": True},
        )

    assert send_option == []


def test_settings_pages_follow_roles(admin_client_member, analyst_client):
    assert admin_client_member.get(reverse("settings"))["Location"] == reverse(
        "integrations:integrations"
    )
    assert analyst_client.get(reverse("settings"))["Location"] == reverse("team")
    team = analyst_client.get(reverse("team")).content.decode()
    assert ">Team</a>" in team
    assert ">Integrations</a>" not in team
