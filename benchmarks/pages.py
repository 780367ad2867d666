"""List pages at scale: each list page and list API endpoint at 100 and 10,000 applications.

    python benchmarks/pages.py [--small 100] [--large 10000] [--runs 25]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nuvo_bench_pages python benchmarks/pages.py

Two databases hold one organization each, of `small` and of `large` customers, each customer
with an application (two trade references), a certificate and its Avalara copy (1 in 5
failed, and 1 in 10 customers failed to create: at 100 rows the report fills a page too). A
signed-in credit analyst requests each page through Django's test Client, the sizes and
approaches taking turns. Printed per page: the median wall time over `runs` requests at both
sizes, their ratio, and the SQL queries of one request at each size; next to the naive
querysets (main's before issue 10: annotate or load every row, then paginate), run on the
same data and schema.
"""

import argparse
import random
import statistics
import time
from contextlib import ExitStack
from datetime import timedelta
from unittest import mock

from _setup import django_on_benchmark_databases

PAGES = [
    ("Customers", "/customers/"),
    ("Applications", "/applications/"),
    ("Applications, by customer", "/applications/?sort=customer"),
    ("Applications, in review", "/applications/?status=in_review"),
    ("Failed API Calls", "/reports/failed-api-calls/"),
    ("Team", "/settings/team/"),
    ("API customers", "/api/v1/customers/"),
    ("API credit applications", "/api/v1/credit-applications/"),
    ("API certificates", "/api/v1/certificates/"),
    # Shown, outside the target: what they read grows with the rows, whatever the page size.
    ("* Customers, search (1 in 5)", "/customers/?q=Supply"),
    ("* Reports (totals of all)", "/reports/"),
]
OUTSIDE_TARGET = "* "
TARGET_RATIO = 1.5
STATUSES = ["submitted", "in_review", "info_requested", "draft", "declined"]
MAIN_SORTS = {
    "submitted": "submitted_at",
    "-submitted": "-submitted_at",
    "customer": "customer__legal_name",
    "-customer": "-customer__legal_name",
    "limit": "requested_credit_limit",
    "-limit": "-requested_credit_limit",
    "status": "status",
    "-status": "-status",
}
NAMES = ["Lone Star Supply", "Prairie Foods", "Harbor Tools", "Summit Paper", "Delta Parts"]


def naive_querysets() -> dict:
    """main's list querysets before issue 10, to patch in for the comparison."""
    from django.db.models import Count, Q

    from creditapps import selectors as creditapps_selectors
    from creditapps.models import CreditApplication, Customer
    from integrations.services import failed_calls

    def customer_list(*, member, search=""):
        customers = Customer.objects.filter(organization=member.organization).annotate(
            certificate_count=Count("certificates", distinct=True),
            application_count=Count("credit_applications", distinct=True),
        )
        if search:
            customers = customers.filter(
                Q(legal_name__icontains=search)
                | Q(dba_name__icontains=search)
                | Q(email__icontains=search)
                | Q(contact_name__icontains=search)
            )
        return customers.order_by("legal_name", "id")

    def application_list(*, member, filters):
        applications = (
            CreditApplication.objects.filter(organization=member.organization)
            .select_related("customer", "assigned_analyst")
            .prefetch_related("trade_references")
        )
        if filters.status:
            applications = applications.filter(status=filters.status)
        if filters.unassigned:
            applications = applications.filter(assigned_analyst__isnull=True)
        elif filters.analyst_id:
            applications = applications.filter(assigned_analyst_id=filters.analyst_id)
        if filters.awaiting_approval:
            applications = applications.filter(
                status=CreditApplication.Status.IN_REVIEW, approval_requested_at__isnull=False
            )
        if filters.search:
            applications = applications.filter(
                Q(customer__legal_name__icontains=filters.search)
                | Q(customer__dba_name__icontains=filters.search)
                | Q(customer__email__icontains=filters.search)
            )
        order = MAIN_SORTS.get(filters.sort, MAIN_SORTS["-submitted"])
        return applications.order_by(order, "-id")

    return {
        (creditapps_selectors, "customer_list"): customer_list,
        (creditapps_selectors, "application_list"): application_list,
        # Every row built and sorted in Python, then a page of them shown.
        (failed_calls, "failed_report"): failed_calls.failed_rows,
    }


