from django.contrib import admin

from ocop.catalog.models import Category, Product, ProductImage
from ocop.catalog.services import product_fill_derived


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "regime", "level", "is_leaf"]
    list_filter = ["regime", "level", "is_leaf"]
    search_fields = ["code", "name"]


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    extra = 0


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "producer", "category", "status"]
    list_filter = ["status", "category__group"]
    search_fields = ["name", "name_folded", "producer__name", "code"]
    list_select_related = ["producer", "category"]
    raw_id_fields = ["producer"]
    readonly_fields = ["slug"]
    inlines = [ProductImageInline]

    def save_model(self, request, obj, form, change):
        product_fill_derived(obj)
        super().save_model(request, obj, form, change)
