from django.db import models

from certificates.reasons import ExemptionReason


class AvalaraDefinitions(models.Model):
    """The account's own vocabulary, cached per connection: exposure zones and exemption reasons.

    Avalara names both per account (definitions/certificateexposurezones and
    .../certificateexemptreasons); nothing here is hard-coded. Refreshed on connect and daily.
    """

    connection = models.OneToOneField(
        "integrations.AvalaraConnection", on_delete=models.CASCADE, related_name="definitions"
    )
    # [{"name": "Washington", "region": "WA", "country": "US"}, ...]
    exposure_zones = models.JSONField(default=list)
    # ["RESALE", "AGRICULTURE", ...]
    exemption_reasons = models.JSONField(default=list)
    fetched_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "Avalara definitions"

    def __str__(self) -> str:
        return f"Definitions for connection {self.connection_id} at {self.fetched_at:%Y-%m-%d}"


class ExemptionReasonMapping(models.Model):
    """An admin's choice of the account's reason name for one of Nuvo's exemption reasons."""

    organization = models.ForeignKey(
        "nuvo.Organization", on_delete=models.CASCADE, related_name="exemption_reason_mappings"
    )
    nuvo_reason = models.CharField(max_length=40, choices=ExemptionReason.choices)
    avalara_reason = models.CharField("Avalara exemption reason", max_length=100)
    updated_by = models.ForeignKey(
        "nuvo.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "nuvo_reason"], name="one_reason_mapping_per_reason"
            )
        ]
        ordering = ["nuvo_reason"]

    def __str__(self) -> str:
        return f"{self.get_nuvo_reason_display()} → {self.avalara_reason}"
