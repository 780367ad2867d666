"""Every list page and list API endpoint reads a page at a time: the same queries at 5 rows as
at 50, and what the page shows (counts, order, totals) is still right."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certificates.models import TaxExemptionCertificate
from creditapps.models import CreditApplication, Customer, TradeReference
from integrations.models import AvalaraCertificate, AvalaraConnection, AvalaraCustomer
from nuvo.roles import Role

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)

LIST_URLS = [
    "/customers/",
    "/customers/?q=Supply",
    "/applications/",
    "/applications/?sort=customer",
    "/applications/?sort=-customer",
    "/applications/?status=in_review",
    "/reports/failed-api-calls/",
    "/settings/team/",
    "/api/v1/customers/",
    "/api/v1/credit-applications/",
    "/api/v1/certificates/",
]


def add_rows(organization, start: int, stop: int) -> None:
    """Customers `start` to `stop`, each with an application, a certificate and Avalara rows;
    1 in 3 certificates and 1 in 3 customers failed in Avalara (both kinds on every page)."""
    numbers = range(start, stop)
    customers = Customer.objects.bulk_create(
        Customer(organization=organization, legal_name=f"Supply {i:04d}", ship_to_states=["TX"])
        for i in numbers
    )
    applications = CreditApplication.objects.bulk_create(
        CreditApplication(
            organization=organization,
            customer=customer,
            status="in_review" if i % 2 else "submitted",
            requested_credit_limit=1000 + i,
            requested_terms="net_30",
            submitted_at=NOW - timedelta(hours=i),
        )
        for i, customer in zip(numbers, customers, strict=True)
    )
    TradeReference.objects.bulk_create(
        TradeReference(application=application, company_name="Reference")
        for application in applications
    )
    certificates = TaxExemptionCertificate.objects.bulk_create(
        TaxExemptionCertificate(
            organization=organization,
            customer=customer,
            file=f"c/{i}.pdf",
            original_filename=f"certificate-{i}.pdf",
            file_size=1,
            page_count=1,
            sha256=f"{i:064d}",
            exempt_regions=["TX"],
            exemption_reason="RESALE",
            effective_date=date(2025, 1, 1),
            expiration_date=date.today() + timedelta(days=i),
            source="api",
        )
        for i, customer in zip(numbers, customers, strict=True)
    )
    AvalaraCustomer.objects.bulk_create(
        AvalaraCustomer(
            organization=organization,
            customer=customer,
            customer_code=f"C{i}",
            company_id=1,
            failed_at=NOW - timedelta(hours=i) if i % 3 == 1 else None,
        )
        for i, customer in zip(numbers, customers, strict=True)
    )
    AvalaraCertificate.objects.bulk_create(
        AvalaraCertificate(
            organization=organization,
            certificate=certificate,
            region="TX",
            company_id=1,
            state="failed" if i % 3 == 0 else "sent",
        )
        for i, certificate in zip(numbers, certificates, strict=True)
    )


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.fixture
def connected_organization(organization, admin_user):
    AvalaraConnection.objects.create(
        organization=organization,
        environment="sandbox",
        username="nuvo-demo",
        secret="avalara-demo",
        company_id=1,
        connected_by=admin_user,
    )
    return organization


@pytest.mark.parametrize("url", LIST_URLS)
def test_a_list_makes_the_same_queries_at_5_rows_as_at_50(
    url, connected_organization, analyst_client
):
    add_rows(connected_organization, 0, 5)
    at_5 = queries_of(analyst_client, url)

    add_rows(connected_organization, 5, 50)
    at_50 = queries_of(analyst_client, url)

    assert at_50 == at_5


def test_the_customers_list_counts_each_customers_certificates_and_applications(
    organization, analyst_client, make_customer, make_application
):
    busy = make_customer(legal_name="Alpha Busy")
    make_application(customer=busy)
    make_application(customer=busy)
    for n in range(3):
        TaxExemptionCertificate.objects.create(
            organization=organization,
            customer=busy,
            file=f"c/{n}.pdf",
            original_filename=f"c{n}.pdf",
            file_size=1,
            page_count=1,
            sha256=f"{n:064d}",
            exempt_regions=["TX"],
            exemption_reason="RESALE",
            effective_date=date(2025, 1, 1),
            source="api",
        )
    make_customer(legal_name="Beta Quiet")

    page = analyst_client.get(reverse("creditapps:customer-list")).context["page"]

    assert [(c.legal_name, c.certificate_count, c.application_count) for c in page] == [
        ("Alpha Busy", 3, 2),
        ("Beta Quiet", 0, 0),
        ("Lone Star Restaurant Supply LLC", 0, 0),  # the fixtures' own customer
    ]


def test_sorting_applications_by_customer_keeps_a_customers_applications_together(
    analyst_client, make_customer, make_application
):
    zulu, alpha = make_customer(legal_name="Zulu"), make_customer(legal_name="Alpha")
    older = make_application(customer=alpha, submitted_at=NOW - timedelta(days=2))
    last = make_application(customer=zulu)
    newer = make_application(customer=alpha, submitted_at=NOW)

    url = reverse("creditapps:application-list")
    ascending = analyst_client.get(url, {"sort": "customer"}).context["page"]
    descending = analyst_client.get(url, {"sort": "-customer"}).context["page"]

    assert [a.pk for a in ascending] == [newer.pk, older.pk, last.pk]
    assert [a.pk for a in descending] == [last.pk, newer.pk, older.pk]


def test_the_failed_calls_report_merges_both_kinds_newest_first_across_pages(
    connected_organization, make_user, client
):
    add_rows(connected_organization, 0, 60)  # 20 failed certificates, 20 failed customers
    client.force_login(make_user("sender", Role.CREDIT_ANALYST))
    url = reverse("avalara:failed-api-calls")

    first, second = client.get(url), client.get(url, {"page": 2})

    rows = list(first.context["page"]) + list(second.context["page"])
    assert first.context["total"] == 40
    assert len(first.context["page"]) == 25
    assert len(second.context["page"]) == 15
    assert [row.when for row in rows] == sorted((row.when for row in rows), reverse=True)
    assert {row.kind for row in first.context["page"]} == {"certificate", "customer"}
    assert len({row.key for row in rows}) == 40
