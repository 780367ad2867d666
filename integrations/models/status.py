"""What Avalara holds for a certificate, as last read, and the badge Nuvo shows for it."""

from django.db import models


class Badge(models.TextChoices):
    """The integration guide's badges: Valid (green), Invalid (red), Missing (gray)."""

    VALID = "valid", "Valid"
    INVALID = "invalid", "Invalid"
    MISSING = "missing", "Missing"


class AvalaraStatus(models.Model):
    """Avalara's stored status of one Avalara certificate (REFERENCE.md §5), never our guess."""

    found_in_avalara = models.BooleanField(null=True, blank=True)  # None: not read yet
    avalara_valid = models.BooleanField(null=True, blank=True)
    avalara_status = models.CharField(max_length=40, blank=True)  # e.g. PENDING, COMPLETE
    avalara_ecm_status = models.CharField(max_length=40, blank=True)  # Valid, Expired, ...
    avalara_expiration_date = models.DateField(null=True, blank=True)
    avalara_exposure_zone = models.CharField(max_length=100, blank=True)
    avalara_exemption_reason = models.CharField(max_length=100, blank=True)
    avalara_invalid_reasons = models.JSONField(default=list, blank=True)
    avalara_modified_date = models.DateField(null=True, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)
    # The last full sync that saw it: rows a finished full pass did not see are not in Avalara.
    seen_in_sync = models.PositiveBigIntegerField(null=True, blank=True)
    badge = models.CharField(max_length=10, choices=Badge.choices, default=Badge.MISSING)
    badge_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def is_pending_review(self) -> bool:
        return self.avalara_status.upper() == "PENDING"
