"""The public credit application and the Request Info page after a refused submit: one error
summary over every form, messages that say what to do, "(optional)" rather than stars, the
tax-exempt question, and blocks added one at a time."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from creditapps import services
from creditapps.models import CreditApplication, InfoRequest
from creditapps.tokens import info_request_token
from tests.form_tokens import public_apply_token
from tests.pdf_factory import make_pdf

Status = CreditApplication.Status

FILLED = {
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
    "references-TOTAL_FORMS": "1",
    "references-INITIAL_FORMS": "0",
    "certificates-TOTAL_FORMS": "1",
    "certificates-INITIAL_FORMS": "0",
}
CERTIFICATE = {
    "certificates-0-exempt_regions": ["WA"],
    "certificates-0-exemption_reason": "RESALE",
    "certificates-0-effective_date": "2026-01-01",
}


def pdf_upload(name: str = "wa-resale.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, make_pdf(text=name), content_type="application/pdf")


def post_form(client, organization, **fields):
    data = {**FILLED, "form_token": public_apply_token(organization), **fields}
    return client.post(organization.get_public_form_url(), data)


def summary_links(html: str) -> list[tuple[str, str]]:
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert summary, "no error summary"
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary.group(0))


def test_a_refused_application_lists_every_error_at_the_top_linked_to_its_field(
    client, organization
):
    response = post_form(
        client,
        organization,
        **{
            "customer-legal_name": "",
            "customer-email": "not-an-email",
            "terms-requested_credit_limit": "lots",
            "references-0-contact_name": "Dana",
            "tax_exempt": "yes",
            "certificates-0-file": pdf_upload(),
            "certificates-0-effective_date": "2026-02-30",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Apply for credit with Acme Supply Co. · Nuvo</title>" in html
    assert html.index('class="error-summary"') < html.index("<h1>")
    assert 'role="alert" tabindex="-1" aria-labelledby="error-summary-title"' in html
    assert html.count('role="alert"') == 1
    assert summary_links(html) == [
        ("id_customer-legal_name", "Enter your business&#x27;s legal name"),
        (
            "id_customer-email",
            "Enter an email address in the correct format, like name@example.com",
        ),
        ("id_terms-requested_credit_limit", "Enter the credit limit as a number, like 25000"),
        ("id_references-0-company_name", "Enter the name of the company you buy from"),
        (
            "id_certificates-0-exempt_regions",
            "Choose the states or provinces the certificate covers",
        ),
        (
            "id_certificates-0-exemption_reason",
            "Choose the exemption reason printed on the certificate",
        ),
        (
            "id_certificates-0-effective_date",
            "Enter the effective date as a real date, like 2026-03-01",
        ),
    ]
    assert CreditApplication.objects.count() == 0


def test_each_required_field_of_the_public_form_says_what_to_enter(client, organization):
    empty = {name: "" for name in FILLED if not name.endswith("_FORMS")}

    html = post_form(client, organization, **empty).content.decode()

    messages = [message for _, message in summary_links(html)]
    assert messages == [
        "Enter your business&#x27;s legal name",
        "Enter the name of the person we should contact",
        "Enter the email address we should write to",
        "Enter the first line of your business address",
        "Enter the city or town of your business address",
        "Choose the state or province of your business address",
        "Enter the ZIP or postal code of your business address",
        "Enter the credit limit you are asking for",
        "Choose the payment terms you are asking for",
    ]
    assert "This field is required." not in html


def test_a_certificate_block_says_what_is_missing_from_it(client, organization):
    html = post_form(
        client, organization, tax_exempt="yes", **{"certificates-0-po_number": "PO-1"}
    ).content.decode()

    assert [message for _, message in summary_links(html)] == [
        "Choose a PDF of the certificate",
        "Choose the states or provinces the certificate covers",
        "Choose the exemption reason printed on the certificate",
        "Enter the effective date printed on the certificate",
    ]


def test_the_field_messages_stay_beside_their_fields_but_only_the_summary_is_an_alert(
    client, organization
):
    html = post_form(client, organization, **{"customer-city": ""}).content.decode()

    assert (
        '<small class="error" id="id_customer-city_error">'
        '<span class="visually-hidden">Error: </span>'
        "Enter the city or town of your business address</small>"
    ) in html
    assert html.count('role="alert"') == 1


def test_a_refusal_that_belongs_to_no_field_is_in_the_summary(client, organization):
    response = client.post(organization.get_public_form_url(), {**FILLED, "form_token": "stale"})

    html = response.content.decode()
    assert "<title>Error: " in html
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    assert "<li>This form is out of date. Check your answers and send it again.</li>" in summary
    assert CreditApplication.objects.count() == 0


def test_the_first_visit_has_no_summary_and_no_error_title(client, organization):
    html = client.get(organization.get_public_form_url()).content.decode()

    assert "<title>Apply for credit with Acme Supply Co. · Nuvo</title>" in html
    assert "error-summary" not in html


def test_optional_fields_say_so_and_nothing_is_starred(client, organization):
    html = client.get(organization.get_public_form_url()).content.decode()

    assert 'class="req"' not in html
    assert "Fields marked" not in html
    for optional in ["DBA", "Phone", "Address line 2", "Bank name", "Contact", "PO number"]:
        assert f'{optional} <span class="optional">(optional)</span></label>' in html, optional
    assert 'Company <span class="optional">' not in html
    assert 'Legal name <span class="optional">' not in html
    assert 'Effective (signed) date <span class="optional">' not in html


def test_the_form_asks_whether_purchases_are_tax_exempt_before_the_certificates(
    client, organization
):
    html = client.get(organization.get_public_form_url()).content.decode()

    assert "<legend>Are your purchases tax-exempt?</legend>" in html
    assert 'name="tax_exempt" value="yes"' in html
    assert 'name="tax_exempt" value="no"' in html
    assert html.index("Are your purchases tax-exempt?") < html.index(
        'data-reveal-when="tax_exempt=yes"'
    )
    assert html.index('data-reveal-when="tax_exempt=yes"') < html.index("id_certificates-0-file")


def test_no_to_tax_exempt_ignores_the_certificate_blocks(client, organization):
    response = post_form(
        client,
        organization,
        tax_exempt="no",
        **{"certificates-0-file": pdf_upload(), "certificates-0-exemption_reason": "RESALE"},
    )

    assert response.status_code == 302
    application = CreditApplication.objects.get()
    assert application.customer.certificates.count() == 0


def test_yes_to_tax_exempt_needs_a_certificate(client, organization):
    response = post_form(client, organization, tax_exempt="yes")

    html = response.content.decode()
    assert summary_links(html) == [
        (
            "id_certificates-0-file",
            "Choose a PDF of your exemption certificate, or answer No to "
            "\u201cAre your purchases tax-exempt?\u201d",
        )
    ]
    assert CreditApplication.objects.count() == 0


def test_yes_to_tax_exempt_with_a_certificate_files_it(client, organization):
    response = post_form(
        client,
        organization,
        tax_exempt="yes",
        **{"certificates-0-file": pdf_upload()},
        **CERTIFICATE,
    )

    assert response.status_code == 302
    certificate = CreditApplication.objects.get().customer.certificates.get()
    assert certificate.original_filename == "wa-resale.pdf"


def test_unanswered_tax_question_with_a_filled_certificate_counts_as_yes(client, organization):
    response = post_form(
        client, organization, **{"certificates-0-file": pdf_upload()}, **CERTIFICATE
    )

    assert response.status_code == 302
    assert CreditApplication.objects.get().customer.certificates.count() == 1


def test_references_and_certificates_start_with_one_block_and_an_add_another_button(
    client, organization
):
    html = client.get(organization.get_public_form_url()).content.decode()

    assert 'name="references-TOTAL_FORMS" value="1"' in html
    assert 'name="certificates-TOTAL_FORMS" value="1"' in html
    for prefix, name in [("references", "reference"), ("certificates", "certificate")]:
        button = f'name="add_block" value="{prefix}" formnovalidate data-formset-add>'
        assert f"{button}Add another {name}</button>" in html
    # The empty block script copies, named for the formset's next index.
    assert 'name="references-__prefix__-company_name"' in html
    assert "Reference <span data-formset-number>2</span>" not in html


def test_add_another_without_script_comes_back_with_one_more_block_and_what_was_typed(
    client, organization
):
    response = post_form(
        client,
        organization,
        add_block="references",
        **{"references-0-company_name": "Evergreen Tools", "customer-legal_name": ""},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="references-TOTAL_FORMS" value="2"' in html
    assert 'name="references-0-company_name" value="Evergreen Tools"' in html
    assert 'name="references-1-company_name"' in html
    assert "error-summary" not in html  # not sent yet: nothing to correct
    assert "<title>Apply for credit" in html
    assert CreditApplication.objects.count() == 0


def test_add_another_stops_at_the_cap(client, organization):
    cap = 5
    data = {"references-TOTAL_FORMS": str(cap), "add_block": "references"}

    html = post_form(client, organization, **data).content.decode()

    assert f'name="references-TOTAL_FORMS" value="{cap}"' in html
    assert "data-formset-add hidden>Add another reference</button>" in html


@pytest.fixture
def info_request(analyst, make_application) -> InfoRequest:
    return services.application_request_info(
        member=analyst,
        application=make_application(status=Status.IN_REVIEW),
        items=[InfoRequest.Item.TAX_EXEMPTION_CERTIFICATES],
    )


def test_a_refused_request_info_answer_has_the_summary_and_the_error_title(client, info_request):
    url = reverse("creditapps:info-request-respond", args=[info_request_token(info_request)])

    response = client.post(
        url,
        {
            "message": "x" * 4001,
            "certificates-TOTAL_FORMS": "1",
            "certificates-INITIAL_FORMS": "0",
            "certificates-0-exempt_regions": ["TX"],
        },
    )

    html = response.content.decode()
    assert "<title>Error: Information requested by Acme Supply Co. · Nuvo</title>" in html
    assert [field for field, _ in summary_links(html)] == [
        "id_certificates-0-file",
        "id_certificates-0-exemption_reason",
        "id_certificates-0-effective_date",
        "id_message",
    ]
    assert html.count('role="alert"') == 1
    assert info_request.application.customer.certificates.count() == 0


def test_add_another_certificate_on_the_request_info_page_without_script(client, info_request):
    url = reverse("creditapps:info-request-respond", args=[info_request_token(info_request)])

    response = client.post(
        url,
        {
            "message": "Two coming",
            "certificates-TOTAL_FORMS": "1",
            "certificates-INITIAL_FORMS": "0",
            "certificates-0-exempt_regions": ["TX"],
            "add_block": "certificates",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="certificates-TOTAL_FORMS" value="2"' in html
    assert 'name="certificates-1-file"' in html
    assert re.search(r'name="certificates-0-exempt_regions" value="TX"[^>]*checked', html)
    assert "error-summary" not in html
    info_request.refresh_from_db()
    assert info_request.responded_at is None
