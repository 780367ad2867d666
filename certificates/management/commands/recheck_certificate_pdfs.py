from django.core.management.base import BaseCommand

from certificates.models import TaxExemptionCertificate
from certificates.services import certificate_recheck


class Command(BaseCommand):
    help = (
        "Run today's PDF checks on every stored certificate: mark form scripts (has_scripts) "
        "and list the files that would now be refused. Nothing is deleted."
    )

    def handle(self, *args, **options):
        checked = marked = 0
        for certificate in TaxExemptionCertificate.objects.order_by("pk").iterator():
            refusal = certificate_recheck(certificate=certificate)
            checked += 1
            marked += certificate.has_scripts
            if refusal:
                self.stdout.write(
                    f"certificate {certificate.pk} (organization {certificate.organization_id}, "
                    f"customer {certificate.customer_id}) would now be refused: {refusal}"
                )
        self.stdout.write(
            self.style.SUCCESS(f"{checked} certificate(s) checked, {marked} with form scripts.")
        )
