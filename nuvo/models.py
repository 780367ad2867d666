"""The tenancy core every app builds on: people, the organizations they work for, their roles."""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone


class User(AbstractUser):
    """Nuvo's own user model, set before anything shipped so it can grow without a migration dance.

    Staff and superuser flags are for the platform's operators (Django admin); an organization's
    admins are members with the admin role and no staff rights.
    """

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"


class Organization(models.Model):
    """A supplier using Nuvo; every other row belongs to exactly one."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    # The public credit-application link is keyed by this, not the slug, so it cannot be guessed.
    public_form_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # How far ahead certificates count as expiring, and whether renewals are asked for by a daily
    # job (once per certificate) rather than by an analyst's click.
    expiry_window_days = models.PositiveSmallIntegerField(
        "expiring within (days)",
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    request_renewals_automatically = models.BooleanField(
        "ask customers for renewed certificates automatically", default=False
    )
    # Separation of duties: whoever sent an application for approval cannot also approve it,
    # even when they hold both the credit analyst and the approver roles.
    separate_approval_duties = models.BooleanField(
        "an approver cannot approve an application they sent for approval", default=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_public_form_url(self) -> str:
        return reverse("creditapps:public-apply", kwargs={"form_key": self.public_form_key})


class Membership(models.Model):
    """One role a user holds in an organization; a user may hold several roles there."""

    class Role(models.TextChoices):
        ADMIN = "admin", "Admin"
        CREDIT_ANALYST = "credit_analyst", "Credit analyst"
        APPROVER = "approver", "Approver"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="membership_unique_role"
            ),
        ]
        ordering = ["organization", "user", "role"]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} at {self.organization}"


class FormSubmission(models.Model):
    """A one-time form token, spent: the first successful post of a create form claims the row.

    The unique `nonce` makes a second post of the same form (a double click, a replay) fail to
    claim it, on SQLite and PostgreSQL alike; it is sent where the first post's result is.
    """

    nonce = models.CharField(max_length=64, unique=True)
    purpose = models.CharField(max_length=100)
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.purpose} at {self.created_at:%Y-%m-%d %H:%M}"
