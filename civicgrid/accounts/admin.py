"""Admin for users, groups, API tokens and the sign-in lockout records: every change is audited
(`civicgrid.core.admin.AuditedAdmin`), passwords are set through the accounts service."""

from contextvars import ContextVar

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from civicgrid.accounts import services
from civicgrid.accounts.models import ApiToken, User
from civicgrid.core.admin import AuditedAdmin
from civicgrid.core.services import permission_label

_password_setter: ContextVar[User | None] = ContextVar("civicgrid_admin_password_setter", default=None)


class AuditedPasswordChangeForm(AdminPasswordChangeForm):
    """Django's admin password form, saved through `services.set_password` (audited, revokes API tokens)."""

    def save(self, commit=True):
        usable = self.cleaned_data.get("set_usable_password", True)
        services.set_password(actor=_password_setter.get(), user=self.user,
                              new_password=self.cleaned_data["password1"] if usable else None)
        return self.user


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    list_display = ("username", "display_name", "role", "region_code", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("username", "display_name", "region_code")
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("civicgrid", {"fields": ("role", "region_code", "display_name")}))
    change_password_form = AuditedPasswordChangeForm
    confers_permissions = True

    def audited_permissions(self, obj) -> set[str]:
        granted = Permission.objects.filter(Q(user=obj) | Q(group__user=obj)).select_related("content_type")
        labels = {permission_label(permission) for permission in granted.distinct()}
        return labels | {"*"} if obj.is_superuser else labels

    def save_audited(self, request, form, formsets, change):
        if not change:  # the add form set the first password
            form.instance.password_changed_at = timezone.now()
        super().save_audited(request, form, formsets, change)

    def user_change_password(self, request, id, form_url=""):
        setter = _password_setter.set(request.user)
        try:
            return super().user_change_password(request, id, form_url)
        finally:
            _password_setter.reset(setter)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AuditedAdmin, BaseGroupAdmin):
    confers_permissions = True

    def audited_permissions(self, obj) -> set[str]:
        return {permission_label(p) for p in obj.permissions.select_related("content_type")}


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    list_display = ("name", "prefix", "user", "created_at", "last_used_at", "expires_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "user__username")
    readonly_fields = ("user", "name", "prefix", "key_hash", "created_at", "last_used_at", "expires_at", "revoked_at")
    actions = ("revoke",)

    def has_add_permission(self, request):
        return False  # tokens are issued to their owner through the API, shown once

    @admin.action(description=_("Revoke the selected API tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        count = services.revoke_tokens_as_admin(actor=request.user, token_ids=queryset.values_list("pk", flat=True))
        messages.success(request, ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count)
                         % {"count": count})


class AccessAttemptAdmin(AuditedAdmin, axes_admin.AccessAttemptAdmin):
    actions = ()  # axes' "clean up expired attempts" deletes in bulk without an audit event


class AccessLogAdmin(AuditedAdmin, axes_admin.AccessLogAdmin):
    pass


class AccessFailureLogAdmin(AuditedAdmin, axes_admin.AccessFailureLogAdmin):
    pass


# django-axes' lockout records (when AXES_ENABLE_ADMIN registers them): deleting an attempt unlocks an account, so
# it is audited like any other change.
for _model, _admin in ((AccessAttempt, AccessAttemptAdmin), (AccessLog, AccessLogAdmin),
                       (AccessFailureLog, AccessFailureLogAdmin)):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
        admin.site.register(_model, _admin)
