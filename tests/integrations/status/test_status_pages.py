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
    assert "The certificate is current and valid." in tip  # the guide's meaning of Valid
    assert "Valid, pending review at Avalara." in tip
    assert "Exempt state: " in tip
    assert "Exemption reason: RESALE" in tip
    assert "Expiration date: Never" in tip
    assert "Pending review at Avalara." in tip
    assert "Last synced" in tip


def test_the_badges_follow_avalaras_status_after_a_sync(
    analyst_client, application, sent, simulator, connected
):
    texas = AvalaraCertificate.objects.get(region="TX")
    simulator.state.change_certificate(COMPANY_ID, texas.avalara_id, valid=False)

    run_sync(connected, full=True)

    html = analyst_client.get(application.get_absolute_url()).content.decode()
    assert sorted(badges(html)) == [("invalid", "Invalid"), ("valid", "Valid"), ("valid", "Valid")]


def test_a_certificate_never_sent_is_missing(analyst_client, application, connected):
    add_certificate(application.customer)

    html = analyst_client.get(application.get_absolute_url()).content.decode()

    assert badges(html) == [("missing", "Missing")]
    assert "Not sent to Avalara yet." in html


def test_a_held_certificate_says_until_when_and_the_approve_dialog_lists_the_dates(
    analyst, analyst_client, approver_client, application, connected, send
):
    from datetime import date

    import time_machine

    from creditapps import services as creditapps_services
    from creditapps.models import CreditApplication

    application.status = CreditApplication.Status.IN_REVIEW
    application.save()
    creditapps_services.application_request_approval(member=analyst, application=application)
    approve = reverse("creditapps:application-approve", args=[application.pk])
    with time_machine.travel("2026-12-01 15:00 +0000", tick=False):
        add_certificate(application.customer, regions=["TX"], effective=date(2026, 12, 15))
        add_certificate(
            application.customer, regions=["OK"], text="Later", effective=date(2027, 1, 4)
        )
        unsent = analyst_client.get(application.get_absolute_url()).content.decode()
        dialog = approver_client.get(approve).content.decode()
        send(analyst, application.customer)
        held = analyst_client.get(application.get_absolute_url()).content.decode()

    assert unsent.count("Nuvo could not determine certificate status.") == 2
    assert "Certificates with a future effective date are sent on that date:" in dialog
    assert '<time datetime="2026-12-15">Dec 15, 2026</time></li>' in dialog
    assert dialog.index("Dec 15, 2026") < dialog.index("Jan 4, 2027")
    assert '<time datetime="2026-12-15">Dec 15, 2026</time>, its effective date' in held
    assert '<time datetime="2027-01-04">Jan 4, 2027</time>, its effective date' in held


def test_without_avalara_there_is_no_status_column(analyst_client, application):
    add_certificate(application.customer)

    html = analyst_client.get(application.get_absolute_url()).content.decode()

    assert "Avalara status" not in html
    assert badges(html) == []


def test_the_certificate_section_costs_the_same_queries_for_any_number_of_certificates(
    analyst_client, application, sent, django_assert_max_num_queries
):
    url = application.get_absolute_url()
    add_certificate(application.customer, regions=["AZ"], text="Not sent yet")
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


def test_coverage_shows_each_ship_to_state_on_the_application_and_in_the_approve_dialog(
    analyst, analyst_client, approver_client, application, sent
):
    from creditapps import services as creditapps_services

    customer = application.customer
    customer.ship_to_states = ["TX", "OK"]
    customer.save()

    html = analyst_client.get(application.get_absolute_url()).content.decode()
    assert "Texas: valid certificate (Texas resale certificate)" in html
    assert "Oklahoma: no valid certificate" in html

    application.status = "in_review"
    application.save()
    creditapps_services.application_request_approval(member=analyst, application=application)
    dialog = approver_client.get(reverse("creditapps:application-approve", args=[application.pk]))
    assert "1 of 2 ship-to state(s) without a valid certificate." in dialog.content.decode()
    assert "Oklahoma: no valid certificate" in dialog.content.decode()


def test_the_applications_list_has_a_coverage_column_at_a_constant_query_count(
    analyst_client, make_customer, make_application, sent, django_assert_max_num_queries
):
    url = reverse("creditapps:application-list")
    analyst_client.get(url)
    with django_assert_max_num_queries(30) as few:
        html = analyst_client.get(url).content.decode()
    assert '<th scope="col">Coverage</th>' in html
    for number in range(8):
        make_application(
            customer=make_customer(
                legal_name=f"Buyer {number}", email=f"b{number}@x.example", ship_to_states=["OK"]
            )
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = analyst_client.get(url).content.decode()
    assert html.count("1 of 1 uncovered") == 8


def test_admins_see_the_last_sync_and_can_sync_now(
    admin_client_member, analyst_client, sent, simulator
):
    before = admin_client_member.get(reverse("integrations:integrations")).content.decode()
    assert "Not synced yet" in before

    response = admin_client_member.post(reverse("integrations:avalara-sync"))

    assert response.status_code == 302
    after = admin_client_member.get(reverse("integrations:integrations")).content.decode()
    assert "3 read, 3 updated, 0 from Avalara, 0 missing" in after
    assert analyst_client.post(reverse("integrations:avalara-sync")).status_code == 403


def test_a_certificate_only_avalara_has_shows_avalaras_status_in_its_badge():
    from django.template.loader import render_to_string

    only = AvalaraOnlyCertificate(
        pk=1, region="TX", avalara_id=5, badge="valid", badge_reason="Current and valid"
    )

    html = render_to_string(
        "integrations/_badge.html",
        {"status": only, "region": "TX", "badge_prefix": "only-", "badge_id": 1},
    )

    assert "Current and valid." in html
    assert "Not sent to Avalara yet" not in html
