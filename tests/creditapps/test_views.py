import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certificates.models import TaxExemptionCertificate
from certificates.pdf import validate_pdf
from certificates.services import certificate_create
from creditapps import services
from creditapps.models import ApplicationEvent, CreditApplication, InfoRequest
from creditapps.tokens import info_request_token
from tests.creditapps.test_services import certificate_upload
from tests.form_tokens import form_token
from tests.pdf_factory import make_pdf

Status = CreditApplication.Status


@pytest.fixture
def certificate(customer, pdf_bytes) -> TaxExemptionCertificate:
    return certificate_create(
        customer=customer,
        upload=certificate_upload(pdf_bytes),
        source=TaxExemptionCertificate.Source.STAFF_UPLOAD,
    )


def scoped_urls(application, customer, certificate) -> list[tuple[str, str]]:
    """Every page about one record of the organization, with the HTTP method that reaches it."""
    pk = application.pk
    return [
        ("get", reverse("creditapps:application-detail", args=[pk])),
        ("post", reverse("creditapps:application-submit", args=[pk])),
        ("post", reverse("creditapps:application-start-review", args=[pk])),
        ("post", reverse("creditapps:application-assign", args=[pk])),
        ("get", reverse("creditapps:application-request-info", args=[pk])),
        ("get", reverse("creditapps:application-request-approval", args=[pk])),
        ("get", reverse("creditapps:application-approve", args=[pk])),
        ("get", reverse("creditapps:application-decline", args=[pk])),
        ("get", reverse("creditapps:customer-detail", args=[customer.pk])),
        ("get", reverse("creditapps:customer-edit", args=[customer.pk])),
        ("get", reverse("creditapps:certificate-upload", args=[customer.pk])),
        ("get", reverse("certificates:preview", args=[certificate.pk])),
        ("get", reverse("certificates:file", args=[certificate.pk])),
    ]


def staff_urls(application, customer, certificate) -> list[tuple[str, str]]:
    """Every page behind the login, with the HTTP method that reaches it."""
    return [
        *scoped_urls(application, customer, certificate),
        ("get", reverse("creditapps:application-list")),
        ("get", reverse("creditapps:customer-list")),
        ("get", reverse("creditapps:customer-create")),
        ("get", reverse("creditapps:reports")),
        ("get", reverse("settings")),
        ("get", reverse("team")),
        ("get", reverse("integrations:integrations")),
    ]


def test_anonymous_visitors_are_sent_to_log_in(client, application, customer, certificate):
    for method, url in staff_urls(application, customer, certificate):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_a_user_without_an_organization_is_refused(make_user, application, customer, certificate):
    lonely = make_user("lonely")
    client = Client()
    client.force_login(lonely)
    for method, url in staff_urls(application, customer, certificate):
        assert getattr(client, method)(url).status_code == 403, url


def test_another_organizations_records_are_not_found(
    outsider_client, application, customer, certificate
):
    for method, url in scoped_urls(application, customer, certificate):
        assert getattr(outsider_client, method)(url).status_code == 404, url
    for url in [
        reverse("creditapps:application-request-info", args=[application.pk]),
        reverse("creditapps:application-request-approval", args=[application.pk]),
        reverse("creditapps:application-approve", args=[application.pk]),
        reverse("creditapps:application-decline", args=[application.pk]),
        reverse("creditapps:application-resume-review", args=[application.pk]),
        reverse("creditapps:customer-edit", args=[customer.pk]),
        reverse("creditapps:certificate-upload", args=[customer.pk]),
    ]:
        response = outsider_client.post(
            url, {"items": ["other"], "comment": "x", "legal_name": "Hijacked"}
        )
        assert response.status_code == 404, url
    customer.refresh_from_db()
    assert customer.legal_name == "Lone Star Restaurant Supply LLC"
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.events.count() == 0


def test_another_organizations_applications_are_not_listed(
    outsider_client, application, make_customer, other_organization, make_application
):
    theirs = make_application(customer=make_customer(org=other_organization, legal_name="Rival Co"))

    response = outsider_client.get(reverse("creditapps:application-list"))

    assert list(response.context["page"].object_list) == [theirs]


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("creditapps:application-submit", "post"),
        ("creditapps:application-start-review", "post"),
        ("creditapps:application-request-info", "get"),
        ("creditapps:application-request-approval", "get"),
    ],
)
def test_analyst_actions_are_refused_to_approvers(approver_client, application, name, method):
    response = getattr(approver_client, method)(reverse(name, args=[application.pk]))

    assert response.status_code == 403
    assert application.events.count() == 0


