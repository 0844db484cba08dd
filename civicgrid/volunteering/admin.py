"""Admin for reference data only: teams and partner shops. Ledger rows are never edited by hand."""

from django.contrib import admin

from civicgrid.core.admin import AuditedAdmin
from civicgrid.volunteering.models import Offer, Shop, Team


@admin.register(Team)
class TeamAdmin(AuditedAdmin):
    list_display = ("name", "kind", "region_code", "org_user")
    list_filter = ("kind",)
    search_fields = ("name", "region_code")


@admin.register(Shop)
class ShopAdmin(AuditedAdmin):
    list_display = ("name", "region_code", "user", "active")
    readonly_fields = ("user", "registered_by")
    search_fields = ("name",)


@admin.register(Offer)
class OfferAdmin(AuditedAdmin):
    list_display = ("title", "shop", "points", "stock", "valid_from", "valid_until")
    readonly_fields = ("stock",)  # stock moves only through claims and releases
