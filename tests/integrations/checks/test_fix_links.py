"""“Fix it” links: who sees them, and how they bring the user back to where they were."""

from django.urls import reverse

from creditapps.models import CreditApplication
from integrations.models import AvalaraCertificate
from nuvo.templatetags.nuvo import with_next
from tests.integrations.sending.helpers import add_certificate

State = AvalaraCertificate.State
IN_REVIEW = CreditApplication.Status.IN_REVIEW


def test_next_goes_into_the_query_string_before_the_fragment():
    assert with_next("/c/1/edit/?focus=city#id_city", "/applications/7/") == (
        "/c/1/edit/?focus=city&next=%2Fapplications%2F7%2F#id_city"
    )
    assert with_next("/c/1/edit/", "/r/?a=1&b=2") == "/c/1/edit/?next=%2Fr%2F%3Fa%3D1%26b%3D2"
    assert with_next("/c/1/edit/#x", "") == "/c/1/edit/#x"


def test_the_certificate_fix_returns_to_the_application_it_came_from(
    analyst_client, application, connected
):
    certificate = add_certificate(application.customer, regions=["WA"], tax_id="")
    back = application.get_absolute_url()
    edit = reverse("certificates:edit", args=[certificate.pk])

    page = analyst_client.get(application.get_absolute_url()).content.decode()
    assert with_next(f"{edit}?focus=tax_id#id_tax_id", back).replace("&", "&amp;") in page
    form = analyst_client.get(edit, {"focus": "tax_id", "next": back}).content.decode()
    assert f'name="next" value="{back}"' in form
    fields = {
        "exempt_regions": ["WA"],
        "exemption_reason": "RESALE",
        "effective_date": "2026-01-15",
        "tax_id": "601-234-567",
    }

    saved = analyst_client.post(edit, {**fields, "next": back})
    elsewhere = analyst_client.post(edit, {**fields, "next": "https://evil.example/"})

    assert saved.url == back
    assert elsewhere.url == application.customer.get_absolute_url()


def test_admins_may_fix_what_a_check_found_and_approvers_see_no_fix_link(
    admin_client_member, approver_client, make_application, customer, connected
):
    certificate = add_certificate(customer, regions=["WA"], tax_id="")
    application = make_application(status=IN_REVIEW)
    edit_certificate = reverse("certificates:edit", args=[certificate.pk])
    edit_customer = reverse("creditapps:customer-edit", args=[customer.pk])

    assert admin_client_member.get(edit_certificate).status_code == 200
    assert admin_client_member.get(edit_customer).status_code == 200
    assert approver_client.get(edit_certificate).status_code == 403
    approver_page = approver_client.get(application.get_absolute_url()).content.decode()
    admin_page = admin_client_member.get(application.get_absolute_url()).content.decode()
    assert "Fix it" in admin_page
    assert "Fix it" not in approver_page
    assert "Before sending to Avalara" in approver_page  # the problem itself is still shown


def test_approvers_see_the_last_send_without_a_link_to_a_dialog_they_may_not_open(
    analyst, approver_client, make_application, customer, connected, send
):
    add_certificate(customer, regions=["TX"])
    latest = send(analyst, customer)
    page = approver_client.get(make_application(status=IN_REVIEW).get_absolute_url())

    html = page.content.decode()
    assert "Last send" in html
    progress = reverse("avalara:send-progress", args=[latest.pk])
    assert progress not in html
    assert approver_client.get(progress).status_code == 403
