from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from civicgrid.accounts.models import ApiToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "role", "region_code", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("username", "display_name", "region_code")
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("civicgrid", {"fields": ("role", "region_code", "display_name")}))


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "user", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")
