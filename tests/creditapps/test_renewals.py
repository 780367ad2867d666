"""Expiring certificates: the window, the widget and Reports, one-click renewals, the daily job."""

from datetime import date

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from certificates.selectors import certificates_expiring
from certificates.services import CertificateUpload
from creditapps import services
from creditapps.models import ApplicationEvent, CreditApplication, InfoRequest
from creditapps.tasks import request_certificate_renewals
from tests.integrations.sending.helpers import add_certificate
from tests.pdf_factory import make_pdf

TODAY = date(2026, 12, 1)
Status = CreditApplication.Status


def renewed_upload(content) -> CertificateUpload:
    return CertificateUpload(
        content=content,
        filename="renewed.pdf",
        exempt_regions=["OK"],
        exemption_reason="RESALE",
        effective_date=TODAY,
        expiration_date=date(2029, 11, 1),
    )


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-12-01 15:00 +0000", tick=False):
        yield


@pytest.fixture
def expiring(customer):
    return {
        "soon": add_certificate(customer, regions=["TX"], expiration_date=date(2026, 12, 20)),
        "expired": add_certificate(
            customer, regions=["OK"], text="Old", expiration_date=date(2026, 11, 1)
        ),
        "later": add_certificate(
            customer, regions=["KS"], text="Later", expiration_date=date(2027, 6, 1)
        ),
        "never": add_certificate(customer, regions=["NE"], text="Never"),
    }


def test_expiring_means_within_the_window_and_includes_the_expired(analyst, expiring):
    names = [c.region_names[0] for c in certificates_expiring(member=analyst)]

    assert names == ["Oklahoma", "Texas"]
    analyst.organization.expiry_window_days = 365
    assert len(certificates_expiring(member=analyst)) == 3


def test_the_list_page_and_reports_show_them_with_a_renewal_button(analyst_client, expiring):
    listing = analyst_client.get(reverse("creditapps:application-list")).content.decode()
    reports = analyst_client.get(reverse("creditapps:reports")).content.decode()

    for html in (listing, reports):
        assert "Certificates expired or expiring in 30 days" in html
        assert '<span class="badge badge-invalid">Expired</span>' in html
        assert html.count(">Request renewal<") == 2


def test_one_click_renewal_on_an_open_application_is_a_request_info_naming_the_certificate(
    analyst_client, application, expiring, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = analyst_client.post(
            reverse("creditapps:certificate-request-renewal", args=[expiring["soon"].pk]),
            {"next": "/reports/"},
        )

    assert response["Location"] == "/reports/"
    info_request = InfoRequest.objects.get()
    assert info_request.renewal_of == expiring["soon"]
    assert info_request.requested_items == [InfoRequest.Item.TAX_EXEMPTION_CERTIFICATES]
    assert "expires on December 20, 2026" in info_request.message
    application.refresh_from_db()
    assert application.status == Status.INFO_REQUESTED
    assert len(mail.outbox) == 1


def test_a_renewal_for_an_approved_customer_keeps_the_application_approved(
    analyst, make_application, expiring, django_capture_on_commit_callbacks
):
    approved = make_application(
        status=Status.APPROVED, approved_credit_limit=1000, approved_terms="net_30"
    )
    with django_capture_on_commit_callbacks(execute=True):
        info_request = services.certificate_renewal_request(
            member=analyst, certificate=expiring["expired"]
        )

    assert "expired on November 1, 2026" in info_request.message
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED
    services.info_request_respond(
        info_request=info_request,
        message="Renewed",
        certificates=[
            renewed_upload(make_pdf(text="Renewed Oklahoma")),
        ],
    )
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED
    assert approved.events.filter(kind=ApplicationEvent.Kind.CERTIFICATE_ADDED).exists()


def test_the_daily_job_asks_once_per_certificate_where_the_organization_wants_it(
    analyst_user, organization, make_application, expiring, django_capture_on_commit_callbacks
):
    make_application(status=Status.APPROVED, approved_credit_limit=1000, approved_terms="net_30")
    with django_capture_on_commit_callbacks(execute=True):
        request_certificate_renewals()
    assert not InfoRequest.objects.exists()  # the organization has not asked for it

    organization.request_renewals_automatically = True
    organization.save()
    with django_capture_on_commit_callbacks(execute=True):
        request_certificate_renewals()
        request_certificate_renewals()

    renewed = set(InfoRequest.objects.values_list("renewal_of", flat=True))
    assert renewed == {expiring["soon"].pk, expiring["expired"].pk}
    assert InfoRequest.objects.count() == 2
    assert len(mail.outbox) == 2


def test_admins_set_the_window_and_automatic_requests(
    admin_client_member, analyst_client, organization
):
    url = reverse("creditapps:certificate-settings")

    assert analyst_client.get(url).status_code == 403
    refused = admin_client_member.post(url, {"expiry_window_days": "0"})
    assert refused.status_code == 200
    response = admin_client_member.post(
        url, {"expiry_window_days": "45", "request_renewals_automatically": "on"}
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert (organization.expiry_window_days, organization.request_renewals_automatically) == (
        45,
        True,
    )
