from django.db import models


class AvalaraCall(models.Model):
    """One HTTP call to Avalara, for a customer or a certificate. Never credentials or PDF bytes."""

    class Outcome(models.TextChoices):
        OK = "ok", "Succeeded"
        FAILED = "failed", "Failed"
        UNKNOWN = "unknown", "Outcome unknown"

    organization = models.ForeignKey(
        "nuvo.Organization", on_delete=models.CASCADE, related_name="avalara_calls"
    )
    send = models.ForeignKey(
        "integrations.AvalaraSend",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calls",
    )
    customer = models.ForeignKey(
        "creditapps.Customer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="avalara_calls",
    )
    certificate = models.ForeignKey(
        "certificates.TaxExemptionCertificate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="avalara_calls",
    )
    avalara_certificate = models.ForeignKey(
        "integrations.AvalaraCertificate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calls",
    )
    operation = models.CharField(max_length=60)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    started_at = models.DateTimeField(db_index=True)
    duration_ms = models.PositiveIntegerField()
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    error_code = models.CharField(max_length=40, blank=True)
    avalara_code = models.CharField(max_length=100, blank=True)
    avalara_message = models.TextField(blank=True)
    correlation_id = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        indexes = [models.Index(fields=["organization", "started_at"])]

    def __str__(self) -> str:
        return f"{self.operation} {self.outcome} at {self.started_at:%Y-%m-%d %H:%M:%S}"
