"""Create forms carry a one-time token: a double click or a replayed post acts once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from certificates.models import TaxExemptionCertificate
from creditapps import services
from creditapps.models import CreditApplication, Customer, InfoRequest
from nuvo import form_tokens
from nuvo.form_tokens import ALREADY_SENT, issue_form_token
from nuvo.models import FormSubmission
from tests.creditapps.test_views import _public_form_data
from tests.form_tokens import form_token
from tests.pdf_factory import make_pdf

Status = CreditApplication.Status
OUT_OF_DATE = "This form is out of date. Check your answers and send it again."
NEW_CUSTOMER = {"legal_name": "Cascade Hardware Co.", "country": "US"}


def _pdf(name="cert.pdf", text="Texas resale certificate") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, make_pdf(text=text), content_type="application/pdf")


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# The public application form


def test_five_identical_public_posts_make_one_application(client, organization):
    url = organization.get_public_form_url()
    data = _public_form_data(form_token=form_token(client, url))

    responses = [client.post(url, data) for _ in range(5)]

    done = reverse("creditapps:public-apply-done", args=[organization.public_form_key])
    assert [response.status_code for response in responses] == [302] * 5
    assert {response["Location"] for response in responses} == {done}
    assert Customer.objects.count() == 1
    assert CreditApplication.objects.count() == 1
    assert FormSubmission.objects.get().result_url == done
    thanks = client.get(done)
    assert ALREADY_SENT in thanks.content.decode()
    assert CreditApplication.objects.get().reference in thanks.content.decode()


def test_a_public_post_without_a_token_creates_nothing_and_offers_a_fresh_form(
    client, organization
):
    response = client.post(organization.get_public_form_url(), _public_form_data())

    body = response.content.decode()
    assert response.status_code == 200
    assert OUT_OF_DATE in body
    assert 'name="form_token" value="' in body
    assert 'value="Cascade Hardware Co."' in body  # the answers are kept
    assert Customer.objects.count() == 0


def test_a_token_of_another_organizations_form_is_refused(client, organization, other_organization):
    theirs = form_token(client, other_organization.get_public_form_url())

    response = client.post(organization.get_public_form_url(), _public_form_data(form_token=theirs))

    assert OUT_OF_DATE in response.content.decode()
    assert Customer.objects.count() == 0


def test_a_tampered_or_expired_token_is_refused(client, organization, monkeypatch):
    url = organization.get_public_form_url()
    token = form_token(client, url)

    tampered = client.post(url, _public_form_data(form_token=token[:-2] + "xx"))
    monkeypatch.setattr(form_tokens, "MAX_AGE", timedelta(seconds=-1))
    expired = client.post(url, _public_form_data(form_token=token))

    assert OUT_OF_DATE in tampered.content.decode()
    assert OUT_OF_DATE in expired.content.decode()
    assert Customer.objects.count() == 0


def test_a_post_with_errors_keeps_its_token_unspent(client, organization):
    url = organization.get_public_form_url()
    token = form_token(client, url)

    invalid = client.post(
        url, _public_form_data(form_token=token, **{"terms-requested_credit_limit": ""})
    )
    fixed = client.post(url, _public_form_data(form_token=token))

    assert invalid.status_code == 200
    assert f'name="form_token" value="{token}"' in invalid.content.decode()
    assert fixed.status_code == 302
    assert CreditApplication.objects.count() == 1


# New customer


def test_two_identical_new_customer_posts_make_one_customer(analyst_client):
    url = reverse("creditapps:customer-create")
    data = {**NEW_CUSTOMER, "form_token": form_token(analyst_client, url)}

    first = analyst_client.post(url, data)
    second = analyst_client.post(url, data, follow=True)

    customer = Customer.objects.get()
    assert first["Location"] == customer.get_absolute_url()
    assert second.redirect_chain == [(customer.get_absolute_url(), 302)]
    assert _messages(second) == ["Cascade Hardware Co. added.", ALREADY_SENT]


def test_a_new_customer_post_without_a_token_creates_nothing(analyst_client):
    response = analyst_client.post(reverse("creditapps:customer-create"), NEW_CUSTOMER)

    assert response.status_code == 200
    assert OUT_OF_DATE in response.content.decode()
    assert Customer.objects.count() == 0


def test_the_edit_form_carries_no_token_and_needs_none(analyst_client, customer):
    url = reverse("creditapps:customer-edit", args=[customer.pk])

    page = analyst_client.get(url)
    response = analyst_client.post(url, {**NEW_CUSTOMER, "legal_name": "Renamed LLC"})

    assert 'name="form_token"' not in page.content.decode()
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.legal_name == "Renamed LLC"


# Certificate upload and Request Info (dialogs)


def _certificate_post(token: str, file: SimpleUploadedFile) -> dict:
    return {
        "form_token": token,
        "file": file,
        "exempt_regions": ["TX"],
        "exemption_reason": "RESALE",
        "effective_date": "2026-03-01",
    }


def test_a_double_upload_files_one_certificate(analyst_client, customer):
    url = reverse("creditapps:certificate-upload", args=[customer.pk])
    token = form_token(analyst_client, url)

    first = analyst_client.post(url, _certificate_post(token, _pdf()), HTTP_HX_REQUEST="true")
    second = analyst_client.post(url, _certificate_post(token, _pdf()), HTTP_HX_REQUEST="true")

    assert first["HX-Redirect"] == second["HX-Redirect"] == customer.get_absolute_url()
    assert TaxExemptionCertificate.objects.filter(customer=customer).count() == 1


def test_a_refused_upload_leaves_the_token_for_the_corrected_one(analyst_client, customer):
    url = reverse("creditapps:certificate-upload", args=[customer.pk])
    token = form_token(analyst_client, url)
    not_a_pdf = SimpleUploadedFile("cert.pdf", b"<html>", content_type="application/pdf")

    refused = analyst_client.post(url, _certificate_post(token, not_a_pdf))
    accepted = analyst_client.post(url, _certificate_post(token, _pdf()))

    assert "This file is not a PDF." in refused.content.decode()
    assert accepted.status_code == 302
    assert TaxExemptionCertificate.objects.filter(customer=customer).count() == 1


def test_a_double_request_info_sends_one_email(
    analyst_client, make_application, django_capture_on_commit_callbacks
):
    application = make_application(status=Status.IN_REVIEW)
    url = reverse("creditapps:application-request-info", args=[application.pk])
    data = {
        "form_token": form_token(analyst_client, url),
        "items": ["tax_exemption_certificates"],
        "recipient_email": "ap@lonestar.example",
    }

    with django_capture_on_commit_callbacks(execute=True):
        first = analyst_client.post(url, data)
        second = analyst_client.post(url, data)

    assert first["Location"] == second["Location"] == application.get_absolute_url()
    assert InfoRequest.objects.filter(application=application).count() == 1
    assert len(mail.outbox) == 1


# The token rows


def test_a_token_is_claimed_once_and_old_claims_are_removed(analyst, organization):
    old = FormSubmission.objects.create(
        nonce="old", purpose="x", created_at=timezone.now() - form_tokens.MAX_AGE * 2
    )
    token = issue_form_token("purpose-a")

    with form_tokens.submit_once(token, purpose="purpose-a") as submission:
        services.customer_create(member=analyst, legal_name="Once Co")
        submission.result_url = "/customers/1/"

    with (
        pytest.raises(form_tokens.FormAlreadySent) as replay,
        form_tokens.submit_once(token, purpose="purpose-a"),
    ):
        services.customer_create(member=analyst, legal_name="Twice Co")

    assert replay.value.result_url == "/customers/1/"
    assert list(Customer.objects.values_list("legal_name", flat=True)) == ["Once Co"]
    assert not FormSubmission.objects.filter(pk=old.pk).exists()


def test_a_failed_block_releases_its_claim(analyst):
    token = issue_form_token("purpose-b")

    with pytest.raises(RuntimeError), form_tokens.submit_once(token, purpose="purpose-b"):
        raise RuntimeError("the service refused")

    assert FormSubmission.objects.count() == 0


def test_issuing_a_token_writes_nothing(client, organization):
    for _ in range(3):
        client.get(organization.get_public_form_url())

    assert FormSubmission.objects.count() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_posts_of_one_public_form_make_one_application(organization):
    """On PostgreSQL the losers wait for the winner's commit on the unique nonce, then follow it."""
    from django.test import Client

    from tests.creditapps.test_tiers import race

    url = organization.get_public_form_url()
    data = _public_form_data(form_token=form_token(Client(), url))

    results = race(5, lambda: Client().post(url, data))

    done = reverse("creditapps:public-apply-done", args=[organization.public_form_key])
    assert [getattr(result, "status_code", result) for result in results] == [302] * 5
    assert {result["Location"] for result in results} == {done}
    assert Customer.objects.count() == 1
    assert CreditApplication.objects.count() == 1


def test_the_test_helpers_issue_tokens_the_views_accept(client, analyst_client, organization):
    from tests.form_tokens import customer_create_token, public_apply_token

    public = client.post(
        organization.get_public_form_url(),
        _public_form_data(form_token=public_apply_token(organization)),
    )
    staff = analyst_client.post(
        reverse("creditapps:customer-create"),
        {**NEW_CUSTOMER, "form_token": customer_create_token(organization)},
    )

    assert (public.status_code, staff.status_code) == (302, 302)
    assert Customer.objects.count() == 2
