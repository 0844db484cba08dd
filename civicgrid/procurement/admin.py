"""Admin for reference data only: the catalogue and the evaluation template. Budget lines, purchases, bids,
contracts and payments change only through the services (awards lock the budget line)."""

from django.contrib import admin

from civicgrid.core.admin import AuditedAdmin
from civicgrid.procurement.models import CatalogueItem, Indicator


@admin.register(CatalogueItem)
class CatalogueItemAdmin(AuditedAdmin):
    list_display = ("code", "name", "field", "priority", "active")
    list_filter = ("field", "priority", "active")
    search_fields = ("code", "name")


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    list_display = ("code", "name", "dimension", "weight", "active")
    list_filter = ("dimension", "active")
