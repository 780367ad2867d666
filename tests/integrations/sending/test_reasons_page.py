"""Settings > Integrations > Exemption reasons: admins map Nuvo's reasons to the account's names."""

from django.urls import reverse

from integrations.models import AvalaraDefinitions, ExemptionReasonMapping

URL = "integrations:avalara-reasons"


def test_only_admins_see_the_reason_mapping(analyst_client, admin_client_member, connected):
    assert analyst_client.get(reverse(URL)).status_code == 403
    page = admin_client_member.get(reverse(URL)).content.decode()
    assert "Exemption reasons in Avalara" in page
    assert "Same name (RESALE)" in page


def test_a_reason_the_account_lacks_is_flagged_until_an_admin_names_it(
    admin_client_member, connected
):
    definitions = AvalaraDefinitions.objects.get()
    definitions.exemption_reasons = ["RESALE", "MANUFACTURING"]
    definitions.save()
    page = admin_client_member.get(reverse(URL)).content.decode()
    assert page.count("Not in this account") == 16

    response = admin_client_member.post(
        reverse(URL), {"INDUSTRIAL PROD/MANUFACTURERS": "MANUFACTURING"}
    )

    assert response.status_code == 302
    mapping = ExemptionReasonMapping.objects.get()
    assert (mapping.nuvo_reason, mapping.avalara_reason) == (
        "INDUSTRIAL PROD/MANUFACTURERS",
        "MANUFACTURING",
    )
    page = admin_client_member.get(reverse(URL)).content.decode()
    assert page.count('<span class="status status-error">Not sent</span>') == 15


def test_reading_the_lists_again_asks_avalara(admin_client_member, connected, simulator):
    response = admin_client_member.post(reverse("integrations:avalara-reasons-refresh"))

    assert response.status_code == 302
    assert simulator.state.count("ListCertificateExemptReasons") == 1
    assert simulator.state.count("ListCertificateExposureZones") == 1