def build_organization(password_hash: str):
    from django.contrib.auth import get_user_model

    from integrations.models import AvalaraConnection
    from nuvo.models import Membership, Organization

    organization = Organization.objects.create(name="Benchmark Supply", slug="bench")
    users = get_user_model().objects
    # One hash for both databases: a session holds it, and the sizes share the session.
    analyst = users.create(username="bench", password=password_hash, first_name="Bench")
    Membership.objects.create(
        user=analyst, organization=organization, role=Membership.Role.CREDIT_ANALYST
    )
    for index, role in enumerate(Membership.Role.values * 2):
        colleague = users.create_user(f"colleague{index}", first_name=f"Colleague {index}")
        Membership.objects.create(user=colleague, organization=organization, role=role)
    AvalaraConnection.objects.create(
        organization=organization,
        environment="sandbox",
        username="nuvo-demo",
        secret="avalara-demo",
        company_id=7100001,
        company_code="BENCH",
    )
    return organization, analyst


def grow(organization, analyst, start: int, stop: int) -> None:
    """Customers `start` to `stop`, each with an application, a certificate, their Avalara rows."""
    from datetime import date

    from django.db.models import OuterRef, Subquery
    from django.utils import timezone

    from certificates.models import TaxExemptionCertificate
    from creditapps.models import CreditApplication, Customer, TradeReference
    from integrations.models import AvalaraCertificate, AvalaraCustomer

    now, today, numbers = timezone.now(), date.today(), range(start, stop)
    customers = Customer.objects.bulk_create(
        [
            Customer(
                organization=organization,
                legal_name=f"{NAMES[i % len(NAMES)]} {i:06d}",
                email=f"buyer{i}@example.com",
                city="Austin",
                region="TX",
                ship_to_states=["TX", "OK"],
            )
            for i in numbers
        ],
        batch_size=1000,
    )
    applications = CreditApplication.objects.bulk_create(
        [
            CreditApplication(
                organization=organization,
                customer=customer,
                status=STATUSES[i % len(STATUSES)],
                requested_credit_limit=5000 + i,
                requested_terms="net_30",
                submitted_at=None if i % 5 == 3 else now - timedelta(minutes=i),
                assigned_analyst=analyst if i % 2 else None,
            )
            for i, customer in zip(numbers, customers, strict=True)
        ],
        batch_size=1000,
    )
    TradeReference.objects.bulk_create(
        [
            TradeReference(application=application, company_name=f"Reference {n}")
            for application in applications
            for n in range(2)
        ],
        batch_size=1000,
    )
    certificates = TaxExemptionCertificate.objects.bulk_create(
        [
            TaxExemptionCertificate(
                organization=organization,
                customer=customer,
                file=f"bench/{i}.pdf",
                original_filename=f"certificate-{i}.pdf",
                file_size=1,
                page_count=1,
                sha256=f"{i:064d}",
                exempt_regions=["TX"],
                exemption_reason="RESALE",
                effective_date=date(2025, 1, 1),
                # Over five years: about 1 in 5 expired in the last year or expires in the window.
                expiration_date=today + timedelta(days=(i * 7) % 1825 - 365),
                source="api",
                uploaded_at=now - timedelta(minutes=i),
            )
            for i, customer in zip(numbers, customers, strict=True)
        ],
        batch_size=1000,
    )
    AvalaraCustomer.objects.bulk_create(
        [
            AvalaraCustomer(
                organization=organization,
                customer=customer,
                customer_code=f"C{i:06d}",
                company_id=7100001,
                failed_at=now - timedelta(minutes=i) if i % 10 == 2 else None,
                last_error_code="ValidationError" if i % 10 == 2 else "",
            )
            for i, customer in zip(numbers, customers, strict=True)
        ],
        batch_size=1000,
    )
    AvalaraCertificate.objects.bulk_create(
        [
            AvalaraCertificate(
                organization=organization,
                certificate=certificate,
                region="TX",
                company_id=7100001,
                state="failed" if i % 5 == 1 else "sent",
                error_code="ServerError" if i % 5 == 1 else "",
                badge="valid" if i % 5 != 1 else "missing",
            )
            for i, certificate in zip(numbers, certificates, strict=True)
        ],
        batch_size=1000,
    )
    # `updated_at` is auto_now: spread it as the certificates were, so the report's two kinds
    # of rows (certificates, customers) interleave as they would.
    AvalaraCertificate.objects.filter(certificate__in=certificates).update(
        updated_at=Subquery(
            TaxExemptionCertificate.objects.filter(pk=OuterRef("certificate_id")).values(
                "uploaded_at"
            )
        )
    )


