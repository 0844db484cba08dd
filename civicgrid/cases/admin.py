from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from civicgrid.cases.models import Category, HandlingUnit, Open311Client, RoutingRule
from civicgrid.cases.services import revoke_open311_key
from civicgrid.core.admin import AuditedAdmin


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    list_display = ("code", "name", "parent", "default_unit", "time_limit", "time_unit", "active")
    list_filter = ("parent", "active", "time_unit")
    search_fields = ("code", "name", "keywords")


@admin.register(HandlingUnit)
class HandlingUnitAdmin(AuditedAdmin):
    list_display = ("code", "name", "supervisor")
    filter_horizontal = ("members",)


@admin.register(RoutingRule)
class RoutingRuleAdmin(AuditedAdmin):
    list_display = ("category", "region_prefix", "unit")
    list_filter = ("unit",)


@admin.register(Open311Client)
class Open311ClientAdmin(AuditedAdmin):
    list_display = ("name", "prefix", "created_at", "revoked_at")
    list_filter = ("revoked_at",)
    readonly_fields = ("prefix", "key_hash", "created_at", "revoked_at")
    actions = ("revoke",)

    def has_add_permission(self, request):
        return False  # keys are issued with `civicgrid open311-key --name NAME`, which shows the key once

    @admin.action(description=_("Revoke the selected api_keys"), permissions=["change"])
    def revoke(self, request, queryset):
        clients = list(queryset.filter(revoked_at__isnull=True))
        for client in clients:
            revoke_open311_key(actor=request.user, client_id=client.pk)
        messages.success(request, ngettext("%(count)d api_key revoked.", "%(count)d api_keys revoked.", len(clients))
                         % {"count": len(clients)})
