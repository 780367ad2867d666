from django.contrib import admin
from import_export.admin import ImportMixin

from integrations.imports_admin import (
    AvalaraCustomerResource,
    OrganizationConfirmImportForm,
    OrganizationImportForm,
)
from integrations.models import (
    AvalaraCall,
    AvalaraCertificate,
    AvalaraConnection,
    AvalaraCustomer,
    AvalaraDefinitions,
    AvalaraOnlyCertificate,
    AvalaraSend,
    AvalaraSyncRun,
    CertificateEvent,
    ExemptionReasonMapping,
    IntegrationEvent,
    ReasonRegionRule,
)
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


@admin.register(AvalaraCustomer)
class AvalaraCustomerAdmin(ImportMixin, admin.ModelAdmin):
    """Avalara IDs: created by sends, or imported here for customers already in Avalara."""

    resource_classes = [AvalaraCustomerResource]
    import_form_class = OrganizationImportForm
    confirm_form_class = OrganizationConfirmImportForm
    list_display = [
        "customer_code",
        "customer",
        "organization",
        "company_id",
        "source",
        "confirmed_at",
    ]
    list_filter = ["source", "organization"]
    search_fields = ["customer_code", "customer__legal_name", "customer__tax_id"]
    readonly_fields = [
        "customer_code",
        "customer",
        "organization",
        "company_id",
        "source",
        "confirmed_at",
        "created_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False  # a send generates the code; existing codes come in through Import

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["organization"] = import_form.cleaned_data["organization"].pk
        return initial

    def get_import_data_kwargs(self, **kwargs):
        form = kwargs.get("form")
        if form is not None and "organization" in form.cleaned_data:
            kwargs["organization"] = form.cleaned_data["organization"].pk
        return super().get_import_data_kwargs(**kwargs)


@admin.register(AvalaraSend)
class AvalaraSendAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "customer",
        "trigger",
        "status",
        "error_code",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "trigger", "organization"]
    search_fields = ["customer__legal_name", "customer__avalara__customer_code"]


@admin.register(AvalaraCertificate)
class AvalaraCertificateAdmin(ReadOnlyAdmin):
    list_display = ["certificate", "region", "exposure_zone", "state", "avalara_id", "error_code"]
    list_filter = ["state", "organization"]
    search_fields = ["certificate__customer__legal_name", "avalara_id"]


@admin.register(AvalaraCall)
class AvalaraCallAdmin(ReadOnlyAdmin):
    list_display = [
        "started_at",
        "operation",
        "http_status",
        "outcome",
        "error_code",
        "duration_ms",
    ]
    list_filter = ["outcome", "operation", "organization"]
    search_fields = ["correlation_id", "avalara_code", "path"]


@admin.register(AvalaraDefinitions)
class AvalaraDefinitionsAdmin(ReadOnlyAdmin):
    list_display = ["connection", "fetched_at"]


@admin.register(ExemptionReasonMapping)
class ExemptionReasonMappingAdmin(admin.ModelAdmin):
    list_display = ["organization", "nuvo_reason", "avalara_reason", "updated_at"]
    list_filter = ["organization"]


@admin.register(AvalaraOnlyCertificate)
class AvalaraOnlyCertificateAdmin(ReadOnlyAdmin):
    list_display = ["avalara_id", "customer", "region", "badge", "synced_at"]
    list_filter = ["badge", "organization"]
    search_fields = ["customer__legal_name", "avalara_id"]


@admin.register(AvalaraSyncRun)
class AvalaraSyncRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "connection", "kind", "status", "pages", "certificates_read"]
    list_filter = ["kind", "status"]


@admin.register(CertificateEvent)
class CertificateEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "certificate", "region", "kind", "actor_name"]
    list_filter = ["kind", "organization"]


@admin.register(ReasonRegionRule)
class ReasonRegionRuleAdmin(admin.ModelAdmin):
    list_display = ["organization", "exemption_reason", "region", "exempt", "source", "updated_at"]
    list_filter = ["exempt", "source", "organization"]
