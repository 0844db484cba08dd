"""Admin for the district's targets (reference data); rollups and reports are written by the cockpit itself."""

from django.contrib import admin

from civicgrid.cockpit.models import Target
from civicgrid.core.admin import AuditedAdmin


@admin.register(Target)
class TargetAdmin(AuditedAdmin):
    list_display = ("kpi", "region_code", "value", "set_by", "set_at")
    search_fields = ("kpi", "region_code")
    readonly_fields = ("set_by",)
