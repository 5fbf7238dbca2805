from django.contrib import admin

from ocop.producers.models import Producer
from ocop.producers.services import producer_fill_derived


@admin.register(Producer)
class ProducerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "tax_code", "province", "commune"]
    list_filter = ["kind", "province"]
    search_fields = ["name", "name_folded", "tax_code"]
    list_select_related = ["province", "commune"]
    raw_id_fields = ["commune"]
    readonly_fields = ["province", "slug"]
    exclude = ["users"]

    def save_model(self, request, obj, form, change):
        producer_fill_derived(obj)
        super().save_model(request, obj, form, change)
