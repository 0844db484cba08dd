"""Admin for reference data only: the standards with their sources. Everything else changes through the services
and the module's pages."""

from django.contrib import admin

from civicgrid.communityaffairs.models import Standard
from civicgrid.core.admin import AuditedAdmin


@admin.register(Standard)
class StandardAdmin(AuditedAdmin):
    list_display = ("key", "value", "source", "updated_at")
