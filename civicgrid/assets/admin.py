from django.contrib import admin

from civicgrid.assets.models import Asset
from civicgrid.core.admin import AuditedAdmin


@admin.register(Asset)
class AssetAdmin(AuditedAdmin):
    list_display = ("code", "kind", "name", "owner_unit", "owner_name", "region_code", "state")
    list_filter = ("kind", "state", "generated")
    search_fields = ("code", "name", "owner_unit", "owner_name", "address")
    readonly_fields = ("region_code", "generated")
