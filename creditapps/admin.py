from django.contrib import admin

from creditapps.models import (
    ApplicationEvent,
    CreditApplication,
    Customer,
    CustomerMatchDismissal,
    InfoRequest,
    TradeReference,
)
from nuvo.admin import ReadOnlyAdmin


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["legal_name", "dba_name", "organization", "email", "city", "region"]
    list_filter = ["organization", "region", "country"]
    search_fields = ["legal_name", "dba_name", "email", "contact_name"]


class TradeReferenceInline(admin.TabularInline):
    model = TradeReference
    extra = 0


class ApplicationEventInline(admin.TabularInline):
    """The timeline is append-only: visible here, never edited."""

    model = ApplicationEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "actor_name", "message"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CreditApplication)
class CreditApplicationAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "customer",
        "organization",
        "status",
        "requested_credit_limit",
        "submitted_at",
    ]
    list_filter = ["organization", "status", "requested_terms"]
    search_fields = ["customer__legal_name", "customer__dba_name"]
    raw_id_fields = ["customer", "assigned_analyst"]
    # Status changes go through the services so they are guarded and land on the timeline.
    readonly_fields = [
        "status",
        "submitted_at",
        "approval_requested_at",
        "approval_requested_by",
        "approved_credit_limit",
        "approved_terms",
        "decision_comment",
        "decided_by",
        "decided_at",
        "created_at",
        "updated_at",
    ]
    inlines = [TradeReferenceInline, ApplicationEventInline]


@admin.register(ApplicationEvent)
class ApplicationEventAdmin(ReadOnlyAdmin):
    list_display = ["application", "kind", "actor_name", "created_at"]
    list_filter = ["kind"]
    search_fields = ["application__customer__legal_name", "actor_name", "message"]


@admin.register(InfoRequest)
class InfoRequestAdmin(admin.ModelAdmin):
    list_display = ["application", "recipient_email", "created_at", "expires_at", "responded_at"]
    search_fields = ["recipient_email", "application__customer__legal_name"]
    readonly_fields = [
        "created_at",
        "email_requested_at",
        "email_sent_at",
        "email_failed_at",
        "withdrawn_at",
        "withdrawal_email_sent_at",
        "responded_at",
    ]
    raw_id_fields = ["application", "requested_by"]


@admin.register(TradeReference)
class TradeReferenceAdmin(admin.ModelAdmin):
    list_display = ["company_name", "application", "contact_name", "phone"]
    search_fields = ["company_name", "contact_name"]
    raw_id_fields = ["application"]


@admin.register(CustomerMatchDismissal)
class CustomerMatchDismissalAdmin(ReadOnlyAdmin):
    list_display = ["customer", "other", "dismissed_by", "dismissed_at"]
    search_fields = ["customer__legal_name", "other__legal_name"]
