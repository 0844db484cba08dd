"""Admin for the registers' reference data: party organizations, their joint-building partners, the enterprise
registry and chambers of commerce. Workflows (members, workstations, pledges, brand projects) change only through
the services and the module's pages. Lists, change pages and the choices of related records all stay inside the
admin's own jurisdiction."""

from django.contrib import admin

from civicgrid.core.admin import AuditedAdmin
from civicgrid.core.scoping import ScopedManager
from civicgrid.partybuilding.models import Chamber, Enterprise, Partner, PartyOrganization


class ScopedAdmin(AuditedAdmin):
    """A related record is offered only when the admin could see it (a select lists another community's
    enterprises otherwise)."""

    def _scoped(self, db_field, request, kwargs):
        manager = db_field.related_model._default_manager
        if isinstance(manager, ScopedManager) and "queryset" not in kwargs:
            kwargs["queryset"] = manager.visible_to(request.user)
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **self._scoped(db_field, request, kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(db_field, request, **self._scoped(db_field, request, kwargs))


@admin.register(PartyOrganization)
class PartyOrganizationAdmin(ScopedAdmin):
    list_display = ("name", "kind", "region_code", "secretary", "founded_on")
    list_filter = ("kind",)
    search_fields = ("name", "region_code")
    readonly_fields = ("region_code",)  # follows its area, building or enterprise (set by the service)


@admin.register(Partner)
class PartnerAdmin(ScopedAdmin):
    list_display = ("name", "organization", "pledge")
    search_fields = ("name",)


@admin.register(Enterprise)
class EnterpriseAdmin(ScopedAdmin):
    list_display = ("name", "credit_code", "size", "region_code", "employees", "party_members")
    list_filter = ("size",)
    search_fields = ("name", "credit_code")
    readonly_fields = ("region_code",)


@admin.register(Chamber)
class ChamberAdmin(ScopedAdmin):
    list_display = ("name", "region_code", "organization", "registry_entry", "founded_on")
    search_fields = ("name",)
    fields = ("name", "credit_code", "organization", "registry_entry", "founded_on")  # members: on its page
