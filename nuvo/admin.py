from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """For audit trails: visible in the admin, never added, edited or deleted there."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
