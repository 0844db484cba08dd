from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "civicgrid.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from axes.signals import user_locked_out

        user_locked_out.connect(_revoke_tokens_at_lockout, dispatch_uid="accounts.revoke_tokens_at_lockout")


def _revoke_tokens_at_lockout(sender, *, username=None, **kwargs):
    from civicgrid.accounts.services import revoke_tokens_at_lockout

    if username:
        revoke_tokens_at_lockout(username=username)
