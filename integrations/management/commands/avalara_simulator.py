"""`manage.py avalara_simulator`: serve the local AvaTax stand-in (integrations/simulator)."""

from django.core.management.base import BaseCommand, CommandError

from integrations.simulator import make_server
from integrations.simulator.accounts import DEMO_ACCOUNTS


class Command(BaseCommand):
    help = "Serve a local stand-in for Avalara AvaTax's exemption-certificate API (no account)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--latency-ms", type=int, default=0, help="added to every request")
        parser.add_argument(
            "--error-rate", type=float, default=0.0, help="share of AvaTax calls answered 500"
        )
        parser.add_argument("--seed", type=int, default=None, help="seed for --error-rate draws")
        parser.add_argument("--page-size", type=int, default=1000, help="default list page size")
        parser.add_argument(
            "--provisioning-delay",
            type=float,
            default=3.0,
            help="seconds RequestCertificateSetup stays InProgress",
        )

    def handle(self, *args, **options):
        if not 0.0 <= options["error_rate"] <= 1.0:
            raise CommandError("--error-rate must be between 0 and 1.")
        if not 1 <= options["page_size"] <= 1000:
            raise CommandError("--page-size must be between 1 and 1000.")
        try:
            handle = make_server(
                options["host"],
                options["port"],
                verbose=True,
                page_size=options["page_size"],
                provisioning_delay=options["provisioning_delay"],
                seed=options["seed"],
                latency_ms=options["latency_ms"],
                error_rate=options["error_rate"],
            )
        except OSError as exc:
            raise CommandError(
                f"Cannot listen on {options['host']}:{options['port']}: {exc}"
            ) from exc
        self.stdout.write(f"Avalara simulator on {handle.base_url} (Ctrl-C to stop)")
        self.stdout.write("Demo credentials:")
        for account in DEMO_ACCOUNTS:
            user, secret = (
                (account.username, account.password)
                if account.username
                else (str(account.account_id), account.license_key)
            )
            companies = ", ".join(str(company.id) for company in account.companies)
            self.stdout.write(
                f"  {user} / {secret}  account {account.account_id}, companies {companies}: "
                f"{account.notes}"
            )
        self.stdout.write(
            f"Controls: {handle.base_url}/_simulator (faults, requests, reset, state)"
        )
        self.stdout.flush()
        try:
            handle.serve_forever()
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")
        finally:
            handle.stop()
