"""Load: customers sent to Avalara through the web while analysts browse, on real servers.

    python benchmarks/load.py [--customers 200] [--certificates 5] [--browsers 4] [--senders 4]
        [--latency-ms 50] [--postgres postgres://postgres@127.0.0.1:5432] [--redis URL]

gunicorn (2 workers of 4 threads) and 2 Celery workers run on a scratch PostgreSQL database and
a Redis queue of their own, against the simulator in its own process (Avalara adds
`--latency-ms` to every call). Sender threads press Send to Avalara for every customer; browser
threads load the lists and detail pages meanwhile. Printed: send throughput, page latency
p50/p95/p99, HTTP errors, and duplicates in Avalara (customers and certificates beyond one per
Nuvo customer and certificate region; zero expected). `--check` exits 1 unless every send
finished with nothing failed or duplicated (the bounded CI run uses it).

The servers run on the README's embedded defaults apart from the database and broker (DEBUG on:
session cookies without Secure, since the load comes over plain HTTP on loopback).
"""

import argparse
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

from _setup import ROOT, SimulatorProcess, free_port, padded_pdf

REGIONS = ["TX", "WA", "OK", "KS", "NE", "OH", "MI", "GA", "CO", "ID"]
PASSWORD = "load-password-1"


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class ScratchDatabase:
    """A PostgreSQL database of this run's, dropped at the end."""

    def __init__(self, server: str) -> None:
        import psycopg

        self.name = f"nuvo_load_{os.getpid()}"
        self.server = server.rstrip("/")
        self.url = f"{self.server}/{self.name}"
        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
            admin.execute(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        import psycopg

        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def seed(args, simulator_url: str) -> dict:
    """Migrate, connect Avalara, and make the customers, certificates and analysts."""
    import django
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    settings.AVALARA_BASE_URL = simulator_url

    from certificates.models import TaxExemptionCertificate
    from certificates.reasons import ExemptionReason
    from certificates.services import CertificateUpload, certificate_create
    from creditapps.models import CreditApplication, Customer
    from integrations import services
    from nuvo.models import Membership, Organization
    from nuvo.roles import member_for

    organization = Organization.objects.create(name="Load Supply", slug="load")
    users = []
    for n in range(max(args.browsers, args.senders)):
        user = get_user_model().objects.create_user(f"analyst{n}", password=PASSWORD)
        Membership.objects.create(
            user=user, organization=organization, role=Membership.Role.CREDIT_ANALYST
        )
        users.append(user.username)
    admin = get_user_model().objects.create_user("load-admin", password=PASSWORD)
    Membership.objects.create(user=admin, organization=organization, role=Membership.Role.ADMIN)
    services.avalara_connect(
        member=member_for(admin),
        environment="sandbox",
        username="nuvo-demo",
        password="avalara-demo",
    )
    customer_ids, application_ids = [], []
    for n in range(args.customers):
        customer = Customer.objects.create(
            organization=organization,
            legal_name=f"Load Customer {n:04d} LLC",
            email=f"ap{n}@load.example",
            address_line1="1 Main St",
            city="Austin",
            region="TX",
            postal_code="78701",
            country="US",
            tax_id=f"12-{n:07d}",  # one each: shared ones are flagged as possible duplicates
        )
        application = CreditApplication.objects.create(
            organization=organization,
            customer=customer,
            status=CreditApplication.Status.SUBMITTED,
            requested_credit_limit=50_000,
            requested_terms=CreditApplication.Terms.NET_30,
        )
        for region in REGIONS[: args.certificates]:
            certificate_create(
                customer=customer,
                upload=CertificateUpload(
                    content=padded_pdf(f"Resale {n} {region}", 20_000),
                    filename=f"{region}.pdf",
                    exempt_regions=[region],
                    exemption_reason=ExemptionReason.RESALE,
                    effective_date=date(2026, 1, 15),
                    tax_id=customer.tax_id,
                ),
                source=TaxExemptionCertificate.Source.STAFF_UPLOAD,
            )
        customer_ids.append(customer.pk)
        application_ids.append(application.pk)
    return {"users": users, "customers": customer_ids, "applications": application_ids}


class Servers:
    """gunicorn and two Celery workers, with the environment this process runs with."""

    def __init__(self, env: dict, scratch: Path) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.processes = []
        log = (scratch / "servers.log").open("w")
        self.log_path = scratch / "servers.log"
        common = {"cwd": ROOT, "env": env, "stdout": log, "stderr": subprocess.STDOUT}
        gunicorn = [sys.executable, "-m", "gunicorn", "nuvo.wsgi:application"]
        gunicorn += ["--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--threads", "4"]
        self.processes.append(subprocess.Popen(gunicorn, **common))
        for n in range(2):
            worker = [sys.executable, "-m", "celery", "-A", "nuvo", "worker", "--pool=solo"]
            worker += ["--without-gossip", "--without-mingle", "-n", f"load{n}@%h"]
            worker += ["-Q", env["CELERY_TASK_DEFAULT_QUEUE"], "--loglevel=WARNING"]
            self.processes.append(subprocess.Popen(worker, **common))
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        import requests

        for _ in range(200):
            try:
                requests.get(f"{self.base_url}/healthz", timeout=5)
                return
            except requests.RequestException:  # not listening yet, or still loading
                time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not start; see {self.log_path}")

    def stop(self) -> None:
        for process in self.processes:
            process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def logged_in(base_url: str, username: str):
    import requests

    session = requests.Session()
    session.trust_env = False
    page = session.get(f"{base_url}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(
        f"{base_url}/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base_url}/accounts/login/"},
        timeout=30,
    )
    if "sessionid" not in session.cookies:
        raise RuntimeError(f"login failed for {username}: {answer.status_code}")
    return session


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.sends = 0

    def page(self, seconds: float, status: int, url: str) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if status >= 400:
                self.errors.append(f"{status} {url}")

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)


