"""Badges in Compliance & Tax Documents, Refresh status, and certificates only Avalara has."""

import re

import pytest
from django.urls import reverse

from integrations.models import AvalaraCertificate, AvalaraCustomer, AvalaraOnlyCertificate
from tests.integrations.sending.helpers import COMPANY_ID, add_certificate, company
from tests.integrations.status.test_sync import avalara_certificate, run_sync
from tests.pdf_factory import make_pdf


@pytest.fixture
def sent(analyst, application, connected, send):
    add_certificate(application.customer, regions=["TX"])
    add_certificate(application.customer, regions=["KS", "NE"], text="Multistate")
    send(analyst, application.customer)
    return AvalaraCustomer.objects.get()


def badges(html: str) -> list[str]:
    return re.findall(r'<span class="badge badge-(\w+)" tabindex="0"[^>]*>(\w+)', html)


def test_each_certificate_shows_a_badge_per_region_with_the_details_on_focus(
    analyst_client, application, sent
):
    html = analyst_client.get(application.get_absolute_url()).content.decode()

    assert '<th scope="col">Avalara status</th>' in html
    assert sorted(badges(html)) == [("valid", "Valid")] * 3
    assert '<span class="badge-region">KS</span>' in html
    tip = re.search(r'role="tooltip"[^>]*>(.*?)</span></span>', html, re.S).group(1)
    assert "Valid, pending review at Avalara." in tip
    assert "Exempt state: " in tip
    assert "Exemption reason: RESALE." in tip
    assert "Expires: never." in tip
    assert "Pending review at Avalara." in tip
    assert "Last synced" in tip


def test_the_badges_follow_avalaras_status_after_a_sync(
    analyst_client, application, sent, simulator, connected
):
    texas = AvalaraCertificate.objects.get(region="TX")
    simulator.state.companies[COMPANY_ID].certificates[texas.avalara_id].fields["valid"] = False

    run_sync(connected, full=True)

    html = analyst_client.get(application.get_absolute_url()).content.decode()
    assert sorted(badges(html)) == [("invalid", "Invalid"), ("valid", "Valid"), ("valid", "Valid")]


def test_a_certificate_never_sent_is_missing(analyst_client, application, connected):
    add_certificate(application.customer)

    html = analyst_client.get(application.get_absolute_url()).content.decode()

    assert badges(html) == [("missing", "Missing")]
    assert "Not sent to Avalara yet." in html


def test_without_avalara_there_is_no_status_column(analyst_client, application):
    add_certificate(application.customer)

    html = analyst_client.get(application.get_absolute_url()).content.decode()

    assert "Avalara status" not in html
    assert badges(html) == []


def test_the_certificate_section_costs_the_same_queries_for_any_number_of_certificates(
    analyst_client, application, sent, django_assert_max_num_queries
):
    url = application.get_absolute_url()
    analyst_client.get(url)
    with django_assert_max_num_queries(40) as few:
        analyst_client.get(url)
    for region in ["OK", "OH", "MI", "GA", "CO", "ID", "UT", "WA"]:
        add_certificate(application.customer, regions=[region], text=f"More {region}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        analyst_client.get(url)


def test_refresh_status_reads_the_customer_from_avalara(
    analyst_client, application, sent, simulator
):
    simulator.state.clear_requests()

    response = analyst_client.post(
        reverse("avalara:refresh-status", args=[application.customer_id]),
        {"application": application.pk},
    )

    assert response.status_code == 302
    assert response["Location"] == application.get_absolute_url()
    assert simulator.state.count("ListCertificatesForCustomer") == 1
    assert AvalaraCertificate.objects.filter(synced_at__isnull=False).count() == 3


def test_a_certificate_only_avalara_has_is_listed_and_fetched_when_opened(
    analyst_client, outsider_client, application, sent, simulator, connected
):
    added = avalara_certificate(simulator, sent.customer_code, zone="Oklahoma")
    with simulator.state.lock:
        simulator.state.ecm.attach_document(
            company(simulator), added.id, make_pdf(text="Added in CertCapture"), "application/pdf"
        )
    run_sync(connected, full=True)
    only = AvalaraOnlyCertificate.objects.get()

    html = analyst_client.get(application.get_absolute_url()).content.decode()
    assert '<span class="tag">from Avalara</span>' in html
    assert simulator.state.count("DownloadCertificateImage") == 0

    preview = analyst_client.get(reverse("avalara:only-certificate-preview", args=[only.pk]))
    page = analyst_client.get(reverse("avalara:only-certificate-page", args=[only.pk, 1]))
    download = analyst_client.get(reverse("avalara:only-certificate-file", args=[only.pk]))

    assert "Page 1 of" in preview.content.decode()
    assert page["Content-Type"] == "image/png"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert simulator.state.count("DownloadCertificateImage") == 1  # fetched once, then kept
    assert (
        outsider_client.get(reverse("avalara:only-certificate-file", args=[only.pk])).status_code
        == 404
    )
