from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicgrid.core import registry


class AccountsConfig(AppConfig):
    name = "civicgrid.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        registry.add_home_card("accounts:password_change", _("Change password"), _("Keep your account safe."),
                               order=900)
        registry.add_home_card("accounts:tokens", _("API tokens"),
                               _("Keys for programs that use the API on your behalf: see and revoke them."),
                               order=910)
        registry.add_public_routes("accounts", {"login": "the sign-in form", "logout": "signs out (POST)"})
        from axes.signals import user_locked_out

        user_locked_out.connect(_revoke_tokens_at_lockout, dispatch_uid="accounts.revoke_tokens_at_lockout")


def _revoke_tokens_at_lockout(sender, *, username=None, **kwargs):
    from civicgrid.accounts.services import revoke_tokens_at_lockout

    if username:
        revoke_tokens_at_lockout(username=username)
