"""What Nuvo has sent to Avalara: each customer's record there, each send, each certificate copy."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from integrations.models.status import AvalaraStatus

CUSTOMER_CODE_PREFIX = "NUVO_"


def new_customer_code() -> str:
    """`NUVO_{uuid}`: 41 characters, inside CertCapture's 50 (REFERENCE.md §4)."""
    return f"{CUSTOMER_CODE_PREFIX}{uuid.uuid4()}"


class AvalaraCustomer(models.Model):
    """A Nuvo customer's record in Avalara: its customer code (the Avalara ID) and its company.

    The code is generated once, before the first call, and never typed by hand; an imported code
    (a customer already in Avalara) is kept as it is.
    """

    class Source(models.TextChoices):
        GENERATED = "generated", "Created by Nuvo"
        IMPORTED = "imported", "Imported"

    organization = models.ForeignKey(
        "nuvo.Organization", on_delete=models.CASCADE, related_name="avalara_customers"
    )
    customer = models.OneToOneField(
        "creditapps.Customer", on_delete=models.CASCADE, related_name="avalara"
    )
    customer_code = models.CharField("Avalara ID", max_length=50)
    company_id = models.PositiveBigIntegerField()
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.GENERATED)
    # Set once Avalara is known to hold the customer (created, found, or imported).
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The last failure to create it, until it is created (the Failed API Calls report).
    last_error_code = models.CharField(max_length=40, blank=True)
    last_error_message = models.TextField(blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dismiss_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["company_id", "customer_code"], name="avalara_code_unique_per_company"
            )
        ]
        # The Failed API Calls report and its count in the navigation, newest first.
        indexes = [
            models.Index(
                fields=["organization", "dismissed_at", "-failed_at"],
                name="avalara_customer_failures",
            )
        ]

    def __str__(self) -> str:
        return self.customer_code

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def is_unused(self) -> bool:
        """Avalara never saw this code: no customer made, no certificate, no send under way."""
        return (
            not self.is_confirmed
            and not AvalaraSend.objects.filter(
                customer_id=self.customer_id, status__in=AvalaraSend.ACTIVE
            ).exists()
            and not AvalaraCertificate.objects.filter(
                certificate__customer_id=self.customer_id, avalara_id__isnull=False
            ).exists()
        )


class AvalaraSend(models.Model):
    """One Send to Avalara of a customer: who asked, from where, and how it ended."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Sending"
        DONE = "done", "Sent"
        PARTIAL = "partial", "Sent with problems"
        FAILED = "failed", "Failed"

    class Trigger(models.TextChoices):
        MENU = "menu", "More > Send to Avalara"
        APPROVAL = "approval", "Send Customer to Avalara (approval)"
        BULK = "bulk", "Bulk send"
        API = "api", "API"
        RETRY = "retry", "Retry"
        SCHEDULED = "scheduled", "On its effective date"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    organization = models.ForeignKey(
        "nuvo.Organization", on_delete=models.CASCADE, related_name="avalara_sends"
    )
    customer = models.ForeignKey(
        "creditapps.Customer", on_delete=models.CASCADE, related_name="avalara_sends"
    )
    application = models.ForeignKey(
        "creditapps.CreditApplication",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="avalara_sends",
    )
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    # Sends started together from the applications list share a batch.
    batch = models.UUIDField(null=True, blank=True, db_index=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    company_id = models.PositiveBigIntegerField()
    error_code = models.CharField(max_length=40, blank=True)
    error_message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When a send waiting for a retry (429, 503, no connection) is due to run again.
    retry_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Two people clicking at once share one send.
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_avalara_send_per_customer",
            )
        ]

    def __str__(self) -> str:
        return f"Send {self.pk} of customer {self.customer_id} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class AvalaraCertificate(AvalaraStatus):
    """One Nuvo certificate in one exempt region: one Avalara certificate (one exposure zone each).

    A certificate covering Kansas and Nebraska is two rows and two Avalara certificates with the
    same PDF. `avalara_id` is set once Avalara holds it, and never twice for one Avalara id.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        HELD = "held", "Held"
        BLOCKED = "blocked", "Needs fixing"
        FAILED = "failed", "Failed"

    organization = models.ForeignKey(
        "nuvo.Organization", on_delete=models.CASCADE, related_name="avalara_certificates"
    )
    certificate = models.ForeignKey(
        "certificates.TaxExemptionCertificate",
        on_delete=models.CASCADE,
        related_name="avalara_copies",
    )
    region = models.CharField(max_length=3)
    company_id = models.PositiveBigIntegerField()
    exposure_zone = models.CharField(max_length=100, blank=True)
    avalara_id = models.PositiveBigIntegerField(null=True, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.QUEUED)
    send = models.ForeignKey(
        AvalaraSend, on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )
    # A create whose answer was lost may have happened: read back before creating again.
    outcome_unknown = models.BooleanField(default=False)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    error_code = models.CharField(max_length=40, blank=True)
    error_message = models.TextField(blank=True)
    held_until = models.DateField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Dismissed from the Failed API Calls report by an admin, with why (kept in the History).
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dismiss_reason = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(AvalaraStatus.Meta):
        abstract = False
        ordering = ["certificate_id", "region"]
        # The Failed API Calls report and its count in the navigation, newest first.
        indexes = [
            models.Index(
                fields=["organization", "state", "dismissed_at", "-updated_at"],
                name="avalara_certificate_failures",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "region", "company_id"],
                name="one_avalara_copy_per_certificate_region_company",
            ),
            models.UniqueConstraint(
                fields=["company_id", "avalara_id"],
                condition=Q(avalara_id__isnull=False),
                name="avalara_certificate_adopted_once",
            ),
        ]

    def __str__(self) -> str:
        return f"Certificate {self.certificate_id} in {self.region} ({self.state})"
