"""Demo data for local use: Acme Supply Co., three users, and customers in every state.

Built through the same services the app uses, so timelines look real. Safe to run again: existing
rows are found and left alone.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from certificates.documents import render_text_pdf
from certificates.reasons import ExemptionReason
from certificates.services import CertificateUpload
from creditapps import services
from creditapps.models import CreditApplication, Customer, InfoRequest
from nuvo.models import Membership, Organization
from nuvo.regions import region_name
from nuvo.roles import Member, Role, member_for

DEMO_PASSWORD = "nuvo-demo"  # noqa: S105 - documented demo login, local data only
ORGANIZATION_NAME = "Acme Supply Co."
ORGANIZATION_SLUG = "acme-supply"

DEMO_USERS = [
    ("admin", "Morgan", "Lee", [Role.ADMIN]),
    ("analyst", "Riley", "Chen", [Role.CREDIT_ANALYST]),
    ("approver", "Jordan", "Patel", [Role.APPROVER]),
]
# The platform operator: Django's admin site, and no organization.
OPERATOR_USERNAME = "operator"


@dataclass
class DemoCertificate:
    regions: list[str]
    reason: str
    signed_days_ago: int
    expires_in_days: int | None
    tax_id: str = ""
    single_use_po: str = ""

    def upload(self, customer_name: str, today: date) -> CertificateUpload:
        effective = today - timedelta(days=self.signed_days_ago)
        expiration = today + timedelta(days=self.expires_in_days) if self.expires_in_days else None
        states = ", ".join(region_name(code) for code in self.regions)
        title = f"{states} Sales Tax Exemption Certificate"
        content = render_text_pdf(
            title,
            [
                f"Purchaser: {customer_name}",
                "Seller: Acme Supply Co., 400 Commerce Way, Columbus, OH 43215",
                f"Reason for exemption: {ExemptionReason(self.reason).label}",
                f"Purchaser tax ID: {self.tax_id or 'n/a'}",
                f"Date signed: {effective:%B %d, %Y}",
                f"Expires: {expiration:%B %d, %Y}" if expiration else "Expires: never",
                *([f"Single purchase, PO {self.single_use_po}"] if self.single_use_po else []),
            ],
        )
        slug = "-".join(self.regions).lower()
        return CertificateUpload(
            content=content,
            filename=f"{customer_name.split()[0].lower()}-{slug}-exemption-certificate.pdf",
            exempt_regions=self.regions,
            exemption_reason=self.reason,
            effective_date=effective,
            expiration_date=expiration,
            is_single_use=bool(self.single_use_po),
            po_number=self.single_use_po,
            tax_id=self.tax_id,
        )


@dataclass
class DemoCustomer:
    customer: dict
    limit: str
    terms: str
    outcome: str
    certificates: list[DemoCertificate] = field(default_factory=list)
    references: list[str] = field(default_factory=list)


DEMO_CUSTOMERS = [
    DemoCustomer(
        customer={
            "legal_name": "Lone Star Restaurant Supply LLC",
            "dba_name": "Lone Star Supply",
            "contact_name": "Maria Gonzales",
            "email": "maria@lonestar-supply.example",
            "phone": "(512) 555-0142",
            "address_line1": "1200 E 5th St",
            "city": "Austin",
            "region": "TX",
            "postal_code": "78702",
            "country": "US",
            "ship_to_states": ["TX", "OK"],
            "tax_id": "74-1234567",
        },
        limit="50000",
        terms="net_30",
        outcome="in_review",
        certificates=[DemoCertificate(["TX"], ExemptionReason.RESALE, 120, 700, "32012345678")],
        references=["Gulf Coast Paper Co.", "Hill Country Foods"],
    ),
    DemoCustomer(
        customer={
            "legal_name": "Cascade Hardware Co.",
            "contact_name": "Ben Okafor",
            "email": "ben@cascadehardware.example",
            "phone": "(206) 555-0199",
            "address_line1": "88 Pike St",
            "address_line2": "Suite 300",
            "city": "Seattle",
            "region": "WA",
            "postal_code": "98101",
            "country": "US",
            "ship_to_states": ["WA", "ID"],
            "tax_id": "91-7654321",
        },
        limit="25000",
        terms="net_45",
        outcome="submitted",
        certificates=[
            DemoCertificate(["WA", "ID"], ExemptionReason.RESALE, 30, None, "603-123-456"),
        ],
        references=["Evergreen Tools"],
    ),
    DemoCustomer(
        customer={
            "legal_name": "Great Lakes Fabrication Inc.",
            "contact_name": "Dana Kowalski",
            "email": "dana@greatlakesfab.example",
            "phone": "(313) 555-0110",
            "address_line1": "4500 Industrial Dr",
            "city": "Detroit",
            "region": "MI",
            "postal_code": "48210",
            "country": "US",
            "ship_to_states": ["MI", "OH"],
            "tax_id": "38-1112223",
        },
        limit="120000",
        terms="net_60",
        outcome="approved",
        certificates=[
            DemoCertificate(["MI"], ExemptionReason.INDUSTRIAL, 200, 1260, "38-1112223"),
            DemoCertificate(["OH"], ExemptionReason.INDUSTRIAL, 45, 40, "38-1112223"),
        ],
        references=["Motor City Steel", "Lakeshore Fasteners"],
    ),
    DemoCustomer(
        customer={
            "legal_name": "Sunshine Hospitality Group",
            "contact_name": "Priya Raman",
            "email": "priya@sunshinehg.example",
            "phone": "(305) 555-0175",
            "address_line1": "1 Ocean Dr",
            "city": "Miami Beach",
            "region": "FL",
            "postal_code": "33139",
            "country": "US",
            "ship_to_states": ["FL"],
        },
        limit="40000",
        terms="net_30",
        outcome="info_requested",
        references=["Coastal Linen Services"],
    ),
    DemoCustomer(
        customer={
            "legal_name": "Peachtree Builders Supply",
            "contact_name": "Tom Harris",
            "email": "tom@peachtreebuilders.example",
            "phone": "(404) 555-0133",
            "address_line1": "250 Peachtree Industrial Blvd",
            "city": "Atlanta",
            "region": "GA",
            "postal_code": "30341",
            "country": "US",
            "ship_to_states": ["GA"],
            "tax_id": "58-9998887",
        },
        limit="200000",
        terms="net_90",
        outcome="declined",
        certificates=[DemoCertificate(["GA"], ExemptionReason.RESALE, 900, -30, "")],
    ),
    DemoCustomer(
        # Fails Avalara's checks: no city, and address line 1 is longer than 50 characters.
        customer={
            "legal_name": "Northwind Outfitters",
            "contact_name": "Sam Whitfield",
            "email": "sam@northwind-outfitters.example",
            "phone": "(303) 555-0121",
            "address_line1": "Building 7, Northwind Commerce Park, 15500 West Colfax Avenue",
            "city": "",
            "region": "CO",
            "postal_code": "80401",
            "country": "US",
            "ship_to_states": ["CO"],
        },
        limit="15000",
        terms="net_30",
        outcome="submitted",
        certificates=[DemoCertificate(["CO"], ExemptionReason.RESALE, 60, 1000, "")],
    ),
    DemoCustomer(
        customer={
            "legal_name": "Prairie Farm Cooperative",
            "contact_name": "Luke Jensen",
            "email": "luke@prairiefarm.example",
            "phone": "(785) 555-0188",
            "address_line1": "900 Grain Elevator Rd",
            "city": "Salina",
            "region": "KS",
            "postal_code": "67401",
            "country": "US",
            "ship_to_states": ["KS", "NE"],
            "tax_id": "48-3334445",
        },
        limit="75000",
        terms="net_60",
        outcome="awaiting_approval",
        certificates=[
            DemoCertificate(["KS", "NE"], ExemptionReason.AGRICULTURE, 15, 1460, "48-3334445"),
        ],
        references=["Heartland Seed Co."],
    ),
    DemoCustomer(
        customer={
            "legal_name": "Bayou Medical Distributors",
            "contact_name": "Claire Broussard",
            "email": "claire@bayoumed.example",
            "phone": "(504) 555-0166",
            "address_line1": "700 Poydras St",
            "city": "New Orleans",
            "region": "LA",
            "postal_code": "70130",
            "country": "US",
            "ship_to_states": ["LA"],
        },
        limit="30000",
        terms="net_30",
        outcome="draft",
    ),
]


def _ensure_users(organization: Organization) -> dict[str, Member]:
    user_model = get_user_model()
    members = {}
    for username, first, last, roles in DEMO_USERS:
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@acme-supply.example",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        for role in roles:
            Membership.objects.get_or_create(user=user, organization=organization, role=role)
        members[username] = member_for(user)
    return members


def _ensure_operator() -> None:
    operator, created = get_user_model().objects.get_or_create(
        username=OPERATOR_USERNAME,
        defaults={
            "first_name": "Platform",
            "last_name": "Operator",
            "email": "operator@nuvo.localhost",
            "is_staff": True,
            "is_superuser": True,
        },
    )
    if created:
        operator.set_password(DEMO_PASSWORD)
        operator.save(update_fields=["password"])


def _play_outcome(demo: DemoCustomer, application: CreditApplication, members) -> None:
    analyst, approver = members["analyst"], members["approver"]
    if demo.outcome == "submitted":
        return
    services.application_start_review(member=analyst, application=application)
    if demo.outcome == "info_requested":
        services.application_request_info(
            member=analyst,
            application=application,
            items=[InfoRequest.Item.TAX_EXEMPTION_CERTIFICATES],
            message="Please upload your Florida Annual Resale Certificate so we can set up "
            "your account as tax-exempt.",
        )
        return
    if demo.outcome == "in_review":
        return
    services.application_request_approval(
        member=analyst, application=application, note="References check out."
    )
    if demo.outcome == "approved":
        services.application_approve(
            member=approver,
            application=application,
            credit_limit=Decimal(demo.limit),
            terms=demo.terms,
            comment="Strong payment history with references.",
        )
    elif demo.outcome == "declined":
        services.application_decline(
            member=approver,
            application=application,
            comment="Requested limit is too high for two years of trading history.",
        )


@transaction.atomic
def seed_demo() -> tuple[Organization, int]:
    """Create the demo organization, users and customers; returns how many customers were added."""
    organization, _ = Organization.objects.get_or_create(
        slug=ORGANIZATION_SLUG, defaults={"name": ORGANIZATION_NAME}
    )
    members = _ensure_users(organization)
    _ensure_operator()
    today = timezone.localdate()
    added = 0
    for demo in DEMO_CUSTOMERS:
        name = demo.customer["legal_name"]
        if Customer.objects.filter(organization=organization, legal_name=name).exists():
            continue
        data = services.ApplicationData(
            requested_credit_limit=Decimal(demo.limit),
            requested_terms=demo.terms,
            bank_name="First National Bank",
            bank_contact_name="Commercial Banking Desk",
            bank_phone="(800) 555-0100",
            bank_account_type="Business checking",
            trade_references=[
                services.TradeReferenceData(company_name=ref, contact_name="Accounts receivable")
                for ref in demo.references
            ],
        )
        if demo.outcome == "draft":
            customer = services.customer_create(member=members["analyst"], **demo.customer)
            services.application_create(member=members["analyst"], customer=customer, data=data)
        else:
            submission = services.PublicApplication(
                customer=demo.customer,
                application=data,
                certificates=[certificate.upload(name, today) for certificate in demo.certificates],
            )
            application = services.public_application_submit(
                organization=organization, submission=submission
            )
            _play_outcome(demo, application, members)
        added += 1
    return organization, added
