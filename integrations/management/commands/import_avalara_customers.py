"""`manage.py import_avalara_customers FILE --organization SLUG [--dry-run] [--verify]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from integrations.avalara import AvalaraError
from integrations.services.connection import avalara_client_get
from integrations.services.imports import Outcome, import_avalara_customers, read_rows
from integrations.services.sending import connected_connection
from nuvo.models import Organization


class Command(BaseCommand):
    help = (
        "Give existing Nuvo customers the Avalara IDs (customer codes) they already have in "
        "Avalara, from a CSV with customer_code and tax_id, email or name columns."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--organization", required=True, help="the organization's slug")
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would happen; change nothing"
        )
        parser.add_argument(
            "--verify", action="store_true", help="look each matched code up in Avalara first"
        )

    def handle(self, *args, file: Path, organization: str, dry_run: bool, verify: bool, **options):
        org = Organization.objects.filter(slug=organization).first()
        if org is None:
            raise CommandError(f"No organization with slug {organization!r}.")
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        try:
            connection = connected_connection(org)
        except AvalaraError as error:
            raise CommandError(f"{error.code}: {error.summary} {error.resolution}") from error
        client = None
        if verify:
            client, connection = avalara_client_get(organization=org, interactive=False)
        try:
            report = import_avalara_customers(
                organization=org,
                company_id=connection.company_id,
                rows=read_rows(text),
                dry_run=dry_run,
                verify_client=client,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            if client is not None:
                client.close()
        for row in report.rows:
            if row.outcome != Outcome.MATCHED or dry_run:
                name = f" → {row.customer.legal_name}" if row.customer else ""
                detail = f" ({row.detail})" if row.detail else ""
                self.stdout.write(
                    f"line {row.line}: {row.customer_code}{name}: {row.outcome}{detail}"
                )
        summary = ", ".join(
            f"{count} {outcome}" for outcome, count in report.counts.items() if count
        )
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {report.count(Outcome.MATCHED)} Avalara ID(s). {summary or 'No rows.'}"
            )
        )
