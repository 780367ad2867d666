"""Resuming the review without the customer's answer asks first (the customer's link stops
working), then tells the customer by email, once, after the commit."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from creditapps import services
from creditapps.models import ApplicationEvent, CreditApplication, InfoRequest
from creditapps.tasks import send_info_request_email, send_info_request_withdrawn_email

Status = CreditApplication.Status
Kind = ApplicationEvent.Kind


@pytest.fixture
def waiting(analyst, make_application, django_capture_on_commit_callbacks):
    application = make_application(status=Status.IN_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        info_request = services.application_request_info(
            member=analyst, application=application, items=[InfoRequest.Item.OTHER]
        )
    mail.outbox.clear()
    info_request.refresh_from_db()
    return info_request


def resume_url(application) -> str:
    return reverse("creditapps:application-resume-review", args=[application.pk])


def test_the_card_links_to_a_confirmation_rather_than_resuming_in_one_click(
    analyst_client, waiting
):
    page = analyst_client.get(waiting.application.get_absolute_url()).content.decode()

    assert f'href="{resume_url(waiting.application)}"' in page
    assert f'action="{resume_url(waiting.application)}"' not in page


def test_the_confirmation_says_the_link_stops_working_and_focuses_cancel(analyst_client, waiting):
    response = analyst_client.get(resume_url(waiting.application), headers={"HX-Request": "true"})

    html = response.content.decode()
    assert "The link we sent to maria@lonestar.example will stop working." in html
    assert "We will email maria@lonestar.example that the request is withdrawn." in html
    assert (
        '<button type="button" class="button secondary" data-close-dialog data-autofocus '
        "autofocus>Cancel" in html
    )
    assert html.index(">Cancel<") < html.index(">Resume review</button>")
    waiting.application.refresh_from_db()
    assert waiting.application.status == Status.INFO_REQUESTED


def test_the_confirmation_page_without_javascript_cancels_with_a_link(analyst_client, waiting):
    html = analyst_client.get(resume_url(waiting.application)).content.decode()

    back = waiting.application.get_absolute_url()
    assert f'<a href="{back}" class="button secondary" autofocus>Cancel</a>' in html


def test_resuming_withdraws_the_request_and_emails_the_customer_once(
    analyst_client, waiting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = analyst_client.post(resume_url(waiting.application), follow=True)

    assert f"Review resumed on {waiting.application.reference}." in response.content.decode()
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["maria@lonestar.example"]
    assert "no need to answer" in email.subject
    assert "the request is withdrawn and its link no longer works" in email.body
    waiting.refresh_from_db()
    assert waiting.withdrawn_at is not None
    assert waiting.is_expired
    event = waiting.application.events.latest("id")
    assert event.kind == Kind.REVIEW_RESUMED
    assert event.message.endswith("The customer was told by email.")

    send_info_request_withdrawn_email(waiting.pk)  # a redelivered task
    assert len(mail.outbox) == 1


def test_no_email_goes_before_the_commit(analyst, waiting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.application_resume_review(member=analyst, application=waiting.application)

    assert mail.outbox == []
    assert len(callbacks) == 1


def test_a_customer_never_emailed_is_not_told(analyst, waiting, django_capture_on_commit_callbacks):
    InfoRequest.objects.filter(pk=waiting.pk).update(email_sent_at=None)

    with django_capture_on_commit_callbacks(execute=True):
        services.application_resume_review(member=analyst, application=waiting.application)

    assert mail.outbox == []
    waiting.refresh_from_db()
    assert waiting.withdrawn_at is not None
    assert not waiting.application.events.latest("id").message.endswith("by email.")
    send_info_request_email(waiting.pk)  # the link's email, queued but not yet gone
    assert mail.outbox == []


def test_an_already_expired_link_is_not_withdrawn_again(
    analyst, waiting, django_capture_on_commit_callbacks
):
    InfoRequest.objects.filter(pk=waiting.pk).update(expires_at=timezone.now() - timedelta(days=1))

    with django_capture_on_commit_callbacks(execute=True):
        services.application_resume_review(member=analyst, application=waiting.application)

    assert mail.outbox == []


def test_a_failed_withdrawal_email_is_retried_not_lost(
    analyst, waiting, django_capture_on_commit_callbacks
):
    down = mock.patch("creditapps.tasks.send_mail", side_effect=OSError("mail server down"))
    with down, django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.application_resume_review(member=analyst, application=waiting.application)
    with down, pytest.raises(OSError, match="mail server down"):
        send_info_request_withdrawn_email.apply(args=[waiting.pk], throw=True, retries=5)

    waiting.refresh_from_db()
    assert waiting.withdrawal_email_sent_at is None
    send_info_request_withdrawn_email(waiting.pk)
    assert len(mail.outbox) == 1
    assert len(callbacks) == 1


def test_get_of_an_application_not_waiting_goes_back_to_it(analyst_client, application):
    response = analyst_client.get(resume_url(application), follow=True)

    assert response.redirect_chain[-1][0] == application.get_absolute_url()
    assert f"{application.reference} is not waiting for the customer." in (
        response.content.decode()
    )


def test_approvers_cannot_resume(approver_client, waiting):
    assert approver_client.get(resume_url(waiting.application)).status_code == 403
    assert approver_client.post(resume_url(waiting.application)).status_code == 403
    waiting.application.refresh_from_db()
    assert waiting.application.status == Status.INFO_REQUESTED
