from django.contrib import admin
from django.db import transaction

from civicgrid.core import services
from civicgrid.core.models import AuditEvent, CalendarOverride
from civicgrid.core.scoping import ScopedQuerySet


class AuditedAdmin(admin.ModelAdmin):
    """Base of every ModelAdmin: each save and delete goes through `civicgrid.core.services` and is audited.

    Django calls save_model, then save_related; the row is written in save_related, so the row, its many-to-many
    fields and inlines are one write with one audit event. Subclasses change how a record is written by overriding
    `save_audited` (to call their module's own service), never save_model."""

    confers_permissions = False  # True: `audited_permissions` names what a save grants or revokes

    def get_queryset(self, request):
        """Changelists and change pages of region-scoped records stay inside the admin's own jurisdiction."""
        queryset = super().get_queryset(request)
        return queryset.visible_to(request.user) if isinstance(queryset, ScopedQuerySet) else queryset

    def audited_permissions(self, obj) -> set[str]:
        """The permissions `obj` confers (a user's effective permissions, a group's), as `app_label.codename`."""
        return set()

    def save_model(self, request, obj, form, change):
        """Deferred to save_related (see the class docstring)."""

    def save_related(self, request, form, formsets, change):
        self.save_audited(request, form, formsets, change)

    def save_audited(self, request, form, formsets, change):
        obj = form.instance

        def write():
            obj.save()
            super(AuditedAdmin, self).save_related(request, form, formsets, change)

        services.save_audited(actor=request.user, obj=obj, fields=form.changed_data, write=write,
                              permissions=self.audited_permissions if self.confers_permissions else None)

    def delete_model(self, request, obj):
        services.delete_audited(actor=request.user, obj=obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                services.delete_audited(actor=request.user, obj=obj)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(AuditedAdmin):
    list_display = ("date", "is_workday", "note")
    list_filter = ("is_workday",)
    date_hierarchy = "date"


@admin.register(AuditEvent)
class AuditEventAdmin(AuditedAdmin):
    list_display = ("at", "actor_name", "actor_role", "action", "target_type", "target_id", "outcome", "ip", "chain",
                    "seq")
    list_filter = ("action", "outcome", "actor_role")
    ordering = ("-at", "-id")
    search_fields = ("actor_name", "target_id", "action")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