class ChosenDatabase:
    """A router sending every query to the database of the size being measured, so that the
    sizes' requests can alternate (a busy machine then slows both alike)."""

    alias = "default"

    def db_for_read(self, model, **hints):
        return self.alias

    db_for_write = db_for_read

    def allow_relation(self, *objects, **hints):
        return True


ROUTER = ChosenDatabase()
SIZES = ("default", "large")
APPROACHES = ("nuvo", "naive")


def request(client, url: str, size: str, approach: str):
    ROUTER.alias = size
    with ExitStack() as stack:
        if approach == "naive":
            for (module, name), replacement in naive_querysets().items():
                stack.enter_context(mock.patch.object(module, name, replacement))
        started = time.perf_counter()
        response = client.get(url)
        return response, time.perf_counter() - started


def measure(client, url: str, runs: int) -> dict:
    """{(size, approach): (median seconds, queries)}: one request each with its queries
    captured, then `runs` rounds of the four in a shuffled order."""
    from django.db import connections, reset_queries
    from django.test.utils import CaptureQueriesContext

    queries = {}
    for size in SIZES:
        for approach in APPROACHES:
            reset_queries()  # DEBUG keeps the last 9,000 queries: a full log would capture none
            with CaptureQueriesContext(connections[size]) as captured:
                response, _ = request(client, url, size, approach)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            queries[size, approach] = len(captured)
    timings = {key: [] for key in queries}
    turns = list(timings)
    shuffled = random.Random(url)  # the same turns each run, in no fixed order
    for _ in range(runs):
        shuffled.shuffle(turns)
        for size, approach in turns:
            timings[size, approach].append(request(client, url, size, approach)[1])
    return {key: (statistics.median(timings[key]), queries[key]) for key in queries}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--large", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=25)
    args = parser.parse_args()
    database = django_on_benchmark_databases(SIZES, [ROUTER])

    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.models import Session
    from django.db import connections
    from django.test import Client

    password_hash = make_password("bench-password")
    for size, rows in zip(SIZES, (args.small, args.large), strict=True):
        ROUTER.alias = size
        organization, analyst = build_organization(password_hash)
        grow(organization, analyst, 0, rows)
        if connections[size].vendor == "postgresql":
            # What autovacuum does soon after a table grows: the planner's statistics, and the
            # visibility map that lets a count read the index alone.
            with connections[size].cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    client = Client()
    client.force_login(analyst)
    session = Session.objects.using("large").get()
    Session.objects.using("default").create(
        session_key=session.session_key,
        session_data=session.session_data,
        expire_date=session.expire_date,
    )
    results = {label: measure(client, url, args.runs) for label, url in PAGES}
    report(database, args, results)


def report(database: str, args, results: dict) -> None:
    print(
        f"List pages at {args.small:,} and {args.large:,} applications ({database}, median of "
        f"{args.runs} requests; queries of one request at each size)"
    )
    sizes = f"{args.small:,}".rjust(9) + f"{args.large:,}".rjust(9)
    print(f"{'':32}{'Nuvo':^36}  {'naive (main before issue 10)':^36}")
    print(f"{'page':32}{sizes}{'ratio':>8}{'queries':>10}  {sizes}{'ratio':>8}{'queries':>10}")
    worst, constant = (0.0, ""), True
    for label, _url in PAGES:
        line = f"{label:32}"
        for approach in ("nuvo", "naive"):
            t_small, q_small = results[label]["default", approach]
            t_large, q_large = results[label]["large", approach]
            ratio = t_large / t_small
            line += f"{t_small * 1000:>7.1f}ms{t_large * 1000:>7.1f}ms{ratio:>7.2f}x"
            line += f"{f'{q_small} / {q_large}':>10}  "
            if approach == "nuvo" and not label.startswith(OUTSIDE_TARGET):
                worst = max(worst, (ratio, label))
                constant &= q_small == q_large
        print(line.rstrip())
    print(
        f"targets: every page <= {TARGET_RATIO}x from {args.small:,} to {args.large:,}: "
        f"{'met' if worst[0] <= TARGET_RATIO else 'MISSED'} (worst {worst[0]:.2f}x, "
        f"{worst[1]}); queries the same at both sizes: {'met' if constant else 'MISSED'} "
        f"(* not in the target)"
    )


if __name__ == "__main__":
    main()
