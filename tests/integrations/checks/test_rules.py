"""One test per CertCapture API error: the rule, its message verbatim, and where to fix it."""

from datetime import date

import pytest

from certificates.reasons import ExemptionReason
from integrations.checks import check_certificate, check_customer, rules
from integrations.checks.rules import SST_FULL_MEMBERS
from integrations.checks.run import known_cells
from integrations.models import AvalaraDefinitions, ReasonRegionRule
from tests.integrations.sending.helpers import add_certificate

COMBINATION = "(Invalid ExemptReasonId and region combination)"

CODE = "NUVO_8c1e"


def messages(problems) -> list[str]:
    return [problem.message for problem in problems]


@pytest.mark.parametrize(
    ("changes", "message", "field"),
    [
        (
            {"legal_name": ""},
            "CustomerName is required. (This value must be specified.)",
            "legal_name",
        ),
        (
            {"address_line1": ""},
            f"The certificate customer({CODE}) doesn't contain an address.",
            "address_line1",
        ),
        (
            {"address_line1": "x" * 51},
            "Address1 length must be between 1 and 50 characters.",
            "address_line1",
        ),
        (
            {"address_line2": "y" * 51},
            "The Address Line 2 field is too long for at least one of the customers linked to the "
            "certificate.",
            "address_line2",
        ),
        ({"city": ""}, f"The certificate customer({CODE}) doesn't contain a city.", "city"),
        ({"region": ""}, "Region is required. (This value must be specified.)", "region"),
        (
            {"postal_code": ""},
            f"The certificate customer({CODE}) doesn't contain a zip.",
            "postal_code",
        ),
        (
            {"country": ""},
            f"The certificate customer({CODE}) isn't associated to a country.",
            "country",
        ),
    ],
)
def test_each_customer_rule_has_certcaptures_message_and_links_to_the_field(
    make_customer, changes, message, field
):
    customer = make_customer(**changes)

    (problem,) = check_customer(customer, customer_code=CODE)

    assert problem.message == message
    assert problem.field == field
    assert problem.fix_url == f"/customers/{customer.pk}/edit/?focus={field}#id_{field}"
    assert problem.meaning


def test_a_complete_customer_has_no_problem(customer):
    assert check_customer(customer, customer_code=CODE) == []


def test_a_single_use_certificate_needs_its_po_number(customer):
    certificate = add_certificate(customer, is_single_use=True, po_number="PO-1")
    certificate.po_number = ""

    (problem,) = check_certificate(certificate)

    assert problem.message == "DocumentRefNo is required. (This value must be specified.)"
    assert problem.fix_url == f"/certificates/{certificate.pk}/edit/?focus=po_number#id_po_number"


def test_a_streamlined_sales_tax_state_needs_the_certificates_own_tax_id(customer):
    assert "WA" in SST_FULL_MEMBERS
    assert "TX" not in SST_FULL_MEMBERS
    assert "TN" not in SST_FULL_MEMBERS  # an associate member: unknown never blocks
    certificate = add_certificate(customer, regions=["TX", "WA", "TN"], tax_id="")

    (problem,) = check_certificate(certificate)

    assert problem.message == "ExemptCertDetail.IdNo is required."
    assert (problem.field, problem.region) == ("tax_id", "WA")


def test_a_reason_the_account_lacks(customer, connected):
    definitions = AvalaraDefinitions.objects.get()
    definitions.exemption_reasons = ["AGRICULTURE"]
    certificate = add_certificate(customer)

    assert messages(check_certificate(certificate, definitions=definitions)) == [
        "Certificate exempt reason doesn't exist in AvaTaxCalcApi."
    ]


@pytest.mark.parametrize(
    ("reason", "regions", "refused"),
    [
        (
            ExemptionReason.FEDERAL_GOV,
            ["TX", "ON"],
            "Reason Code A isn't exempt in region(s): ON. " + COMBINATION,
        ),
        (
            ExemptionReason.LOCAL_GOVERNMENT,
            ["BC"],
            "Reason Code N isn't exempt in region(s): BC. " + COMBINATION,
        ),
        (
            ExemptionReason.NON_RESIDENT,
            ["TX", "OK"],
            "Reason Code R isn't exempt in region(s): OK, TX. " + COMBINATION,
        ),
    ],
)
def test_country_scoped_reasons_hold_only_in_their_country(customer, reason, regions, refused):
    certificate = add_certificate(customer, regions=regions, reason=reason)

    assert messages(check_certificate(certificate)) == [refused]


def test_the_organizations_matrix_blocks_what_it_knows_and_nothing_else(customer, organization):
    ReasonRegionRule.objects.create(
        organization=organization,
        exemption_reason="RESALE",
        region="OK",
        exempt=False,
        source=ReasonRegionRule.Source.MANUAL,
    )
    ReasonRegionRule.objects.create(
        organization=organization,
        exemption_reason="RESALE",
        region="TX",
        exempt=True,
        source=ReasonRegionRule.Source.MANUAL,
    )
    known = known_cells(organization)

    blocked = add_certificate(customer, regions=["TX", "OK"])
    unknown = add_certificate(customer, regions=["AZ"], text="Arizona")

    assert messages(check_certificate(blocked, known=known)) == [
        "Reason Code G isn't exempt in region(s): OK. " + COMBINATION
    ]
    assert check_certificate(unknown, known=known) == []


def test_a_future_effective_date_is_no_problem(customer):
    certificate = add_certificate(customer, effective=date(2099, 1, 1))

    assert check_certificate(certificate) == []


@pytest.mark.parametrize(
    ("rule", "message", "matches"),
    [
        (rules.REASON_NOT_EXEMPT_IN_REGION, "Reason Code G isn't exempt in region(s): OK.", True),
        (
            rules.REASON_NOT_EXEMPT_IN_REGION,
            "Reason Code G isn't exempt in region(s): OK, TX. " + COMBINATION,
            True,
        ),
        (rules.REGION_MISSING, "Region is required.", True),
        (rules.REGION_MISSING, "ShipToRegion is required. (This value must be specified.)", False),
        (rules.ZIP_MISSING, "The certificate customer(NUVO_1) doesn't contain a zip.", True),
        (rules.ZIP_MISSING, "The certificate customer(NUVO_1) doesn't contain a zipcode.", False),
        (
            rules.PO_NUMBER_MISSING,
            "DocumentRefNo is required. (This value must be specified.)",
            True,
        ),
        (rules.PO_NUMBER_MISSING, "DocumentRefNo is required.", True),
    ],
)
def test_avalaras_refusal_is_a_rules_only_when_the_whole_message_is(rule, message, matches):
    assert rule.matches(message) is matches
