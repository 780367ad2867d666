"""The applicant hears that the application arrived: a receipt email, once, and a thank-you page
that says what happens next."""

import pytest
from django.core import mail
from django.test import Client

from creditapps.models import CreditApplication
from creditapps.tasks import send_application_receipt_email
from tests.creditapps.test_views import _public_form_data
from tests.form_tokens import public_apply_token


def test_an_application_through_the_public_form_gets_one_receipt_email(
    organization, django_capture_on_commit_callbacks
):
    client = Client()
    data = _public_form_data(form_token=public_apply_token(organization))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(organization.get_public_form_url(), data)

    application = CreditApplication.objects.get()
    (email,) = mail.outbox
    assert email.to == [application.customer.email]
    assert email.subject == (
        f"Acme Supply Co.: we received your credit application {application.reference}"
    )
    assert "What happens next" in email.body
    assert application.reference in email.body
    send_application_receipt_email(application.pk)  # a redelivered task sends nothing more
    assert len(mail.outbox) == 1
    page = client.get(response["Location"]).content.decode()
    assert "What happens next" in page
    assert application.reference in page


def test_a_receipt_that_could_not_be_sent_is_sent_by_the_retry(application, monkeypatch):
    from creditapps import tasks

    def refuse(**kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(tasks, "send_mail", refuse)
    with pytest.raises(OSError, match="mail server down"):
        send_application_receipt_email.run(application.pk)
    monkeypatch.undo()

    application.refresh_from_db()
    assert application.receipt_sent_at is None
    send_application_receipt_email.run(application.pk)
    assert len(mail.outbox) == 1
