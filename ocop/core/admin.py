from django.contrib import admin

from ocop.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit trail is read-only, even for site admins."""

    list_display = ["at", "code", "object_repr", "actor", "ip_address"]
    list_filter = ["code"]
    search_fields = ["object_repr", "object_id", "code"]
    list_select_related = ["actor"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
