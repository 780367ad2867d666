"""Seed data: the demo accounts and companies, and the ECM definitions lists.

The region table is kept here instead of importing `nuvo.regions` so that the simulator needs
nothing outside the standard library (importing `nuvo` starts Celery).
"""

from dataclasses import dataclass

SIMULATOR_VERSION = "21.12.0-nuvo-simulator"


@dataclass(frozen=True)
class CompanySeed:
    id: int
    company_code: str
    name: str
    is_default: bool = False
    provisioned: bool = True


@dataclass(frozen=True)
class AccountSeed:
    account_id: int
    companies: tuple[CompanySeed, ...]
    username: str | None = None
    password: str | None = None
    license_key: str | None = None
    user_id: int | None = None
    ping_company_id: int | None = None
    notes: str = ""
    # The account's own exemption reason names; None: CertCapture's current list.
    exempt_reasons: tuple[str, ...] | None = None


# Names as CertCapture spells them (REFERENCE.md §8; shared/avatax/exempt-reason-matrix.json).
EXEMPT_REASON_NAMES = (
    "FEDERAL GOV",
    "STATE GOV",
    "TRIBAL GOVERNMENT",
    "FOREIGN DIPLOMAT",
    "CHARITABLE/EXEMPT ORG",
    "RELIGIOUS ORG",
    "RESALE",
    "AGRICULTURE",
    "INDUSTRIAL PROD/MANUFACTURERS",
    "DIRECT PAY",
    "DIRECT MAIL",
    "OTHER/CUSTOM",
    "EDUCATIONAL ORG",
    "LOCAL GOVERNMENT",
    "COMMERCIAL AQUACULTURE",
    "COMMERCIAL FISHERY",
    "NON-RESIDENT",
)


# An account set up before 2018 (Avalara's reason list is per account): religious and
# educational organisations share one reason, as before the SSTP split of 2018 (the F row of
# shared/avatax/exempt-reason-matrix.json), and the simulator's own spellings stand in for
# names that differ in the field. Nuvo must map its reasons to these (InvalidExemptReason else).
OLDER_ACCOUNT_REASON_NAMES = tuple(
    {
        "INDUSTRIAL PROD/MANUFACTURERS": "MANUFACTURER",
        "LOCAL GOVERNMENT": "LOCAL GOV",
        "RELIGIOUS ORG": "RELIGIOUS/EDUCATIONAL ORG",
        "NON-RESIDENT": "NON RESIDENT",
    }.get(name, name)
    for name in EXEMPT_REASON_NAMES
    if name != "EDUCATIONAL ORG"
)


DEMO_ACCOUNTS = (
    AccountSeed(
        account_id=2000100001,
        username="nuvo-demo",
        password="avalara-demo",  # noqa: S106 (published demo credentials)
        user_id=9100001,
        ping_company_id=7100001,
        companies=(
            CompanySeed(7100001, "ACMESUPPLY", "Acme Supply Co. (Simulator)", is_default=True),
        ),
        notes="ping returns authenticatedCompanyId; ECM provisioned",
    ),
    AccountSeed(
        account_id=2000100002,
        license_key="A1B2C3D4E5F6A7B8",
        exempt_reasons=OLDER_ACCOUNT_REASON_NAMES,
        companies=(
            CompanySeed(7100002, "DEFAULT", "Simulator Default Company", is_default=True),
            CompanySeed(7100004, "SECOND", "Simulator Second Company", provisioned=False),
        ),
        notes="ping has no authenticatedCompanyId: resolve the default company via QueryCompanies;"
        " an older account's exemption reason names",
    ),
    AccountSeed(
        account_id=2000100003,
        username="nuvo-unprovisioned",
        password="avalara-demo",  # noqa: S106 (published demo credentials)
        user_id=9100003,
        ping_company_id=7100003,
        companies=(
            CompanySeed(
                7100003, "UNPROVISIONED", "Unprovisioned Co. (Simulator)", True, provisioned=False
            ),
        ),
        notes="ECM not provisioned: RequestCertificateSetup, then poll GetCertificateSetup",
    ),
)

US_REGIONS = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
}

CA_REGIONS = {
    "AB": "Alberta",
    "BC": "British Columbia",
    "MB": "Manitoba",
    "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador",
    "NS": "Nova Scotia",
    "NT": "Northwest Territories",
    "NU": "Nunavut",
    "ON": "Ontario",
    "PE": "Prince Edward Island",
    "QC": "Quebec",
    "SK": "Saskatchewan",
    "YT": "Yukon",
}


def exposure_zones() -> list[dict]:
    """ExposureZoneModel rows: the 50 states and DC, then the 13 provinces and territories."""
    regions = [("US", code, name) for code, name in US_REGIONS.items()]
    regions += [("CA", code, name) for code, name in CA_REGIONS.items()]
    return [
        {"id": number, "name": name, "region": code, "country": country}
        for number, (country, code, name) in enumerate(regions, start=1)
    ]


def exempt_reasons(names: tuple[str, ...] | None = None) -> list[dict]:
    """ExemptionReasonModel rows: an account's names, else CertCapture's current list."""
    return [
        {"id": number, "name": name} for number, name in enumerate(names or EXEMPT_REASON_NAMES, 1)
    ]