@pytest.mark.parametrize(
    "name", ["creditapps:application-approve", "creditapps:application-decline"]
)
def test_decisions_are_refused_to_analysts(analyst_client, application, name):
    response = analyst_client.post(reverse(name, args=[application.pk]), {"comment": "x"})

    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_customer_changes_and_uploads_are_refused_to_approvers(approver_client, customer):
    assert approver_client.get(reverse("creditapps:customer-create")).status_code == 403
    assert (
        approver_client.post(
            reverse("creditapps:customer-edit", args=[customer.pk]), {"legal_name": "Hacked"}
        ).status_code
        == 403
    )
    assert (
        approver_client.get(
            reverse("creditapps:certificate-upload", args=[customer.pk])
        ).status_code
        == 403
    )
    customer.refresh_from_db()
    assert customer.legal_name == "Lone Star Restaurant Supply LLC"


def test_integrations_settings_are_only_for_admins(
    admin_client_member, analyst_client, approver_client
):
    url = reverse("integrations:integrations")
    assert admin_client_member.get(url).status_code == 200
    assert analyst_client.get(url).status_code == 403
    assert approver_client.get(url).status_code == 403
    assert analyst_client.get(reverse("settings"))["Location"] == reverse("team")


def test_application_list_filters_by_status_and_searches_customers(
    analyst_client, make_application, make_customer
):
    in_review = make_application(status=Status.IN_REVIEW)
    make_application(customer=make_customer(legal_name="Cascade Hardware Co."))

    by_status = analyst_client.get(reverse("creditapps:application-list"), {"status": "in_review"})
    by_search = analyst_client.get(reverse("creditapps:application-list"), {"q": "cascade"})

    assert list(by_status.context["page"].object_list) == [in_review]
    assert [a.customer.legal_name for a in by_search.context["page"].object_list] == [
        "Cascade Hardware Co."
    ]


def test_application_list_sorts_and_paginates(analyst_client, make_application, make_customer):
    for number in range(30):
        make_application(customer=make_customer(legal_name=f"Customer {number:02d}"))

    first = analyst_client.get(reverse("creditapps:application-list"), {"sort": "customer"})
    second = analyst_client.get(
        reverse("creditapps:application-list"), {"sort": "customer", "page": 2}
    )

    assert [a.customer.legal_name for a in first.context["page"].object_list][:2] == [
        "Customer 00",
        "Customer 01",
    ]
    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5
    next_link = re.search(r'href="([^"]+)" rel="next"', first.content.decode()).group(1)
    assert next_link == "?sort=customer&amp;page=2"
    followed = analyst_client.get(
        reverse("creditapps:application-list") + next_link.replace("&amp;", "&")
    )
    assert followed.context["page"].number == 2
    assert followed.context["page"].object_list[0].customer.legal_name == "Customer 25"


def test_application_list_filter_by_htmx_returns_only_the_results(analyst_client, application):
    response = analyst_client.get(
        reverse("creditapps:application-list"), {"status": "submitted"}, HTTP_HX_REQUEST="true"
    )

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results">')
    assert application.reference in body
    assert "<html" not in body


def test_application_list_queries_do_not_grow_with_rows(
    analyst_client, make_application, make_customer, django_assert_max_num_queries
):
    for number in range(20):
        make_application(customer=make_customer(legal_name=f"Customer {number:02d}"))

    # 8 for the list itself, 2 for the expiring-certificates card, 1 for the slots' connection,
    # 2 for the failed Avalara calls counted beside Reports.
    with django_assert_max_num_queries(13):
        response = analyst_client.get(reverse("creditapps:application-list"))

    assert len(response.context["page"].object_list) == 20


def test_customer_list_queries_do_not_grow_with_rows(
    analyst_client, make_customer, django_assert_max_num_queries
):
    for number in range(20):
        make_customer(legal_name=f"Customer {number:02d}")

    # 6 for the list, 2 for the failed Avalara calls counted beside Reports.
    with django_assert_max_num_queries(8):
        response = analyst_client.get(reverse("creditapps:customer-list"))

    assert len(response.context["page"].object_list) == 20


