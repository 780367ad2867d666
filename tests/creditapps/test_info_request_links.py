"""A Request Info link that no longer works names the supplier and whom to ask for a new one;
nothing about the customer or the application. A link that never worked names no one."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from creditapps import services
from creditapps.models import CreditApplication, InfoRequest
from creditapps.tokens import info_request_token

Status = CreditApplication.Status
NEUTRAL = "This link is no longer valid"
EMPTY_ANSWER = {
    "message": "Here",
    "certificates-TOTAL_FORMS": "0",
    "certificates-INITIAL_FORMS": "0",
}


@pytest.fixture
def first_request(analyst, make_application) -> InfoRequest:
    return services.application_request_info(
        member=analyst,
        application=make_application(status=Status.IN_REVIEW),
        items=[InfoRequest.Item.TAX_EXEMPTION_CERTIFICATES],
        message="Please upload your Texas resale certificate.",
    )


def _url(info_request: InfoRequest) -> str:
    return reverse("creditapps:info-request-respond", args=[info_request_token(info_request)])


def _assert_neutral(response, customer) -> None:
    body = response.content.decode()
    assert response.status_code == 410
    assert NEUTRAL in body
    assert "This link from Acme Supply Co. has expired or has been replaced" in body
    assert (
        'Contact Analyst at Acme Supply Co.: <a href="mailto:analyst@example.com">'
        "analyst@example.com</a>"
    ) in body
    for private in [
        customer.legal_name,
        customer.contact_name,
        customer.email,
        "Texas resale certificate",
        "CA-",  # an application reference
        "$",
    ]:
        assert private not in body, private


def test_a_superseded_link_shows_the_neutral_page(client, analyst, first_request, customer):
    services.application_request_info(
        member=analyst, application=first_request.application, items=[InfoRequest.Item.OTHER]
    )

    _assert_neutral(client.get(_url(first_request)), customer)
    _assert_neutral(client.post(_url(first_request), EMPTY_ANSWER), customer)
    first_request.refresh_from_db()
    assert first_request.responded_at is None


def test_a_link_closed_by_resuming_the_review_shows_the_neutral_page(
    client, analyst, first_request, customer
):
    services.application_resume_review(member=analyst, application=first_request.application)

    _assert_neutral(client.get(_url(first_request)), customer)


def test_a_link_past_its_expiry_shows_the_neutral_page(client, first_request, customer):
    InfoRequest.objects.filter(pk=first_request.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    _assert_neutral(client.get(_url(first_request)), customer)
    _assert_neutral(client.post(_url(first_request), EMPTY_ANSWER), customer)
    assert first_request.application.events.filter(kind="info_received").count() == 0


def test_a_link_whose_signature_expired_shows_the_neutral_page(
    client, first_request, customer, settings
):
    url = _url(first_request)
    settings.NUVO_INFO_REQUEST_MAX_AGE_DAYS = 0

    _assert_neutral(client.get(url), customer)


def test_a_tampered_link_is_not_found_and_says_nothing_more(client, first_request, customer):
    response = client.get(reverse("creditapps:info-request-respond", args=["not-a-token"]))

    body = response.content.decode()
    assert response.status_code == 404
    assert NEUTRAL in body
    assert "check that you copied the whole address" in body
    assert customer.legal_name not in body
    assert "Acme Supply Co." not in body
    assert "mailto:" not in body


def test_a_superseded_link_of_a_departed_analyst_names_only_the_supplier(
    client, analyst_user, first_request, customer
):
    analyst_user.is_active = False
    analyst_user.save(update_fields=["is_active"])
    InfoRequest.objects.filter(pk=first_request.pk).update(expires_at=timezone.now())

    body = client.get(_url(first_request)).content.decode()

    assert "Contact the credit team at Acme Supply Co. and ask them to send you a new link" in body
    assert "analyst@example.com" not in body
    assert customer.legal_name not in body


def test_an_answered_link_thanks_without_naming_the_customer(client, first_request, customer):
    url = _url(first_request)
    client.post(url, EMPTY_ANSWER)

    response = client.get(url)

    assert response.status_code == 200
    assert "we received your information" in response.content.decode()
    assert customer.legal_name not in response.content.decode()


def test_the_current_link_still_works(client, first_request, customer):
    response = client.get(_url(first_request))

    assert response.status_code == 200
    assert customer.legal_name in response.content.decode()
