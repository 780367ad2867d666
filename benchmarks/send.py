"""Send to Avalara: Nuvo's send next to the naive sequential flow, against the simulator.

    python benchmarks/send.py [--certificates 20] [--latency-ms 100] [--pdf-mb 1]

A customer with N one-region certificates (1 MB PDFs) is sent to the loopback simulator, which
adds the latency to every call. Printed: requests made, wall time and peak memory growth
(tracemalloc) for Nuvo's send (customer, then the certificates on a small pool, PDFs inline) and
for the naive flow (get customer, create customer, then per certificate create, upload
attachment, link). Nuvo's send runs as the README's run command runs it (the task eager,
in-process); a real worker runs the same service, so the figures hold there too.
"""

import argparse
import time
import tracemalloc
from datetime import date

from _setup import SimulatorProcess, django_on_a_scratch_database, padded_pdf

REGIONS = [
    "TX",
    "WA",
    "OK",
    "KS",
    "NE",
    "OH",
    "MI",
    "GA",
    "CO",
    "ID",
    "NV",
    "UT",
    "AZ",
    "NM",
    "IA",
    "MN",
    "WI",
    "IN",
    "KY",
    "TN",
    "NC",
    "SC",
    "VA",
    "WV",
    "PA",
    "NY",
    "NJ",
    "MD",
]


def measure(work):
    tracemalloc.start()
    started = time.perf_counter()
    work()
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--certificates", type=int, default=20)
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--pdf-mb", type=float, default=1.0)
    args = parser.parse_args()
    if args.certificates > len(REGIONS):
        parser.error(f"at most {len(REGIONS)} certificates (one region each)")
    django_on_a_scratch_database()

    from django.conf import settings
    from django.contrib.auth import get_user_model

    from certificates.models import TaxExemptionCertificate
    from certificates.reasons import ExemptionReason
    from certificates.services import CertificateUpload, certificate_create
    from creditapps.models import Customer
    from integrations import services
    from integrations.avalara import CertificateInput, CustomerInput
    from integrations.models import AvalaraSend
    from integrations.services.sending import avalara_send_request
    from nuvo.models import Membership, Organization
    from nuvo.roles import member_for

    organization = Organization.objects.create(name="Benchmark Supply", slug="bench")
    user = get_user_model().objects.create_user("bench", password="bench-password")
    for role in (Membership.Role.ADMIN, Membership.Role.CREDIT_ANALYST):
        Membership.objects.create(user=user, organization=organization, role=role)
    member = member_for(user)

    def customer_with_certificates(name: str) -> Customer:
        customer = Customer.objects.create(
            organization=organization,
            legal_name=name,
            email=f"{name.split()[0].lower()}@bench.example",
            address_line1="1 Main St",
            city="Austin",
            region="TX",
            postal_code="78701",
            country="US",
        )
        for region in REGIONS[: args.certificates]:
            certificate_create(
                customer=customer,
                upload=CertificateUpload(
                    content=padded_pdf(f"{name} {region}", int(args.pdf_mb * 1024 * 1024)),
                    filename=f"{region}.pdf",
                    exempt_regions=[region],
                    exemption_reason=ExemptionReason.RESALE,
                    effective_date=date(2026, 1, 15),
                    tax_id="12-3456789",  # Streamlined Sales Tax states need one
                ),
                source=TaxExemptionCertificate.Source.STAFF_UPLOAD,
            )
        return customer

    simulator = SimulatorProcess(latency_ms=args.latency_ms)
    try:
        settings.AVALARA_BASE_URL = simulator.base_url
        connection = services.avalara_connect(
            member=member, environment="sandbox", username="nuvo-demo", password="avalara-demo"
        )
        ours = customer_with_certificates("Nuvo Send Co.")
        naive = customer_with_certificates("Naive Flow Co.")
        simulator.clear_requests()
        nuvo_time, nuvo_peak = measure(lambda: avalara_send_request(member=member, customer=ours))
        nuvo_requests = simulator.request_count()
        send = AvalaraSend.objects.get(customer=ours)
        assert send.status == AvalaraSend.Status.DONE, send.status

        def naive_flow():
            client, _connection = services.avalara_client_get(organization=organization)
            code = "NAIVE_0001"
            with client:
                client.find_customer(connection.company_id, code)
                client.create_customers(
                    connection.company_id,
                    [
                        CustomerInput(
                            code, naive.legal_name, "1 Main St", "Austin", "TX", "78701", "US"
                        )
                    ],
                )
                for certificate in naive.certificates.all():
                    pdf = certificate.file.open("rb").read()
                    (created,) = client.create_certificates(
                        connection.company_id,
                        [
                            CertificateInput(
                                signed_date=certificate.effective_date,
                                expiration_date=date(9999, 12, 31),
                                exemption_reason="RESALE",
                                exposure_zone_name="Texas",
                                pdf=pdf,
                            )
                        ],
                    )
                    client.upload_certificate_attachment(
                        connection.company_id, created.id, pdf, f"{certificate.pk}.pdf"
                    )
                    client.link_certificates_to_customer(connection.company_id, code, [created.id])

        simulator.clear_requests()
        naive_time, naive_peak = measure(naive_flow)
        naive_requests = simulator.request_count()
    finally:
        simulator.stop()

    n = args.certificates
    print(f"Send to Avalara: {n} certificates of {args.pdf_mb:g} MB, {args.latency_ms} ms per call")
    print(f"{'':28}{'requests':>10}{'wall time':>12}{'peak memory':>14}")
    for label, requests, seconds, peak in [
        (
            "Nuvo (customer + pool of " + str(settings.AVALARA_SEND_CONCURRENCY) + ")",
            nuvo_requests,
            nuvo_time,
            nuvo_peak,
        ),
        ("naive sequential flow", naive_requests, naive_time, naive_peak),
    ]:
        print(f"{label:28}{requests:>10}{seconds:>11.2f}s{peak / 2**20:>12.1f} MB")
    print(
        f"target: requests <= {n + 2}: {'met' if nuvo_requests <= n + 2 else 'MISSED'}; "
        f"speed-up {naive_time / nuvo_time:.1f}x (target 5x): "
        f"{'met' if naive_time / nuvo_time >= 5 else 'MISSED'}; "
        f"memory {nuvo_peak / 2**20:.0f} MB (target < 100 MB): "
        f"{'met' if nuvo_peak < 100 * 2**20 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
