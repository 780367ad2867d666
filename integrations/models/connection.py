from django.conf import settings
from django.db import models

from integrations.fields import EncryptedTextField


class AvalaraConnection(models.Model):
    """An organization's Avalara credentials and the company they resolve to. One per organization.

    After a disconnect the row stays, without the secret, to keep who disconnected and when.
    """

    class Environment(models.TextChoices):
        SANDBOX = "sandbox", "Sandbox"
        PRODUCTION = "production", "Production"

    class Status(models.TextChoices):
        CONNECTED = "connected", "Connected"
        DISCONNECTED = "disconnected", "Disconnected"

    class CompanySource(models.TextChoices):
        PING = "ping", "The company the credentials sign in to"
        DEFAULT_COMPANY = "default_company", "The account's default company"

    class EcmStatus(models.TextChoices):
        PROVISIONED = "Provisioned", "Provisioned"
        IN_PROGRESS = "InProgress", "Setup in progress"
        NOT_PROVISIONED = "NotProvisioned", "Not provisioned"

    organization = models.OneToOneField(
        "nuvo.Organization", on_delete=models.CASCADE, related_name="avalara_connection"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CONNECTED)
    environment = models.CharField(max_length=20, choices=Environment.choices)
    username = models.CharField("username / account ID", max_length=200, blank=True)
    secret = EncryptedTextField("password / license key", blank=True)
    authentication_type = models.CharField(max_length=40, blank=True)
    company_id = models.PositiveBigIntegerField(null=True, blank=True)
    company_code = models.CharField(max_length=50, blank=True)
    company_name = models.CharField(max_length=200, blank=True)
    company_source = models.CharField(max_length=20, choices=CompanySource.choices, blank=True)
    ecm_status = models.CharField(max_length=20, choices=EcmStatus.choices, blank=True)
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    connected_at = models.DateTimeField(null=True, blank=True)
    last_tested_at = models.DateTimeField(null=True, blank=True)
    last_test_ok = models.BooleanField(null=True, blank=True)
    last_error_code = models.CharField(max_length=40, blank=True)
    disconnected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    disconnected_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="connected")
                | (models.Q(company_id__isnull=False) & ~models.Q(secret="")),
                name="avalara_connected_has_company_and_secret",
            ),
        ]

    def __str__(self) -> str:
        return f"Avalara for {self.organization_id} ({self.get_status_display()})"

    @property
    def is_connected(self) -> bool:
        return self.status == self.Status.CONNECTED

    @property
    def is_provisioned(self) -> bool:
        return self.ecm_status == self.EcmStatus.PROVISIONED


class IntegrationEvent(models.Model):
    """The audit trail of integration changes: who, what, when. Never a secret."""

    class Action(models.TextChoices):
        CONNECTED = "connected", "Connected"
        CREDENTIALS_UPDATED = "credentials_updated", "Credentials updated"
        CONNECT_FAILED = "connect_failed", "Connection attempt failed"
        TESTED = "tested", "Connection tested"
        SETUP_REQUESTED = "setup_requested", "Exemption Certificate Management setup requested"
        DISCONNECTED = "disconnected", "Disconnected"

    organization = models.ForeignKey(
        "nuvo.Organization", on_delete=models.CASCADE, related_name="integration_events"
    )
    service = models.CharField(max_length=40, default="avalara")
    action = models.CharField(max_length=30, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.service}: {self.get_action_display()} by {self.actor_name}"