def test_application_list_empty_state(analyst_client):
    response = analyst_client.get(reverse("creditapps:application-list"))

    assert "No credit applications yet." in response.content.decode()


def test_application_page_shows_documents_timeline_sidebar_and_more_menu(
    analyst_client, application, certificate
):
    services.record_event(application=application, kind="submitted", actor_name="Maria (customer)")

    body = analyst_client.get(application.get_absolute_url()).content.decode()

    assert "Compliance &amp; Tax Documents" in body
    assert certificate.display_name in body
    assert f'href="{reverse("certificates:file", args=[certificate.pk])}" download' in body
    assert "Timeline" in body
    assert "Maria (customer)" in body
    assert "1200 E 5th St" in body
    assert 'popovertarget="more-menu"' in body
    assert "Request Info" in body
    assert "Start review" in body


def test_approvers_do_not_see_analyst_controls(approver_client, application):
    body = approver_client.get(application.get_absolute_url()).content.decode()

    assert "more-menu" not in body
    assert "Start review" not in body


def test_analyst_resumes_review_when_the_customer_does_not_answer(
    analyst, analyst_client, make_application
):
    application = make_application(status=Status.IN_REVIEW)
    services.application_request_info(
        member=analyst, application=application, items=[InfoRequest.Item.OTHER]
    )
    page = analyst_client.get(application.get_absolute_url()).content.decode()

    response = analyst_client.post(
        reverse("creditapps:application-resume-review", args=[application.pk]), follow=True
    )

    assert "Resume review without an answer" in page
    assert f"Review resumed on {application.reference}." in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW


def test_request_info_preselects_certificates_when_none_are_on_file(analyst_client, application):
    response = analyst_client.get(
        reverse("creditapps:application-request-info", args=[application.pk]),
        HTTP_HX_REQUEST="true",
    )

    assert response.context["form"].initial["items"] == [
        InfoRequest.Item.TAX_EXEMPTION_CERTIFICATES
    ]
    assert "<html" not in response.content.decode()


def test_request_info_does_not_preselect_certificates_when_some_are_on_file(
    analyst_client, application, certificate
):
    response = analyst_client.get(
        reverse("creditapps:application-request-info", args=[application.pk])
    )

    assert response.context["form"].initial["items"] == []


def test_request_info_from_the_dialog_sends_the_email_and_redirects(
    analyst_client, application, django_capture_on_commit_callbacks
):
    url = reverse("creditapps:application-request-info", args=[application.pk])
    token = form_token(analyst_client, url)
    with django_capture_on_commit_callbacks(execute=True):
        response = analyst_client.post(
            url,
            {
                "form_token": token,
                "items": ["tax_exemption_certificates"],
                "recipient_email": "ap@lonestar.example",
                "message": "Thanks!",
            },
            HTTP_HX_REQUEST="true",
        )

    assert response.status_code == 200
    assert response["HX-Redirect"] == application.get_absolute_url()
    application.refresh_from_db()
    assert application.status == Status.INFO_REQUESTED
    assert mail.outbox[0].to == ["ap@lonestar.example"]