def browse(base_url, username, seeded, tally: Tally, stop: threading.Event) -> None:
    session = logged_in(base_url, username)
    pages = ["/applications/", "/customers/", "/reports/failed-api-calls/"]
    n = 0
    while not stop.is_set():
        n += 1
        customer = seeded["customers"][n % len(seeded["customers"])]
        application = seeded["applications"][n % len(seeded["applications"])]
        for path in [*pages, f"/customers/{customer}/", f"/applications/{application}/"]:
            started = time.perf_counter()
            try:
                answer = session.get(base_url + path, timeout=60)
            except Exception as exc:  # a load client counts every failure, whatever it is
                tally.error(f"{type(exc).__name__} {path}")
                continue
            tally.page(time.perf_counter() - started, answer.status_code, path)


def send_all(base_url, username, customer_ids, tally: Tally) -> None:
    session = logged_in(base_url, username)
    for customer in customer_ids:
        path = f"/customers/{customer}/send-to-avalara/"
        try:
            answer = session.post(
                base_url + path,
                headers={"X-CSRFToken": session.cookies["csrftoken"], "Referer": base_url + "/"},
                timeout=60,
            )
        except Exception as exc:  # counted, the run goes on
            tally.error(f"{type(exc).__name__} POST {path}")
            continue
        if answer.status_code >= 400:
            tally.error(f"{answer.status_code} POST {path}")
        else:
            with tally.lock:
                tally.sends += 1


def avalara_counts(simulator) -> tuple[int, int]:
    state = simulator._call("GET", "/_simulator/state")
    customers = sum(len(company["customers"]) for company in state["companies"])
    certificates = sum(len(company["certificates"]) for company in state["companies"])
    return customers, certificates


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=200)
    parser.add_argument("--certificates", type=int, default=5, help=f"at most {len(REGIONS)}")
    parser.add_argument("--browsers", type=int, default=4)
    parser.add_argument("--senders", type=int, default=4)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--timeout", type=float, default=900, help="seconds for every send")
    parser.add_argument("--check", action="store_true", help="exit 1 on any failure")
    args = parser.parse_args()
    if not 1 <= args.certificates <= len(REGIONS):
        parser.error(f"--certificates must be between 1 and {len(REGIONS)}")

    import tempfile

    scratch = Path(tempfile.mkdtemp(prefix="nuvo-load-"))
    database = ScratchDatabase(args.postgres)
    simulator = SimulatorProcess(latency_ms=args.latency_ms)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "nuvo.settings",
        "DATABASE_URL": database.url,
        "CELERY_BROKER_URL": args.redis,
        "CELERY_TASK_DEFAULT_QUEUE": f"nuvo-load-{os.getpid()}-{secrets.token_hex(3)}",
        "DJANGO_MEDIA_ROOT": str(scratch / "media"),
        "AVALARA_BASE_URL": simulator.base_url,
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    servers = None
    try:
        started = time.perf_counter()
        seeded = seed(args, simulator.base_url)
        seeding = time.perf_counter() - started
        simulator.clear_requests()
        servers = Servers(env, scratch)
        result = run_load(args, seeded, servers.base_url)
        customers, certificates = avalara_counts(simulator)
        requests_made = simulator.request_count()
    finally:
        if servers is not None:
            servers.stop()
        simulator.stop()
        from django.db import connections

        connections.close_all()
        database.drop()
    return report(args, seeding, result, customers, certificates, requests_made)


