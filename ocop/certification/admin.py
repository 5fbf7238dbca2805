from django.contrib import admin

from ocop.certification.models import Certificate


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """Certificates are issued and revoked through their services; the admin shows them read-only."""

    list_display = ["number", "product", "stars", "score", "issued_on", "expires_on", "status"]
    list_filter = ["status", "stars", "level", "regime", "province"]
    search_fields = ["number", "verification_code", "decision_number", "product__name"]
    list_select_related = ["product", "province"]
    date_hierarchy = "issued_on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
