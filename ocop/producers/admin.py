from django.contrib import admin

from ocop.accounts.admin import UserAdmin
from ocop.accounts.models import User
from ocop.producers.models import Producer, ProducerMembership
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


class MembershipInline(admin.TabularInline):
    model = ProducerMembership
    extra = 0
    raw_id_fields = ["producer"]


# The accounts app sits below producers: the producers a user acts for are added to its admin page from here.
admin.site.unregister(User)


@admin.register(User)
class UserWithMembershipsAdmin(UserAdmin):
    inlines = [MembershipInline]
