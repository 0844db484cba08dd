"""Admin for reference data only: the standards with their sources, the one-stop catalogue (事项清单 and 办事指南,
which no page edits) and the assessment templates' names and publication. Everything else changes through the
services and the module's pages; a template's indicators and weights are fixed when it is created."""

from django.contrib import admin

from civicgrid.communityaffairs.models import AssessmentTemplate, ServiceItem, Standard
from civicgrid.core.admin import AuditedAdmin


@admin.register(Standard)
class StandardAdmin(AuditedAdmin):
    list_display = ("key", "value", "source", "source_checked", "updated_at")
    list_filter = ("source_checked",)


@admin.register(ServiceItem)
class ServiceItemAdmin(AuditedAdmin):
    list_display = ("code", "name", "region_code", "time_limit_days", "active")
    list_filter = ("active",)
    search_fields = ("code", "name")


@admin.register(AssessmentTemplate)
class AssessmentTemplateAdmin(AuditedAdmin):
    list_display = ("name", "region_code", "published", "created_at")
    fields = ("name", "published")
    list_filter = ("published",)
