from django.core.management.base import BaseCommand

from creditapps.demo import DEMO_PASSWORD, DEMO_USERS, OPERATOR_USERNAME, seed_demo


class Command(BaseCommand):
    help = "Create the demo organization, users and customers (safe to run again)."

    def handle(self, *args, **options):
        organization, added = seed_demo()
        self.stdout.write(
            self.style.SUCCESS(f"{organization.name}: {added} demo customer(s) added.")
        )
        logins = ", ".join(username for username, *_ in DEMO_USERS)
        self.stdout.write(f"Demo logins: {logins} (password {DEMO_PASSWORD})")
        self.stdout.write(
            f"Django admin (/admin/, platform operators only): {OPERATOR_USERNAME} "
            f"(password {DEMO_PASSWORD})"
        )
        self.stdout.write(f"Public application form: {organization.get_public_form_url()}")
