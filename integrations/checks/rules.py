"""The rules, with CertCapture's messages verbatim ("Fix CertCapture API errors", 14 Aug 2025)."""

import re
from dataclasses import dataclass

# Streamlined Sales Tax full member states (shared/avatax/sst-member-states.json). Whether the
# rule covers associate member Tennessee is not stated anywhere stored, and an unknown never
# blocks, so Tennessee is left out.
SST_FULL_MEMBERS = frozenset(
    [
        "AR",
        "GA",
        "IN",
        "IA",
        "KS",
        "KY",
        "MI",
        "MN",
        "NE",
        "NV",
        "NJ",
        "NC",
        "ND",
        "OH",
        "OK",
        "RI",
        "SD",
        "UT",
        "VT",
        "WA",
        "WV",
        "WI",
        "WY",
    ]
)

# Avalara's entity/use codes with a country scope (shared/avatax/exempt-reason-matrix.json:
# "A, B, and N are for use in the United States only"; P, Q, R "Canada only").
REASON_CODE_LETTERS = {
    "FEDERAL GOV": "A",
    "STATE GOV": "B",
    "TRIBAL GOVERNMENT": "C",
    "FOREIGN DIPLOMAT": "D",
    "CHARITABLE/EXEMPT ORG": "E",
    "RELIGIOUS ORG": "F",
    "RESALE": "G",
    "AGRICULTURE": "H",
    "INDUSTRIAL PROD/MANUFACTURERS": "I",
    "DIRECT PAY": "J",
    "DIRECT MAIL": "K",
    "OTHER/CUSTOM": "L",
    "EDUCATIONAL ORG": "M",
    "LOCAL GOVERNMENT": "N",
    "COMMERCIAL AQUACULTURE": "P",
    "COMMERCIAL FISHERY": "Q",
    "NON-RESIDENT": "R",
}
COUNTRY_SCOPE = {"A": "US", "B": "US", "N": "US", "P": "CA", "Q": "CA", "R": "CA"}


@dataclass(frozen=True)
class Rule:
    code: str
    field: str
    message: str  # CertCapture's; {placeholders} are filled in per customer or certificate
    meaning: str
    fix: str

    @property
    def label(self) -> str:
        """The message without its particulars, for a list of errors to filter by."""
        text = re.sub(r"\{\w+\}", "…", self.message)
        return text.split(" (")[0] if text.endswith(")") else text

    def matches(self, message: str) -> bool:
        """Whether Avalara's message is this rule's, whole (whatever fills the placeholders;
        with or without the parenthesis CertCapture sometimes adds)."""
        literal = re.escape(self.message.split(" (")[0].rstrip("."))
        pattern = re.sub(r"\\\{\w+\\\}", ".+?", literal) + r"\.?(?: \(.*\))?\.?"
        return re.fullmatch(pattern, message.strip()) is not None


CUSTOMER_NAME = Rule(
    "customer_name_missing",
    "legal_name",
    "CustomerName is required. (This value must be specified.)",
    "The Customer Name field is empty for at least one of the customers linked to the certificate.",
    "Enter the customer's legal name.",
)
ADDRESS_MISSING = Rule(
    "customer_address_missing",
    "address_line1",
    "The certificate customer({code}) doesn't contain an address.",
    "The Address Line 1 field is empty for the customers listed here.",
    "Enter the customer's street address (address line 1).",
)
ADDRESS_TOO_LONG = Rule(
    "customer_address_too_long",
    "address_line1",
    "Address1 length must be between 1 and 50 characters.",
    "The Address Line 1 field is too long for at least one of the customers linked to the "
    "certificate.",
    "Shorten address line 1 to 50 characters or fewer (move the rest to line 2).",
)
ADDRESS_2_TOO_LONG = Rule(
    "customer_address_2_too_long",
    "address_line2",
    "The Address Line 2 field is too long for at least one of the customers linked to the "
    "certificate.",
    "The Address Line 2 field is too long for at least one of the customers linked to the "
    "certificate.",
    "Shorten address line 2 to 50 characters or fewer.",
)
CITY_MISSING = Rule(
    "customer_city_missing",
    "city",
    "The certificate customer({code}) doesn't contain a city.",
    "The City field is empty for the customers listed here.",
    "Enter the customer's city.",
)
REGION_MISSING = Rule(
    "customer_region_missing",
    "region",
    "Region is required. (This value must be specified.)",
    "The Region field is empty for a customer linked to the certificate.",
    "Choose the customer's state or province.",
)
ZIP_MISSING = Rule(
    "customer_zip_missing",
    "postal_code",
    "The certificate customer({code}) doesn't contain a zip.",
    "The ZIP field is empty for the customer numbers listed here.",
    "Enter the customer's ZIP or postal code.",
)
COUNTRY_MISSING = Rule(
    "customer_country_missing",
    "country",
    "The certificate customer({code}) isn't associated to a country.",
    "The Country field is empty for the customer numbers listed here.",
    "Choose the customer's country.",
)
PO_NUMBER_MISSING = Rule(
    "certificate_po_number_missing",
    "po_number",
    "DocumentRefNo is required. (This value must be specified.)",
    "The exemption certificate is a single-use certificate, but doesn't have a certificate PO "
    "number.",
    "Enter the PO number the single-use certificate covers.",
)
TAX_ID_MISSING = Rule(
    "certificate_tax_id_missing",
    "tax_id",
    "ExemptCertDetail.IdNo is required.",
    "The certificate Tax ID field is empty. A Tax ID is required for exemption certificates in "
    "SST states.",
    "Enter the tax ID printed on the certificate.",
)
REASON_NOT_IN_ACCOUNT = Rule(
    "certificate_reason_not_in_account",
    "exemption_reason",
    "Certificate exempt reason doesn't exist in AvaTaxCalcApi.",
    "The exemption reason isn't available in AvaTax.",
    "Choose another exemption reason, or match this one to your Avalara account's name under "
    "Settings > Integrations > Exemption reasons.",
)
REASON_NOT_EXEMPT_IN_REGION = Rule(
    "certificate_reason_not_exempt_in_region",
    "exemption_reason",
    "Reason Code {letter} isn't exempt in region(s): {regions}. "
    "(Invalid ExemptReasonId and region combination)",
    "The exemption reason is invalid for these regions. For multijurisdictional certificates, "
    "the exemption reason must be valid for all regions.",
    "Choose an exemption reason valid in every region, or remove the regions listed.",
)


RULES = [value for value in dict(globals()).values() if isinstance(value, Rule)]
RULES_BY_CODE = {rule.code: rule for rule in RULES}
