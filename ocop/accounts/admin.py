from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from ocop.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "email", "role", "province", "commune", "is_active"]
    list_filter = ["role", "is_active", "province"]
    search_fields = ["username", "full_name", "email", "organisation"]
    list_select_related = ["province", "commune__province"]
    raw_id_fields = ["commune"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (
            _("OCOP role and scope"),
            {"fields": ("role", "full_name", "phone", "organisation", "province", "commune")},
        ),
    )
