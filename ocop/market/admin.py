from django.contrib import admin

from ocop.market.models import SalesChannel


@admin.register(SalesChannel)
class SalesChannelAdmin(admin.ModelAdmin):
    list_display = ["product", "kind", "name", "since", "until"]
    list_filter = ["kind"]
    search_fields = ["name", "product__name"]
    raw_id_fields = ["product"]
    list_select_related = ["product"]
