"""The outbox in the admin: read-only rows, a dead-letter filter, and requeueing through the service."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from civicgrid.core.admin import AuditedAdmin
from civicgrid.notifications import services
from civicgrid.notifications.models import Message


@admin.register(Message)
class MessageAdmin(AuditedAdmin):
    """Read-only: the outbox is written by the service; requeueing is the one action, audited there."""

    list_display = ("created_at", "kind", "channel", "recipient_masked", "status", "attempts", "last_error")
    list_filter = ("status", "channel", "kind")
    search_fields = ("kind", "event_key", "recipient_masked")
    actions = ["requeue"]
    readonly_fields = [f.name for f in Message._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the selected dead letters again"))
    def requeue(self, request, queryset):
        count = services.requeue(actor=request.user, message_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, _("%(count)d messages queued again.") % {"count": count})
