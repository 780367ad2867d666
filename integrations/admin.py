from django.contrib import admin

from integrations.models import AvalaraConnection, IntegrationEvent
from nuvo.admin import ReadOnlyAdmin


@admin.register(AvalaraConnection)
class AvalaraConnectionAdmin(admin.ModelAdmin):
    """Read-only: connecting goes through Settings > Integrations, which validates with Avalara."""

    list_display = ["organization", "status", "environment", "username", "company_id", "ecm_status"]
    list_filter = ["status", "environment", "ecm_status"]
    search_fields = ["organization__name", "username", "company_name"]
    # The secret is never shown, not even encrypted.
    exclude = ["secret"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("secret")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(IntegrationEvent)
class IntegrationEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "organization", "service", "action", "actor_name"]
    list_filter = ["service", "action", "organization"]
    search_fields = ["detail", "actor_name"]
