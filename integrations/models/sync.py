"""Reading certificate status back from Avalara: certificates only Avalara has, and sync runs."""

from django.db import models

from integrations.models.status import AvalaraStatus


class AvalaraOnlyCertificate(AvalaraStatus):
    """A certificate Avalara holds for a Nuvo customer's code that Nuvo did not send (added in
    CertCapture directly), listed "from Avalara" so the page matches Avalara. Its PDF is fetched
    from Avalara when someone opens it, then kept."""

    organization = models.ForeignKey(
        "nuvo.Organization", on_delete=models.CASCADE, related_name="avalara_only_certificates"
    )
    customer = models.ForeignKey(
        "creditapps.Customer", on_delete=models.CASCADE, related_name="avalara_only_certificates"
    )
    company_id = models.PositiveBigIntegerField()
    avalara_id = models.PositiveBigIntegerField()
    region = models.CharField(max_length=3, blank=True)
    signed_date = models.DateField(null=True, blank=True)
    filename = models.CharField(max_length=255, blank=True)
    page_count = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="avalara-certificates/", blank=True)

    class Meta(AvalaraStatus.Meta):
        abstract = False
        ordering = ["customer_id", "avalara_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company_id", "avalara_id"], name="avalara_only_certificate_once"
            )
        ]

    def __str__(self) -> str:
        return f"Avalara certificate {self.avalara_id} of customer {self.customer_id}"

    @property
    def display_name(self) -> str:
        return self.filename or f"Avalara certificate {self.avalara_id}"


class AvalaraSyncRun(models.Model):
    """One pass over the company's certificates in Avalara, page by page, resumable."""

    class Kind(models.TextChoices):
        FULL = "full", "Full"
        INCREMENTAL = "incremental", "Incremental"

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    connection = models.ForeignKey(
        "integrations.AvalaraConnection", on_delete=models.CASCADE, related_name="sync_runs"
    )
    company_id = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    # Incremental runs read what changed since this date (modifiedDate is a date).
    modified_since = models.DateField(null=True, blank=True)
    next_skip = models.PositiveIntegerField(default=0)
    pages = models.PositiveIntegerField(default=0)
    certificates_read = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_added = models.PositiveIntegerField(default=0)
    marked_missing = models.PositiveIntegerField(default=0)
    error_code = models.CharField(max_length=40, blank=True)
    error_message = models.TextField(blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    heartbeat_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["connection"],
                condition=models.Q(status="running"),
                name="one_running_sync_per_connection",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} sync {self.pk} ({self.status})"
