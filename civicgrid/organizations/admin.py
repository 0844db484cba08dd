"""Admin for reference data only: the capacity indicator templates and their indicators. Organizations, hubs,
incubations and trainings change only through the services."""

from django.contrib import admin

from civicgrid.core.admin import AuditedAdmin
from civicgrid.organizations.models import Indicator, IndicatorTemplate


@admin.register(IndicatorTemplate)
class IndicatorTemplateAdmin(AuditedAdmin):
    list_display = ("name", "active", "created_at")
    search_fields = ("name",)


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    list_display = ("template", "code", "name", "weight", "max_score", "order")
    list_filter = ("template",)
