from django.contrib import admin

from certificates.models import PendingUpload, TaxExemptionCertificate


@admin.register(TaxExemptionCertificate)
class TaxExemptionCertificateAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "original_filename",
        "customer",
        "exemption_reason",
        "effective_date",
        "expiration_date",
        "source",
        "uploaded_at",
    ]
    list_filter = ["organization", "exemption_reason", "source", "is_single_use", "has_scripts"]
    search_fields = ["name", "original_filename", "customer__legal_name", "sha256"]
    raw_id_fields = ["customer", "uploaded_by"]
    # The stored file and its fingerprint are evidence; they are never edited.
    readonly_fields = [
        "file",
        "original_filename",
        "file_size",
        "page_count",
        "sha256",
        "has_scripts",
        "uploaded_at",
    ]

    def has_add_permission(self, request) -> bool:
        # New certificates go through the PDF checks in the app or the API.
        return False


@admin.register(PendingUpload)
class PendingUploadAdmin(admin.ModelAdmin):
    """Files kept across a failed submit; a day old at most. Shown for support, never edited."""

    list_display = ["original_filename", "file_size", "created_at"]
    # Not the key or the owner: with them the form's holder could use the file.
    fields = readonly_fields = [
        "original_filename",
        "file_size",
        "page_count",
        "sha256",
        "has_scripts",
        "created_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
