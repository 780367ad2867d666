"""What is known of which exemption reasons are exempt in which regions, per organization."""

from django.conf import settings
from django.db import models

from certificates.reasons import ExemptionReason


class ReasonRegionRule(models.Model):
    """One reason-by-region cell of the organization's exemption matrix.

    Avalara's state grid is not available to Nuvo (shared/avatax/exempt-reason-matrix.json), so
    cells come from admins (edited or imported as CSV) and from Avalara's own rejections, each
    with its source and date. A known "not exempt" blocks a send; an unknown cell never does.
    """

    class Source(models.TextChoices):
        MANUAL = "manual", "Entered by an admin"
        CSV = "csv", "Imported from CSV"
        AVALARA = "avalara", "Learned from Avalara's rejection"

    organization = models.ForeignKey(
        "nuvo.Organization", on_delete=models.CASCADE, related_name="reason_region_rules"
    )
    exemption_reason = models.CharField(max_length=40, choices=ExemptionReason.choices)
    region = models.CharField(max_length=3)
    exempt = models.BooleanField()
    source = models.CharField(max_length=20, choices=Source.choices)
    note = models.CharField(max_length=500, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["exemption_reason", "region"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "exemption_reason", "region"],
                name="one_reason_region_rule",
            )
        ]

    def __str__(self) -> str:
        verdict = "exempt" if self.exempt else "not exempt"
        return f"{self.exemption_reason} {verdict} in {self.region}"
