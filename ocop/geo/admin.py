from django.contrib import admin

from ocop.geo.models import Commune, LegacyCommune, LegacyDistrict, LegacyProvince, Province


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "full_name"]
    search_fields = ["name", "code"]
    readonly_fields = ["sort_key"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province"]
    list_filter = ["kind", "province"]
    search_fields = ["name", "name_folded", "code"]
    list_select_related = ["province"]


@admin.register(LegacyProvince)
class LegacyProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "successor"]
    list_select_related = ["successor"]


@admin.register(LegacyDistrict)
class LegacyDistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province"]
    list_filter = ["province"]
    search_fields = ["name", "name_folded", "code"]
    list_select_related = ["province"]


@admin.register(LegacyCommune)
class LegacyCommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "district", "successor"]
    search_fields = ["name", "name_folded", "code"]
    list_select_related = ["district", "successor"]
    raw_id_fields = ["district", "successor"]
    filter_horizontal = ["split_into"]
