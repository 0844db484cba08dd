from django.contrib import admin

from civicgrid.cases.models import Category, HandlingUnit, Open311Client, RoutingRule


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "parent", "default_unit", "time_limit", "time_unit", "active")
    list_filter = ("parent", "active", "time_unit")
    search_fields = ("code", "name", "keywords")


@admin.register(HandlingUnit)
class HandlingUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "supervisor")
    filter_horizontal = ("members",)


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ("category", "region_prefix", "unit")
    list_filter = ("unit",)


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "created_at", "revoked_at")
    readonly_fields = ("prefix", "key_hash", "created_at")
