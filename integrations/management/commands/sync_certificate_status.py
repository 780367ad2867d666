"""`manage.py sync_certificate_status [--full] [--organization SLUG]`: without Redis or beat."""

from django.core.management.base import BaseCommand, CommandError

from integrations.avalara import AvalaraError
from integrations.models import AvalaraConnection
from integrations.services.sync import SyncBusy, run_certificate_sync


class Command(BaseCommand):
    help = (
        "Read certificate status (Valid / Invalid / Missing) from Avalara for every connected "
        "organization, or one. Incremental unless --full; safe to run from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="read every certificate")
        parser.add_argument("--organization", help="only this organization (its slug)")

    def handle(self, *args, full: bool, organization: str | None, **options):
        connections = AvalaraConnection.objects.filter(
            status=AvalaraConnection.Status.CONNECTED
        ).select_related("organization")
        if organization:
            connections = connections.filter(organization__slug=organization)
            if not connections.exists():
                raise CommandError(f"No connected Avalara integration for {organization!r}.")
        failed = 0
        for connection in connections:
            name = connection.organization.name
            try:
                run = run_certificate_sync(connection=connection, full=full)
            except SyncBusy:
                self.stdout.write(f"{name}: a sync is already running.")
                continue
            except AvalaraError as error:
                failed += 1
                self.stderr.write(f"{name}: {error.code}: {error.summary} (resumes next run)")
                continue
            self.stdout.write(
                f"{name}: {run.get_kind_display().lower()} sync, {run.pages} page(s), "
                f"{run.certificates_read} certificate(s) read, {run.rows_updated} updated, "
                f"{run.rows_added} added from Avalara, {run.marked_missing} missing."
            )
        if failed:
            raise CommandError(f"{failed} sync(s) failed.")