def run_load(args, seeded, base_url: str) -> dict:
    from integrations.models import AvalaraCertificate, AvalaraSend

    tally, stop = Tally(), threading.Event()
    browsers = [
        threading.Thread(target=browse, args=(base_url, user, seeded, tally, stop), daemon=True)
        for user in seeded["users"][: args.browsers]
    ]
    shares = [seeded["customers"][n :: args.senders] for n in range(args.senders)]
    senders = [
        threading.Thread(target=send_all, args=(base_url, user, share, tally), daemon=True)
        for user, share in zip(seeded["users"], shares, strict=False)
    ]
    started = time.perf_counter()
    for thread in browsers + senders:
        thread.start()
    for thread in senders:
        thread.join()
    pressed = time.perf_counter() - started
    deadline = time.monotonic() + args.timeout
    active = AvalaraSend.objects.filter(status__in=AvalaraSend.ACTIVE)
    while active.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    drained = time.perf_counter() - started
    stop.set()
    for thread in browsers:
        thread.join(timeout=60)
    rows = AvalaraCertificate.objects
    return {
        "tally": tally,
        "pressed": pressed,
        "drained": drained,
        "still_active": active.count(),
        "sends_done": AvalaraSend.objects.filter(status=AvalaraSend.Status.DONE).count(),
        "sends_failed": AvalaraSend.objects.filter(status=AvalaraSend.Status.FAILED).count(),
        "rows_sent": rows.filter(state=AvalaraCertificate.State.SENT).count(),
        "rows_other": rows.exclude(state=AvalaraCertificate.State.SENT).count(),
    }


def report(args, seeding, result, customers, certificates, requests_made) -> int:
    tally = result["tally"]
    expected_certificates = args.customers * args.certificates
    duplicates = max(0, customers - args.customers) + max(0, certificates - expected_certificates)
    lost = expected_certificates - result["rows_sent"]
    pages = tally.latencies
    print(
        f"Load: {args.customers} customers x {args.certificates} certificates sent through the "
        f"web by {args.senders} analysts while {args.browsers} browse; gunicorn 2x4, 2 Celery "
        f"workers, {args.latency_ms} ms per Avalara call (seeded in {seeding:.0f} s)"
    )
    print(
        f"  sends pressed in {result['pressed']:.1f} s, all finished after "
        f"{result['drained']:.1f} s: {result['sends_done']} done, "
        f"{result['sends_failed']} failed, {result['still_active']} still running"
    )
    throughput = result["rows_sent"] / result["drained"] if result["drained"] else 0.0
    print(
        f"  throughput {throughput:.1f} certificates/s, "
        f"{60 * result['sends_done'] / result['drained']:.0f} customers/min; "
        f"{requests_made} Avalara requests"
    )
    print(
        f"  pages: {len(pages)} loaded, p50 {1000 * percentile(pages, 0.5):.0f} ms, "
        f"p95 {1000 * percentile(pages, 0.95):.0f} ms, p99 {1000 * percentile(pages, 0.99):.0f} "
        f"ms, mean {1000 * (statistics.fmean(pages) if pages else 0):.0f} ms"
    )
    print(
        f"  HTTP errors {len(tally.errors)}"
        + (f" (first: {tally.errors[:3]})" if tally.errors else "")
    )
    print(
        f"  Avalara holds {customers} customers and {certificates} certificates: duplicates "
        f"{duplicates}, certificates not sent {lost}"
    )
    healthy = not (
        tally.errors or duplicates or lost or result["sends_failed"] or result["still_active"]
    )
    print(f"target: zero errors, duplicates and losses: {'met' if healthy else 'MISSED'}")
    return 0 if healthy or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
