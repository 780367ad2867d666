"""Certificate status sync: Nuvo's paged sync next to fetching certificates one by one.

    python benchmarks/sync.py [--customers 10000] [--per-customer 10] [--latency-ms 50]

The simulator (in its own process, `latency` added to every call) is seeded with the company's
certificates; Nuvo holds the same customers and certificates as sent. Printed: requests made,
wall time, rows written and peak memory growth (tracemalloc) for a full sync, and for an
incremental sync after 1% of the certificates changed in Avalara; next to the per-certificate
GetCertificate approach (its request count x the latency).
"""

import argparse
import json
import math
import time
import tracemalloc
import urllib.request

from _setup import SimulatorProcess, django_on_a_scratch_database

COMPANY_ID = 7100001


def control(simulator, path: str, body: dict) -> dict:
    request = urllib.request.Request(
        f"{simulator.base_url}{path}", data=json.dumps(body).encode(), method="POST"
    )
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.loads(response.read())


def measure(work):
    tracemalloc.start()
    started = time.perf_counter()
    result = work()
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, elapsed, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--per-customer", type=int, default=10)
    parser.add_argument("--latency-ms", type=int, default=50)
    args = parser.parse_args()
    django_on_a_scratch_database()

    from django.conf import settings
    from django.contrib.auth import get_user_model

    from certificates.models import TaxExemptionCertificate
    from creditapps.models import Customer
    from integrations import services
    from integrations.models import AvalaraCertificate, AvalaraCustomer
    from integrations.services.sync import run_certificate_sync
    from nuvo.models import Membership, Organization
    from nuvo.roles import member_for

    organization = Organization.objects.create(name="Benchmark Supply", slug="bench")
    user = get_user_model().objects.create_user("bench", password="bench-password")
    Membership.objects.create(user=user, organization=organization, role=Membership.Role.ADMIN)
    simulator = SimulatorProcess(latency_ms=0)
    try:
        settings.AVALARA_BASE_URL = simulator.base_url
        connection = services.avalara_connect(
            member=member_for(user),
            environment="sandbox",
            username="nuvo-demo",
            password="avalara-demo",
        )
        seeded = control(
            simulator,
            "/_simulator/seed",
            {"customers": args.customers, "certificatesPerCustomer": args.per_customer},
        )["customers"]
        total = args.customers * args.per_customer
        _store_in_nuvo(
            organization,
            seeded,
            Customer,
            AvalaraCustomer,
            TaxExemptionCertificate,
            AvalaraCertificate,
        )
        simulator.stop()
        # The same data, now behind Avalara-like latency.
        simulator = SimulatorProcess(latency_ms=args.latency_ms)
        settings.AVALARA_BASE_URL = simulator.base_url
        control(
            simulator,
            "/_simulator/seed",
            {"customers": args.customers, "certificatesPerCustomer": args.per_customer},
        )
        simulator.clear_requests()

        full, full_time, full_peak = measure(
            lambda: run_certificate_sync(connection=connection, full=True)
        )
        full_requests = simulator.request_count()

        changed = [ids[0] for ids in (c["certificateIds"] for c in seeded)][: max(1, total // 100)]
        control(simulator, "/_simulator/change", {"certificateIds": changed, "valid": False})
        simulator.clear_requests()
        incremental, inc_time, inc_peak = measure(
            lambda: run_certificate_sync(connection=connection)
        )
        inc_requests = simulator.request_count()
        invalid = AvalaraCertificate.objects.filter(badge="invalid").count()
    finally:
        simulator.stop()

    per_certificate = total * args.latency_ms / 1000
    print(
        f"Certificate status sync: {total:,} certificates of {args.customers:,} customers, "
        f"{args.latency_ms} ms per call"
    )
    print(f"{'':34}{'requests':>10}{'wall time':>12}{'rows written':>14}{'peak memory':>14}")
    rows = [
        (
            "Nuvo, full sync",
            full_requests,
            f"{full_time:.1f}s",
            full.rows_updated + full.rows_added,
            full_peak,
        ),
        (
            f"Nuvo, incremental ({len(changed):,} changed)",
            inc_requests,
            f"{inc_time:.1f}s",
            incremental.rows_updated + incremental.rows_added,
            inc_peak,
        ),
        ("one GetCertificate each", total, f"~{per_certificate:,.0f}s", total, None),
    ]
    for label, requests, wall, written, peak in rows:
        memory = f"{peak / 2**20:.1f} MB" if peak is not None else "—"
        print(f"{label:34}{requests:>10,}{wall:>12}{written:>14,}{memory:>14}")
    target = math.ceil(total / 1000) + 2
    print(
        f"targets: full sync requests <= {target}: "
        f"{'met' if full_requests <= target else 'MISSED'}; "
        f"{total / full_requests:.0f}x fewer requests than per-certificate (target 100x): "
        f"{'met' if total / full_requests >= 100 else 'MISSED'}; "
        f"incremental {inc_requests} request(s) for {len(changed):,} changes; "
        f"{invalid:,} certificates now shown Invalid"
    )


def _store_in_nuvo(
    organization, seeded, Customer, AvalaraCustomer, Certificate, AvalaraCertificate
):
    """Nuvo's side as after the sends: customers with their codes and certificate rows."""
    from datetime import date

    from django.utils import timezone

    customers = Customer.objects.bulk_create(
        [Customer(organization=organization, legal_name=c["customerCode"]) for c in seeded],
        batch_size=2000,
    )
    AvalaraCustomer.objects.bulk_create(
        [
            AvalaraCustomer(
                organization=organization,
                customer=customer,
                customer_code=entry["customerCode"],
                company_id=COMPANY_ID,
                confirmed_at=timezone.now(),
            )
            for customer, entry in zip(customers, seeded, strict=True)
        ],
        batch_size=2000,
    )
    certificates, ids = [], []
    for customer, entry in zip(customers, seeded, strict=True):
        for index, avalara_id in enumerate(entry["certificateIds"]):
            certificates.append(
                Certificate(
                    organization=organization,
                    customer=customer,
                    file=f"bench/{avalara_id}.pdf",
                    original_filename=f"{avalara_id}.pdf",
                    file_size=1,
                    page_count=1,
                    sha256=f"{avalara_id:064d}",
                    exempt_regions=["TX"],
                    exemption_reason="RESALE",
                    effective_date=date(2025, 1, 1),
                    source="api",
                )
            )
            ids.append((index, avalara_id))
    certificates = Certificate.objects.bulk_create(certificates, batch_size=2000)
    AvalaraCertificate.objects.bulk_create(
        [
            AvalaraCertificate(
                organization=organization,
                certificate=certificate,
                region=f"R{index}",
                company_id=COMPANY_ID,
                avalara_id=avalara_id,
                state="sent",
            )
            for certificate, (index, avalara_id) in zip(certificates, ids, strict=True)
        ],
        batch_size=2000,
    )


if __name__ == "__main__":
    main()
