from django.contrib import admin

from ocop.market.models import Fair, SalePoint, SalesChannel


@admin.register(SalesChannel)
class SalesChannelAdmin(admin.ModelAdmin):
    list_display = ["product", "kind", "name", "since", "until"]
    list_filter = ["kind"]
    search_fields = ["name", "product__name"]
    raw_id_fields = ["product"]
    list_select_related = ["product"]


@admin.register(SalePoint)
class SalePointAdmin(admin.ModelAdmin):
    list_display = ["name", "operator", "province", "opened_on", "closed_on"]
    list_filter = ["province"]
    search_fields = ["name", "operator", "address"]
    raw_id_fields = ["commune", "products"]
    list_select_related = ["province"]


@admin.register(Fair)
class FairAdmin(admin.ModelAdmin):
    list_display = ["name", "organiser", "province", "starts_on", "ends_on"]
    list_filter = ["province"]
    search_fields = ["name", "organiser", "place"]
    date_hierarchy = "starts_on"
    list_select_related = ["province"]