def test_request_info_with_nothing_chosen_shows_the_error_in_the_dialog(
    analyst_client, application
):
    response = analyst_client.post(
        reverse("creditapps:application-request-info", args=[application.pk]),
        {"recipient_email": "ap@lonestar.example"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert "Choose what the customer should send" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_refused_transition_is_explained_to_the_user(analyst_client, make_application):
    approved = make_application(
        status=Status.APPROVED, approved_credit_limit=1000, approved_terms="net_30"
    )

    response = analyst_client.post(
        reverse("creditapps:application-start-review", args=[approved.pk]), follow=True
    )

    assert "is approved; this action needs it to be submitted" in response.content.decode()


def test_approver_approves_from_the_dialog(analyst, approver_client, make_application):
    application = make_application(status=Status.IN_REVIEW)
    services.application_request_approval(member=analyst, application=application)

    response = approver_client.post(
        reverse("creditapps:application-approve", args=[application.pk]),
        {"credit_limit": "45000", "terms": "net_60", "comment": ""},
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert str(application.approved_credit_limit) == "45000.00"


def test_certificate_preview_is_page_images_and_download_the_original_bytes(
    analyst_client, certificate, pdf_bytes
):
    preview = analyst_client.get(reverse("certificates:preview", args=[certificate.pk]))
    download = analyst_client.get(reverse("certificates:file", args=[certificate.pk]))
    page = analyst_client.get(reverse("certificates:page-image", args=[certificate.pk, 2]))

    html = preview.content.decode()
    assert html.count('<img src="/certificates/') == certificate.page_count == 2
    assert 'alt="Page 2 of 2 of Texas resale certificate"' in html
    assert "<iframe" not in html
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="Texas resale certificate.pdf"'
    assert b"".join(download.streaming_content) == pdf_bytes
    assert download["X-Content-Type-Options"] == "nosniff"
    assert page["Content-Type"] == "image/png"
    assert page.content.startswith(b"\x89PNG")


def test_page_images_are_drawn_once_and_stay_in_the_organization(
    analyst_client, outsider_client, certificate, monkeypatch
):
    from certificates import previews

    url = reverse("certificates:page-image", args=[certificate.pk, 1])
    drawn = []
    real_render = previews.render_page
    monkeypatch.setattr(
        previews, "render_page", lambda pdf, **kw: drawn.append(kw) or real_render(pdf, **kw)
    )

    first = analyst_client.get(url)
    second = analyst_client.get(url)
    thumbnail = analyst_client.get(url, {"size": "thumbnail"})

    assert first.content == second.content
    assert drawn == [{"page": 1, "width": 900}, {"page": 1, "width": 96}]
    assert len(thumbnail.content) < len(first.content)
    assert outsider_client.get(url).status_code == 404
    assert (
        analyst_client.get(reverse("certificates:page-image", args=[certificate.pk, 3])).status_code
        == 404
    )


def test_analyst_uploads_a_certificate_from_the_application(analyst_client, application):
    content = make_pdf(text="Oklahoma sales tax exemption")

    url = reverse("creditapps:certificate-upload", args=[application.customer_id])
    response = analyst_client.post(
        url,
        {
            "form_token": form_token(analyst_client, url),
            "application": application.pk,
            "file": _upload(content, "ok-permit.pdf"),
            "exempt_regions": ["OK"],
            "exemption_reason": "RESALE",
            "effective_date": "2026-03-01",
        },
    )

    assert response.status_code == 302
    certificate = application.customer.certificates.get()
    assert certificate.original_filename == "ok-permit.pdf"
    assert certificate.uploaded_by.username == "analyst"
    assert application.events.get().kind == ApplicationEvent.Kind.CERTIFICATE_ADDED


def test_upload_of_a_non_pdf_shows_a_clear_message(analyst_client, customer):
    response = analyst_client.post(
        reverse("creditapps:certificate-upload", args=[customer.pk]),
        {
            "file": _upload(b"<html>not a pdf</html>", "cert.pdf"),
            "exempt_regions": ["TX"],
            "exemption_reason": "RESALE",
            "effective_date": "2026-03-01",
        },
    )

    assert response.status_code == 200
    assert "This file is not a PDF." in response.content.decode()
    assert customer.certificates.count() == 0


def test_upload_of_the_same_file_twice_is_refused(analyst_client, customer, certificate, pdf_bytes):
    url = reverse("creditapps:certificate-upload", args=[customer.pk])
    response = analyst_client.post(
        url,
        {
            "form_token": form_token(analyst_client, url),
            "file": _upload(pdf_bytes, "again.pdf"),
            "exempt_regions": ["TX"],
            "exemption_reason": "RESALE",
            "effective_date": "2026-03-01",
        },
    )

    assert "This file is already on file for this customer." in response.content.decode()
    assert customer.certificates.count() == 1


def test_single_use_certificate_needs_a_po_number(analyst_client, customer):
    response = analyst_client.post(
        reverse("creditapps:certificate-upload", args=[customer.pk]),
        {
            "file": _upload(make_pdf(), "single.pdf"),
            "exempt_regions": ["TX"],
            "exemption_reason": "RESALE",
            "effective_date": "2026-03-01",
            "is_single_use": "on",
        },
    )

    assert "A single-use certificate needs the PO number it covers." in response.content.decode()
    assert customer.certificates.count() == 0


def _upload(content: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_customer_edit_saves_through_the_service(analyst_client, customer):
    response = analyst_client.post(
        reverse("creditapps:customer-edit", args=[customer.pk]),
        {
            "legal_name": "Lone Star Supply LLC",
            "address_line1": "1 Main St",
            "city": "Dallas",
            "region": "TX",
            "postal_code": "75201",
            "country": "US",
            "ship_to_states": ["TX", "OK"],
        },
    )

    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.legal_name, customer.city, customer.ship_to_states) == (
        "Lone Star Supply LLC",
        "Dallas",
        ["TX", "OK"],
    )


def test_reports_count_applications_and_missing_certificates(
    analyst_client, make_application, certificate, make_customer
):
    make_application(status=Status.IN_REVIEW)
    without = make_application(customer=make_customer(legal_name="No Certs Inc."))

    report = analyst_client.get(reverse("creditapps:reports")).context["report"]

    assert dict(report.status_counts)["In review"] == 1
    assert dict(report.status_counts)["Submitted"] == 1
    assert report.open_without_certificates == [without]


# Public pages


def test_public_form_is_reached_by_the_organizations_link(client, organization):
    response = client.get(organization.get_public_form_url())

    assert response.status_code == 200
    assert "Apply for credit with Acme Supply Co." in response.content.decode()


def test_public_form_with_an_unknown_link_is_not_found(client, db):
    url = reverse("creditapps:public-apply", args=["00000000-0000-0000-0000-000000000000"])

    assert client.get(url).status_code == 404


def _public_form_data(**extra) -> dict:
    data = {
        "customer-legal_name": "Cascade Hardware Co.",
        "customer-contact_name": "Ben Okafor",
        "customer-email": "ben@cascade.example",
        "customer-address_line1": "88 Pike St",
        "customer-city": "Seattle",
        "customer-region": "WA",
        "customer-postal_code": "98101",
        "customer-country": "US",
        "terms-requested_credit_limit": "25000",
        "terms-requested_terms": "net_45",
        "references-TOTAL_FORMS": "3",
        "references-INITIAL_FORMS": "0",
        "references-0-company_name": "Evergreen Tools",
        "certificates-TOTAL_FORMS": "2",
        "certificates-INITIAL_FORMS": "0",
    }
    return {**data, **extra}


def test_customer_applies_with_a_certificate(client, organization):
    content = make_pdf(text="Washington reseller permit")
    url = organization.get_public_form_url()

    response = client.post(
        url,
        _public_form_data(
            **{
                "form_token": form_token(client, url),
                "certificates-0-file": _upload(content, "wa-reseller.pdf"),
                "certificates-0-exempt_regions": ["WA"],
                "certificates-0-exemption_reason": "RESALE",
                "certificates-0-effective_date": "2026-01-01",
            }
        ),
    )

    assert response.status_code == 302
    application = CreditApplication.objects.get()
    assert application.status == Status.SUBMITTED
    assert application.customer.certificates.get().original_filename == "wa-reseller.pdf"
    assert [r.company_name for r in application.trade_references.all()] == ["Evergreen Tools"]
    thanks = client.get(response["Location"])
    assert application.reference in thanks.content.decode()


def test_public_form_refuses_a_password_protected_pdf_with_a_clear_message(client, organization):
    from tests.pdf_factory import make_encrypted_pdf

    response = client.post(
        organization.get_public_form_url(),
        _public_form_data(
            **{
                "certificates-0-file": _upload(make_encrypted_pdf(), "locked.pdf"),
                "certificates-0-exempt_regions": ["WA"],
                "certificates-0-exemption_reason": "RESALE",
                "certificates-0-effective_date": "2026-01-01",
            }
        ),
    )

    assert response.status_code == 200
    assert "password-protected" in response.content.decode()
    assert CreditApplication.objects.count() == 0


def test_public_form_refuses_more_certificates_than_allowed_without_reading_them(
    client, organization
):
    data = _public_form_data(**{"certificates-TOTAL_FORMS": "40"})
    for index in range(40):
        data[f"certificates-{index}-file"] = _upload(make_pdf(text=str(index)), f"{index}.pdf")

    with mock.patch("certificates.forms.validate_pdf", wraps=validate_pdf) as checked:
        response = client.post(organization.get_public_form_url(), data)

    assert "Please submit at most 10 forms." in response.content.decode()
    assert checked.call_count <= 10
    assert CreditApplication.objects.count() == 0


def test_public_form_refuses_more_trade_references_than_allowed(client, organization):
    data = _public_form_data(**{"references-TOTAL_FORMS": "50"})
    for index in range(50):
        data[f"references-{index}-company_name"] = f"Supplier {index}"

    response = client.post(organization.get_public_form_url(), data)

    assert response.status_code == 200
    assert CreditApplication.objects.count() == 0


def test_an_oversized_request_is_refused_before_it_is_read(client, organization, settings):
    settings.NUVO_MAX_REQUEST_BYTES = 1000
    data = _public_form_data(**{"certificates-0-file": _upload(b"%PDF-" + b"0" * 5000, "a.pdf")})

    response = client.post(organization.get_public_form_url(), data)

    assert response.status_code == 413
    assert CreditApplication.objects.count() == 0


def test_public_form_refuses_the_same_file_twice_in_one_submission(client, organization):
    content = make_pdf(text="twice")
    fields = {
        "exempt_regions": ["WA"],
        "exemption_reason": "RESALE",
        "effective_date": "2026-01-01",
    }
    data = _public_form_data()
    for index in (0, 1):
        data[f"certificates-{index}-file"] = _upload(content, f"copy{index}.pdf")
        data.update({f"certificates-{index}-{k}": v for k, v in fields.items()})

    response = client.post(organization.get_public_form_url(), data)

    assert "This file was added twice." in response.content.decode()
    assert CreditApplication.objects.count() == 0


@pytest.fixture
def info_request(analyst, make_application) -> InfoRequest:
    application = make_application(status=Status.IN_REVIEW)
    return services.application_request_info(
        member=analyst,
        application=application,
        items=[InfoRequest.Item.TAX_EXEMPTION_CERTIFICATES],
        message="Please upload your Texas resale certificate.",
    )


def test_customer_answers_the_request_from_the_emailed_link(client, info_request):
    url = reverse("creditapps:info-request-respond", args=[info_request_token(info_request)])

    page = client.get(url)
    response = client.post(
        url,
        {
            "message": "Attached.",
            "certificates-TOTAL_FORMS": "2",
            "certificates-INITIAL_FORMS": "0",
            "certificates-0-file": _upload(make_pdf(text="TX"), "tx.pdf"),
            "certificates-0-exempt_regions": ["TX"],
            "certificates-0-exemption_reason": "RESALE",
            "certificates-0-effective_date": "2026-02-01",
            "certificates-0-tax_id": "32012345678",
        },
    )

    assert "Please upload your Texas resale certificate." in page.content.decode()
    assert response.status_code == 302
    done = client.get(url)
    assert "we received your information" in done.content.decode()
    application = info_request.application
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    assert application.customer.certificates.get().tax_id == "32012345678"


def test_a_tampered_link_is_refused(client, info_request):
    token = info_request_token(info_request)
    tampered = re.sub(r".$", lambda m: "A" if m.group() != "A" else "B", token)

    response = client.get(reverse("creditapps:info-request-respond", args=[tampered]))

    assert response.status_code == 404
    assert "This link is no longer valid" in response.content.decode()


def test_an_expired_link_is_refused(client, info_request, settings):
    token = info_request_token(info_request)
    settings.NUVO_INFO_REQUEST_MAX_AGE_DAYS = 0

    response = client.get(reverse("creditapps:info-request-respond", args=[token]))

    assert response.status_code == 410
    assert "This link is no longer valid" in response.content.decode()


def test_a_link_past_its_expiry_date_cannot_be_answered(client, info_request):
    InfoRequest.objects.filter(pk=info_request.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    url = reverse("creditapps:info-request-respond", args=[info_request_token(info_request)])

    response = client.post(
        url, {"message": "Late", "certificates-TOTAL_FORMS": "0", "certificates-INITIAL_FORMS": "0"}
    )

    assert response.status_code == 410
    assert "This link is no longer valid" in response.content.decode()
    info_request.refresh_from_db()
    assert info_request.responded_at is None


@pytest.mark.parametrize("url_name", ["creditapps:application-list", "avalara:failed-api-calls"])
def test_filter_labels_carry_no_trailing_colon(admin_client_member, url_name):
    html = admin_client_member.get(reverse(url_name)).content.decode()

    labels = re.findall(r"<label[^>]*>([^<]*)</label>", html)
    assert labels
    assert [label for label in labels if label.rstrip().endswith(":")] == []
