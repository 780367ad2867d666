"""The waiting Request Info card says what happened to the email (sent at a time, still sending,
or failed), offers the live link to copy, and Resend mails the same link again."""

import re
from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from creditapps import services
from creditapps.models import ApplicationEvent, CreditApplication, InfoRequest
from creditapps.tasks import send_info_request_email
from creditapps.tokens import info_request_from_token, info_request_url
from tests.form_tokens import TOKEN

Status = CreditApplication.Status
Kind = ApplicationEvent.Kind
# Requests run at the real time (a session signed in now expires if the clock jumps), so the
# email's time is set relative to now: 3:04 PM today in New York (settings.TIME_ZONE).
NEW_YORK = ZoneInfo("America/New_York")


def today_at_3_04_pm() -> datetime:
    return timezone.now().astimezone(NEW_YORK).replace(hour=15, minute=4, second=0, microsecond=0)


@pytest.fixture
def waiting(analyst, make_application, django_capture_on_commit_callbacks):
    """An application waiting for the customer, whose email went two minutes ago."""
    application = make_application(status=Status.IN_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        info_request = services.application_request_info(
            member=analyst, application=application, items=[InfoRequest.Item.OTHER]
        )
    two_minutes_ago = timezone.now() - timedelta(minutes=2)
    InfoRequest.objects.filter(pk=info_request.pk).update(
        email_requested_at=two_minutes_ago, email_sent_at=two_minutes_ago
    )
    mail.outbox.clear()
    info_request.refresh_from_db()
    return info_request


def card(client, application) -> str:
    body = client.get(application.get_absolute_url()).content.decode()
    found = re.search(r'<section class="card notice waiting-card".*?</section>', body, re.S)
    assert found, "no waiting card"
    return re.sub(r"\s+", " ", found.group(0))


def resend_url(info_request) -> str:
    return reverse("creditapps:info-request-resend", args=[info_request.pk])


def resend_token(client, application) -> str:
    found = TOKEN.search(card(client, application))
    assert found, "no Resend form token on the card"
    return found.group(1)


def test_the_card_says_when_the_email_was_sent_in_the_local_time_zone(analyst_client, waiting):
    sent = today_at_3_04_pm()
    InfoRequest.objects.filter(pk=waiting.pk).update(email_sent_at=sent)

    html = card(analyst_client, waiting.application)

    zone = sent.strftime("%Z")  # EST in winter, EDT in summer
    assert (
        f'We emailed maria@lonestar.example at <time datetime="{sent.isoformat()}">'
        f"3:04 PM {zone}</time>."
    ) in html
    assert "received an email" not in html


def test_an_email_sent_on_an_earlier_day_names_the_day(analyst_client, waiting):
    sent = today_at_3_04_pm() - timedelta(days=3)
    InfoRequest.objects.filter(pk=waiting.pk).update(email_sent_at=sent)

    html = card(analyst_client, waiting.application)

    assert f"We emailed maria@lonestar.example on {sent:%b} {sent.day} at " in html


def test_an_email_not_sent_yet_is_said_to_be_sending(analyst_client, waiting):
    InfoRequest.objects.filter(pk=waiting.pk).update(email_sent_at=None)

    html = card(analyst_client, waiting.application)

    assert "Sending the email to maria@lonestar.example…" in html
    assert "We emailed" not in html


def test_a_failed_send_is_recorded_and_shown(analyst_client, waiting):
    InfoRequest.objects.filter(pk=waiting.pk).update(email_sent_at=None)

    down = mock.patch("creditapps.tasks.send_mail", side_effect=OSError("mail server down"))
    with down, pytest.raises(OSError, match="mail server down"):
        send_info_request_email.apply(args=[waiting.pk], throw=True, retries=5)
    html = card(analyst_client, waiting.application)

    waiting.refresh_from_db()
    assert waiting.email_sent_at is None
    assert waiting.email_failed_at is not None
    assert "The email to maria@lonestar.example could not be sent." in html
    assert "We emailed" not in html


def test_a_send_after_a_failure_clears_the_failure(waiting):
    InfoRequest.objects.filter(pk=waiting.pk).update(
        email_sent_at=None, email_failed_at=timezone.now()
    )

    send_info_request_email(waiting.pk)

    waiting.refresh_from_db()
    assert waiting.email_failed_at is None
    assert waiting.email_sent_at is not None
    assert len(mail.outbox) == 1


def test_copy_link_carries_the_live_link_the_email_carried(analyst_client, waiting):
    InfoRequest.objects.filter(pk=waiting.pk).update(email_sent_at=None)
    send_info_request_email(waiting.pk)
    emailed = re.search(r"https?://\S+/respond/\S+/", mail.outbox[0].body).group(0)

    html = card(analyst_client, waiting.application)

    assert f'data-copy="{emailed}"' in html
    assert ">Copy link</button>" in html
    assert info_request_from_token(emailed.rstrip("/").rsplit("/", 1)[1]).pk == waiting.pk


def test_an_expired_link_offers_neither_copy_nor_resend(analyst_client, waiting):
    InfoRequest.objects.filter(pk=waiting.pk).update(expires_at=timezone.now())

    html = card(analyst_client, waiting.application)

    assert "data-copy" not in html
    assert ">Resend</button>" not in html
    assert "The link expired" in html


def test_approvers_see_the_card_without_its_actions(approver_client, waiting):
    html = card(approver_client, waiting.application)

    assert "We emailed" in html
    assert "Copy link" not in html
    assert "Resend" not in html


def test_resend_emails_the_same_link_again_and_records_it(
    analyst_client, waiting, django_capture_on_commit_callbacks
):
    link = info_request_url(waiting)
    token = resend_token(analyst_client, waiting.application)

    before = waiting.email_sent_at

    with django_capture_on_commit_callbacks(execute=True):
        response = analyst_client.post(resend_url(waiting), {"form_token": token}, follow=True)

    page = response.content.decode()
    assert "Sending the link to maria@lonestar.example again." in page
    assert len(mail.outbox) == 1
    assert link in mail.outbox[0].body
    waiting.refresh_from_db()
    assert waiting.email_sent_at > before
    event = waiting.application.events.latest("id")
    assert event.kind == Kind.INFO_REQUEST_RESENT
    assert event.message == "Emailed the Request Info link to maria@lonestar.example again."


def test_resend_twice_within_a_minute_is_refused_with_a_reason(
    analyst_client, waiting, django_capture_on_commit_callbacks
):
    token = resend_token(analyst_client, waiting.application)
    InfoRequest.objects.filter(pk=waiting.pk).update(
        email_requested_at=timezone.now() - timedelta(seconds=30)
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = analyst_client.post(resend_url(waiting), {"form_token": token}, follow=True)

    assert (
        "The email to maria@lonestar.example was sent less than a minute ago. "
        "Wait a minute before sending it again."
    ) in response.content.decode()
    assert mail.outbox == []
    assert not waiting.application.events.filter(kind=Kind.INFO_REQUEST_RESENT).exists()


def test_the_same_resend_form_posted_twice_sends_once(
    analyst_client, waiting, django_capture_on_commit_callbacks
):
    token = resend_token(analyst_client, waiting.application)

    with django_capture_on_commit_callbacks(execute=True):
        analyst_client.post(resend_url(waiting), {"form_token": token})
    InfoRequest.objects.filter(pk=waiting.pk).update(
        email_requested_at=timezone.now() - timedelta(minutes=5)
    )
    with django_capture_on_commit_callbacks(execute=True):
        second = analyst_client.post(resend_url(waiting), {"form_token": token}, follow=True)

    assert "This form was already sent" in second.content.decode()
    assert len(mail.outbox) == 1
    assert waiting.application.events.filter(kind=Kind.INFO_REQUEST_RESENT).count() == 1


def test_resend_without_a_form_token_does_nothing(analyst_client, waiting):
    before = waiting.email_sent_at

    response = analyst_client.post(resend_url(waiting), follow=True)

    assert "This form is out of date" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.email_sent_at == before
    assert mail.outbox == []


def test_resend_of_an_answered_request_is_refused(analyst, waiting):
    InfoRequest.objects.filter(pk=waiting.pk).update(responded_at=timezone.now())
    waiting.refresh_from_db()

    with pytest.raises(services.info_requests.NuvoError, match="Send a new Request Info"):
        services.info_request_resend(member=analyst, info_request=waiting)


def test_approvers_cannot_resend(approver_client, waiting):
    before = waiting.email_sent_at

    response = approver_client.post(resend_url(waiting), {"form_token": "x"})

    assert response.status_code == 403
    waiting.refresh_from_db()
    assert waiting.email_sent_at == before


def test_a_queued_email_for_an_answered_request_is_not_sent(waiting):
    InfoRequest.objects.filter(pk=waiting.pk).update(
        email_sent_at=None, responded_at=timezone.now()
    )

    send_info_request_email(waiting.pk)

    assert mail.outbox == []


def test_the_link_is_the_same_each_time_it_is_built(waiting):
    first = info_request_url(waiting)
    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        again = info_request_url(InfoRequest.objects.get(pk=waiting.pk))

    assert first == again


def test_request_info_success_message_claims_no_delivery(analyst_client, application):
    from tests.form_tokens import form_token

    url = reverse("creditapps:application-request-info", args=[application.pk])
    response = analyst_client.post(
        url,
        {
            "items": ["other"],
            "recipient_email": "ap@x.test",
            "form_token": form_token(analyst_client, url),
        },
        follow=True,
    )

    page = response.content.decode()
    assert "Request saved. We are emailing the customer a secure link" in page
    assert "received an email" not in page
