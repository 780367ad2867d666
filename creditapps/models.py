from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from nuvo.models import Organization
from nuvo.regions import COUNTRY_CHOICES, region_name


class Customer(models.Model):
    """A buyer applying for credit with the organization."""

    # What people enter about a customer (forms, the API, the services all use this list).
    DETAIL_FIELDS = (
        "legal_name",
        "dba_name",
        "contact_name",
        "email",
        "phone",
        "address_line1",
        "address_line2",
        "city",
        "region",
        "postal_code",
        "country",
        "ship_to_states",
        "tax_id",
    )

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="customers"
    )
    legal_name = models.CharField(max_length=200)
    dba_name = models.CharField("DBA", max_length=200, blank=True)
    contact_name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address_line1 = models.CharField("address line 1", max_length=200, blank=True)
    address_line2 = models.CharField("address line 2", max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField("state / province", max_length=3, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, choices=COUNTRY_CHOICES, default="US", blank=True)
    ship_to_states = models.JSONField(
        default=list, blank=True, help_text="Region codes the customer ships to, e.g. ['WA', 'OR']."
    )
    tax_id = models.CharField(
        "tax ID", max_length=40, blank=True, help_text="FEIN or state tax ID."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["legal_name", "id"]
        # The customers list's order, so a page is read in order rather than sorted from all.
        indexes = [
            models.Index(fields=["organization", "legal_name", "id"], name="customer_list_order")
        ]

    def __str__(self) -> str:
        return self.legal_name

    def get_absolute_url(self) -> str:
        return reverse("creditapps:customer-detail", kwargs={"pk": self.pk})

    @property
    def display_name(self) -> str:
        return f"{self.legal_name} (DBA {self.dba_name})" if self.dba_name else self.legal_name

    @property
    def ship_to_state_names(self) -> list[str]:
        return [region_name(code) for code in self.ship_to_states]


class CreditApplication(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        IN_REVIEW = "in_review", "In review"
        INFO_REQUESTED = "info_requested", "Info requested"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    class Terms(models.TextChoices):
        DUE_ON_RECEIPT = "due_on_receipt", "Due on receipt"
        NET_15 = "net_15", "Net 15"
        NET_30 = "net_30", "Net 30"
        NET_45 = "net_45", "Net 45"
        NET_60 = "net_60", "Net 60"
        NET_90 = "net_90", "Net 90"

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="credit_applications"
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="credit_applications"
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    requested_credit_limit = models.DecimalField(max_digits=12, decimal_places=2)
    requested_terms = models.CharField(max_length=20, choices=Terms.choices)
    bank_name = models.CharField(max_length=200, blank=True)
    bank_contact_name = models.CharField(max_length=200, blank=True)
    bank_phone = models.CharField(max_length=40, blank=True)
    bank_account_type = models.CharField(max_length=40, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The applicant's "we received it" email (public form only), claimed once by its task.
    receipt_sent_at = models.DateTimeField(null=True, blank=True)
    assigned_analyst = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_credit_applications",
    )
    approval_requested_at = models.DateTimeField(null=True, blank=True)
    approval_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_credit_limit = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True
    )
    approved_terms = models.CharField(max_length=20, choices=Terms.choices, blank=True)
    decision_comment = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        # The applications list's default order, unfiltered and filtered by status.
        indexes = [
            models.Index(
                fields=["organization", "-submitted_at", "-id"], name="application_list_order"
            ),
            models.Index(
                fields=["organization", "status", "-submitted_at", "-id"],
                name="application_status_order",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(requested_credit_limit__gt=0), name="application_limit_positive"
            ),
            models.CheckConstraint(
                condition=~Q(status="approved")
                | (Q(approved_credit_limit__isnull=False) & ~Q(approved_terms="")),
                name="application_approved_has_terms",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.customer}"

    def get_absolute_url(self) -> str:
        return reverse("creditapps:application-detail", kwargs={"pk": self.pk})

    @property
    def reference(self) -> str:
        return f"CA-{self.pk:05d}" if self.pk else "CA-new"

    @property
    def is_open(self) -> bool:
        return not self.is_decided

    @property
    def is_decided(self) -> bool:
        return self.status in {self.Status.APPROVED, self.Status.DECLINED}

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def can_submit(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def can_start_review(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def can_request_approval(self) -> bool:
        return self.status == self.Status.IN_REVIEW and self.approval_requested_at is None

    @property
    def is_waiting_for_customer(self) -> bool:
        return self.status == self.Status.INFO_REQUESTED

    @property
    def can_request_info(self) -> bool:
        return self.status in {
            self.Status.SUBMITTED,
            self.Status.IN_REVIEW,
            self.Status.INFO_REQUESTED,
        }

    @property
    def awaiting_approval(self) -> bool:
        return self.status == self.Status.IN_REVIEW and self.approval_requested_at is not None


class TradeReference(models.Model):
    # One cap for every way in (the form's formset, the API's serializer, the service).
    MAX_PER_APPLICATION = 5

    application = models.ForeignKey(
        CreditApplication, on_delete=models.CASCADE, related_name="trade_references"
    )
    company_name = models.CharField(max_length=200)
    contact_name = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.company_name


class ApplicationEvent(models.Model):
    """The append-only timeline of a credit application: who did what, when."""

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        SUBMITTED = "submitted", "Submitted"
        REVIEW_STARTED = "review_started", "Review started"
        ASSIGNED = "assigned", "Assigned"
        INFO_REQUESTED = "info_requested", "Info requested"
        INFO_REQUEST_RESENT = "info_request_resent", "Request Info emailed again"
        INFO_RECEIVED = "info_received", "Info received"
        REVIEW_RESUMED = "review_resumed", "Review resumed"
        CERTIFICATE_ADDED = "certificate_added", "Certificate added"
        CUSTOMERS_MERGED = "customers_merged", "Customers merged"
        # Something a connected service (Avalara) did for the application, in its own words.
        INTEGRATION = "integration", "Integration"
        APPROVAL_REQUESTED = "approval_requested", "Sent for approval"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    application = models.ForeignKey(
        CreditApplication, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Kept as written at the time: customers have no account, and users can be renamed or removed.
    actor_name = models.CharField(max_length=200)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.actor_name}"


class InfoRequest(models.Model):
    """A Request Info sent to the customer: an email with a signed, expiring link."""

    class Item(models.TextChoices):
        TAX_EXEMPTION_CERTIFICATES = "tax_exemption_certificates", "Tax-exemption certificates"
        TRADE_REFERENCES = "trade_references", "Trade references"
        BANK_REFERENCE = "bank_reference", "Bank reference"
        FINANCIAL_STATEMENTS = "financial_statements", "Financial statements"
        OTHER = "other", "Other information"

    application = models.ForeignKey(
        CreditApplication, on_delete=models.CASCADE, related_name="info_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recipient_email = models.EmailField()
    # A request for a renewed certificate names the one that expires (and is made once for it
    # by the daily job).
    renewal_of = models.ForeignKey(
        "certificates.TaxExemptionCertificate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewal_requests",
    )
    requested_items = models.JSONField(default=list)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    # The email's life: asked for (at creation and at each Resend, which is throttled on it),
    # sent (claimed once by its task), or failed (the last attempt's time, cleared on success).
    email_requested_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    email_failed_at = models.DateTimeField(null=True, blank=True)
    # Resuming the review without an answer withdraws the request; the customer is told once.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_email_sent_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    response_message = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Info request for {self.application.reference}"

    @property
    def requested_item_labels(self) -> list[str]:
        labels = dict(self.Item.choices)
        return [labels.get(item, item) for item in self.requested_items]

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def email_state(self) -> str:
        """ "sent", "failed" or "sending": what the waiting card may honestly say."""
        if self.email_sent_at is not None:
            return "sent"
        return "failed" if self.email_failed_at is not None else "sending"


class CustomerMatchDismissal(models.Model):
    """An analyst's word that two customers with the same tax ID or email are different firms."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="customer_match_dismissals"
    )
    # Stored with the lower id first, so a pair is one row whichever side it was decided from.
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    dismissed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["customer", "other"], name="customer_match_once"),
            models.CheckConstraint(
                condition=Q(customer__lt=models.F("other")), name="customer_match_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} is not {self.other_id}"
