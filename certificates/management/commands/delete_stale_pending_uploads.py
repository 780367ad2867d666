from django.core.management.base import BaseCommand

from certificates.kept_files import pending_uploads_delete_stale


class Command(BaseCommand):
    help = (
        "Delete certificate files kept across a failed submit (PendingUpload) once older than "
        "a day. Celery beat runs the same every hour."
    )

    def handle(self, *args, **options):
        deleted = pending_uploads_delete_stale()
        self.stdout.write(self.style.SUCCESS(f"{deleted} kept file(s) deleted."))
