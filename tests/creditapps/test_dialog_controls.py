"""Dialogs' controls and errors: openers and Cancel are buttons (links without script), a refused
form has one alert and fields that point to their own messages."""

import re

from django.urls import reverse
from django.utils import timezone

from creditapps.models import CreditApplication
from tests.form_tokens import form_token

HTMX = {"HTTP_HX_REQUEST": "true"}


def opener(url: str, label: str, css: str = "button") -> str:
    return (
        f'<form method="get" action="{url}" class="dialog-opener"><button type="submit" '
        f'class="{css}" hx-get="{url}" hx-target="#modal-content">{label}</button></form>'
    )


def test_a_refused_request_info_has_one_alert_and_described_fields(analyst_client, application):
    url = reverse("creditapps:application-request-info", args=[application.pk])
    token = form_token(analyst_client, url)

    response = analyst_client.post(
        url, {"form_token": token, "recipient_email": "not-an-email"}, **HTMX
    )

    body = response.content.decode()
    assert body.count('role="alert"') == 1
    assert 'class="error-summary" role="alert" tabindex="-1"' in body
    assert '<fieldset aria-describedby="id_items_error"><legend>What do you need?' in body
    assert re.search(r'<input type="checkbox" name="items"[^>]*aria-invalid="true"', body)
    email = re.search(r'<input type="email" name="recipient_email"[^>]*>', body).group(0)
    assert 'aria-invalid="true"' in email
    assert 'aria-describedby="id_recipient_email_error"' in email
    assert '<small class="error" id="id_recipient_email_error">' in body


def test_send_for_approval_is_a_button_that_opens_the_dialog(analyst_client, make_application):
    application = make_application(status=CreditApplication.Status.IN_REVIEW)

    body = analyst_client.get(application.get_absolute_url()).content.decode()

    url = reverse("creditapps:application-request-approval", args=[application.pk])
    assert opener(url, "Send for approval") in body
    assert f'<a class="button" href="{url}"' not in body


def test_approve_and_decline_are_buttons_that_open_their_dialogs(approver_client, make_application):
    application = make_application(
        status=CreditApplication.Status.IN_REVIEW, approval_requested_at=timezone.now()
    )

    body = approver_client.get(application.get_absolute_url()).content.decode()

    approve = reverse("creditapps:application-approve", args=[application.pk])
    decline = reverse("creditapps:application-decline", args=[application.pk])
    assert opener(approve, "Approve") in body
    assert opener(decline, "Decline", "button danger") in body


def test_upload_on_a_customer_is_a_button(analyst_client, customer):
    body = analyst_client.get(customer.get_absolute_url()).content.decode()

    url = reverse("creditapps:certificate-upload", args=[customer.pk])
    assert opener(url, "Upload certificate") in body


def test_in_a_dialog_cancel_and_close_are_buttons(analyst_client, customer):
    url = reverse("creditapps:certificate-upload", args=[customer.pk])

    body = analyst_client.get(url, **HTMX).content.decode()

    assert (
        '<button type="button" class="button secondary" data-close-dialog>Cancel</button>' in body
    )
    assert 'data-close-dialog aria-label="Close">\u00d7</button>' in body
    assert 'class="button secondary" data-close-dialog>Cancel</a>' not in body


def test_as_a_whole_page_the_dialog_goes_back_with_a_link(analyst_client, customer):
    url = reverse("creditapps:certificate-upload", args=[customer.pk])

    body = analyst_client.get(url).content.decode()

    assert f'<a href="{customer.get_absolute_url()}" class="button secondary">Cancel</a>' in body
    assert "data-close-dialog" not in body
