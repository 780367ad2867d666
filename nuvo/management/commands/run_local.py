"""`manage.py run_local`: everything a newcomer needs, in one command, on embedded defaults."""

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Migrate, load the demo data and serve Nuvo on http://127.0.0.1:8000 (local use only)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--noreload", action="store_true", help="don't restart on code changes")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("run_local is for local use; it refuses to run with DJANGO_DEBUG=0.")
        # The autoreloader runs this command again in a child process (RUN_MAIN=true) on every
        # restart; set-up belongs to the long-lived parent only.
        if os.environ.get("RUN_MAIN") != "true":
            call_command("migrate", interactive=False, verbosity=0)
            call_command("seed_demo")
        call_command("runserver", options["addrport"], use_reloader=not options["noreload"])
