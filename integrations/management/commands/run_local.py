"""`manage.py run_local`: everything a newcomer needs, in one command, on embedded defaults."""

import os
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from integrations.simulator import make_server


class Command(BaseCommand):
    help = (
        "Migrate, load the demo data, start the bundled Avalara simulator and serve Nuvo on "
        "http://127.0.0.1:8000 (local use only)."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--noreload", action="store_true", help="don't restart on code changes")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("run_local is for local use; it refuses to run with DJANGO_DEBUG=0.")
        # The autoreloader runs this command again in a child process (RUN_MAIN=true) on every
        # restart; set-up and the simulator belong to the long-lived parent only.
        if os.environ.get("RUN_MAIN") != "true":
            call_command("migrate", interactive=False, verbosity=0)
            call_command("seed_demo")
            self._start_simulator()
        call_command("runserver", options["addrport"], use_reloader=not options["noreload"])

    def _start_simulator(self) -> None:
        if settings.AVALARA_BASE_URL != settings.AVALARA_SIMULATOR_URL:
            self.stdout.write(f"Avalara: {settings.AVALARA_BASE_URL or 'real Avalara hosts'}")
            return
        address = urlsplit(settings.AVALARA_SIMULATOR_URL)
        try:
            simulator = make_server(address.hostname, address.port).start()
        except OSError:
            self.stdout.write(
                f"Avalara simulator: {settings.AVALARA_SIMULATOR_URL} is already in use; "
                "assuming a simulator is running there."
            )
            return
        self.stdout.write(
            f"Avalara simulator on {simulator.base_url}. Connect in Settings > Integrations with "
            "Username/Account ID nuvo-demo and Password/License Key avalara-demo."
        )
