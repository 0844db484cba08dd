"""Admin for reference data: categories (walking distances and sources) and the facility registry.
Every change is audited (AuditedAdmin); category edits go through the module's own service."""

from django.contrib import admin

from civicgrid.core.admin import AuditedAdmin
from civicgrid.servicecircle import services
from civicgrid.servicecircle.models import Category, Facility, Network


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    list_display = ("name", "code", "level", "walk_distance_m", "active", "sort_order")
    list_filter = ("level", "active")
    list_editable = ("walk_distance_m", "active")
    search_fields = ("name", "code")
    readonly_fields = ("code",)

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj is not None else ()

    def save_audited(self, request, form, formsets, change):
        if not change:  # a new category: the generic audited save
            super().save_audited(request, form, formsets, change)
            return
        obj = form.instance
        services.update_category(actor=request.user, code=obj.code,
                                 **{f: getattr(obj, f) for f in services.CATEGORY_FIELDS})


@admin.register(Facility)
class FacilityAdmin(AuditedAdmin):
    list_display = ("name", "category", "region_code", "capacity", "source")
    list_filter = ("category", "source")
    search_fields = ("name", "operator", "region_code")


@admin.register(Network)
class NetworkAdmin(AuditedAdmin):
    list_display = ("district_code", "version", "source", "generated", "n_nodes", "n_edges", "built_at")
    readonly_fields = ("district_code", "version", "source", "generated", "n_nodes", "n_edges", "crs", "sha256",
                       "built_at")

    def has_add_permission(self, request):
        return False
