"""The Approve dialog briefs the approver (the analyst's note, who sent it and when, the
certificates on file) and warns inline when the limit typed is above the requested one; the
dialogs' Cancel is a button, and a failed post has one error summary."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.models import TaxExemptionCertificate
from certificates.services import certificate_create
from creditapps import services
from creditapps.models import CreditApplication
from tests.creditapps.test_services import certificate_upload
from tests.pdf_factory import make_pdf

Status = CreditApplication.Status
HTMX = {"HX-Request": "true"}


@pytest.fixture
def sent(analyst, make_application, customer):
    customer.ship_to_states = ["TX", "OK", "NM"]
    customer.save()
    application = make_application(
        status=Status.IN_REVIEW, requested_credit_limit=Decimal("25000.00")
    )
    services.application_request_approval(
        member=analyst, application=application, note="Bank reference is strong.\nPays on time."
    )
    return application


def add_certificate(customer, *, regions, expires, text):
    return certificate_create(
        customer=customer,
        upload=certificate_upload(
            make_pdf(text=text),
            filename=f"{text}.pdf",
            exempt_regions=regions,
            effective_date=date(2019, 1, 1),
            expiration_date=expires,
        ),
        source=TaxExemptionCertificate.Source.STAFF_UPLOAD,
    )


def approve_url(application) -> str:
    return reverse("creditapps:application-approve", args=[application.pk])


def squash(html: str) -> str:
    return re.sub(r"\s+", " ", html)


def test_the_dialog_shows_the_analysts_note_and_who_sent_it_when(approver_client, sent):
    html = squash(approver_client.get(approve_url(sent), headers=HTMX).content.decode())

    when = timezone.localtime(sent.approval_requested_at).strftime("%b %-d, %Y")
    assert '<h3 id="briefing-note-heading">From the analyst</h3>' in html
    assert "Sent for approval by Analyst on <time datetime=" in html
    assert when in html
    assert '<blockquote class="analyst-note prewrap">Bank reference is strong. Pays on time.' in (
        html
    )


def test_the_dialog_summarises_the_certificates_on_file(approver_client, sent):
    add_certificate(sent.customer, regions=["TX", "OK"], expires=date(2030, 1, 1), text="tx-ok")
    add_certificate(sent.customer, regions=["NM"], expires=date(2020, 1, 1), text="nm-old")

    html = squash(approver_client.get(approve_url(sent), headers=HTMX).content.decode())

    assert (
        '<p class="certificate-summary">2 certificates on file, covering Oklahoma, Texas. '
        '<strong class="text-danger">1 expired.</strong></p>'
    ) in html
    assert "Ships to New Mexico with no current certificate there." in html


def test_with_no_certificates_the_dialog_says_so(approver_client, sent):
    html = squash(approver_client.get(approve_url(sent), headers=HTMX).content.decode())

    assert '<p class="certificate-summary">No tax-exemption certificates on file.</p>' in html


def test_the_limit_field_carries_a_polite_warning_for_a_higher_limit(approver_client, sent):
    html = approver_client.get(approve_url(sent), headers=HTMX).content.decode()

    assert re.search(r'<input type="number" name="credit_limit"[^>]*data-approved-limit', html)
    assert (
        '<p class="limit-warning" aria-live="polite" data-limit-warning data-requested="25000.00" '
        'data-message="This is above the requested $25,000.00; give a reason below."></p>'
    ) in html


def test_a_higher_limit_without_a_reason_is_still_refused_with_one_summary(approver_client, sent):
    response = approver_client.post(
        approve_url(sent), {"credit_limit": "30000", "terms": "net_30"}, headers=HTMX
    )

    html = response.content.decode()
    assert "There is a problem" in html
    assert html.count('role="alert"') == 1
    assert re.search(r'<textarea name="limit_reason"[^>]*aria-invalid="true"', html)
    assert "Enter why the approved limit is above the requested $25,000.00." in html
    sent.refresh_from_db()
    assert sent.status == Status.IN_REVIEW


@pytest.mark.parametrize(
    ("name", "client_fixture"),
    [
        ("approve", "approver_client"),
        ("decline", "approver_client"),
        ("request-info", "analyst_client"),
    ],
)
def test_dialog_cancel_is_a_button_that_closes_the_dialog(request, name, client_fixture, sent):
    client = request.getfixturevalue(client_fixture)
    url = reverse(f"creditapps:application-{name}", args=[sent.pk])

    in_dialog = client.get(url, headers=HTMX).content.decode()
    as_page = client.get(url).content.decode()

    assert '<button type="button" class="button secondary" data-close-dialog>Cancel</button>' in (
        in_dialog
    )
    assert f'<a href="{sent.get_absolute_url()}" class="button secondary">Cancel</a>' in as_page


def test_request_approval_cancel_is_a_button(analyst_client, make_application):
    application = make_application(status=Status.IN_REVIEW)
    url = reverse("creditapps:application-request-approval", args=[application.pk])

    html = analyst_client.get(url, headers=HTMX).content.decode()

    assert '<button type="button" class="button secondary" data-close-dialog>Cancel</button>' in (
        html
    )


@pytest.mark.parametrize(
    ("name", "client_fixture", "data"),
    [
        ("decline", "approver_client", {"comment": ""}),
        ("request-info", "analyst_client", {"recipient_email": "not an email"}),
    ],
)
def test_dialog_errors_have_one_summary_and_marked_fields(
    request, name, client_fixture, data, sent
):
    client = request.getfixturevalue(client_fixture)
    url = reverse(f"creditapps:application-{name}", args=[sent.pk])

    html = client.post(url, data, headers=HTMX).content.decode()

    assert "There is a problem" in html
    assert html.count('role="alert"') == 1
    assert 'aria-invalid="true"' in html
