import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from certificates.reasons import ExemptionReason
from nuvo.regions import region_name


def certificate_upload_path(instance: "TaxExemptionCertificate", filename: str) -> str:
    # Stored under a random name: the customer's original filename is kept in a column instead.
    return f"certificates/{instance.organization_id}/{uuid.uuid4().hex}.pdf"


class TaxExemptionCertificate(models.Model):
    class Source(models.TextChoices):
        STAFF_UPLOAD = "staff_upload", "Uploaded by staff"
        APPLICATION_FORM = "application_form", "Credit application form"
        INFO_REQUEST = "info_request", "Request Info response"
        API = "api", "API"

    organization = models.ForeignKey(
        "nuvo.Organization", on_delete=models.PROTECT, related_name="certificates"
    )
    customer = models.ForeignKey(
        "creditapps.Customer", on_delete=models.PROTECT, related_name="certificates"
    )
    name = models.CharField(
        max_length=150,
        blank=True,
        help_text="What staff call it, e.g. 'Texas resale certificate'.",
    )
    file = models.FileField(upload_to=certificate_upload_path)
    original_filename = models.CharField(max_length=255)
    file_size = models.PositiveIntegerField()
    page_count = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    has_scripts = models.BooleanField(
        "has form scripts",
        default=False,
        help_text="Its form fields carry JavaScript. Kept as uploaded; Nuvo never runs it.",
    )
    exempt_regions = models.JSONField(
        default=list, help_text="Region codes the certificate covers, e.g. ['TX', 'OK']."
    )
    exemption_reason = models.CharField(max_length=40, choices=ExemptionReason.choices)
    effective_date = models.DateField(help_text="The date the certificate was signed.")
    expiration_date = models.DateField(
        null=True, blank=True, help_text="Empty means it never expires."
    )
    is_single_use = models.BooleanField("single-use certificate", default=False)
    po_number = models.CharField("PO number", max_length=60, blank=True)
    tax_id = models.CharField("tax ID on the certificate", max_length=40, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        # The certificates list's order, and the expiring certificates (soonest first).
        indexes = [
            models.Index(
                fields=["organization", "-uploaded_at", "-id"], name="certificate_list_order"
            ),
            models.Index(
                fields=["organization", "expiration_date", "id"], name="certificate_expiry_order"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "sha256"], name="certificate_unique_file_per_customer"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("certificates:preview", kwargs={"pk": self.pk})

    @property
    def display_name(self) -> str:
        return self.name or PurePath(self.original_filename).stem or f"Certificate {self.pk}"

    @property
    def region_names(self) -> list[str]:
        return [region_name(code) for code in self.exempt_regions]

    @property
    def is_expired(self) -> bool:
        return self.expiration_date is not None and self.expiration_date < timezone.localdate()


def pending_upload_path(instance: "PendingUpload", filename: str) -> str:
    return f"pending/{uuid.uuid4().hex}.pdf"


class PendingUpload(models.Model):
    """A certificate PDF that passed intake on a submit that failed for another reason.

    Kept so the corrected form need not ask for the file again ("file.pdf — Change"). It belongs
    to one form (`owner`: a hash of the form's token, or of the Request Info it answers) and is
    found only by its unguessable `key` together with that owner; it lasts a day at most.
    """

    key = models.CharField(max_length=64, unique=True)
    owner = models.CharField(max_length=64, db_index=True)
    file = models.FileField(upload_to=pending_upload_path)
    original_filename = models.CharField(max_length=255)
    # The facts intake found, so the kept file is not parsed a second time.
    file_size = models.PositiveIntegerField()
    page_count = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    has_scripts = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return self.original_filename
