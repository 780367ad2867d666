from django.conf import settings
from django.db import models


class CertificateEvent(models.Model):
    """A certificate's history with Avalara (its History tab), beside the calls made for it."""

    class Kind(models.TextChoices):
        CHECKED = "checked", "Checked before sending"
        HELD = "held", "Held until its effective date"
        QUEUED = "queued", "Queued to send"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        RETRIED = "retried", "Retried"
        STATUS_CHANGED = "status_changed", "Status changed in Avalara"
        DISMISSED = "dismissed", "Dismissed from Failed API Calls"
        LEARNED = "learned", "Avalara's rejection learned"

    organization = models.ForeignKey(
        "nuvo.Organization", on_delete=models.CASCADE, related_name="certificate_events"
    )
    certificate = models.ForeignKey(
        "certificates.TaxExemptionCertificate", on_delete=models.CASCADE, related_name="history"
    )
    region = models.CharField(max_length=3, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    message = models.TextField(blank=True)
    # [{"code", "field", "message", "meaning", "fix", "fix_url"}] for checks and rejections.
    problems = models.JSONField(default=list, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.certificate_id})"
