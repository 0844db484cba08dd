from django.contrib import admin

from civicgrid.core.models import AuditEvent, CalendarOverride


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "is_workday", "note")
    list_filter = ("is_workday",)
    date_hierarchy = "date"


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
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
