from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "civicgrid.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from civicgrid.core import registry
        from civicgrid.notifications import kinds  # noqa: F401 - the platform's own event kinds (the digest)
        from civicgrid.notifications.selectors import unread_count

        registry.add_public_routes("notifications", {
            "unsubscribe": "the link in every e-mail: GET only asks, POST with a valid signed token unsubscribes; "
                           "a forged token answers 404"})
        registry.add_header_link("notifications:inbox", _("Notifications"), testid="inbox-link",
                                 badge=lambda user: unread_count(actor=user))
