from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class VolunteeringConfig(AppConfig):
    name = "civicgrid.volunteering"
    label = "volunteering"
    verbose_name = _("Volunteering")

    def ready(self):
        from civicgrid.volunteering import events  # noqa: F401 - registers the event kinds and the phone source
        from civicgrid.volunteering.ledger import forget_system_accounts

        # `flush` (and every migrate) ends with post_migrate: remembered system account ids may be gone
        post_migrate.connect(forget_system_accounts, dispatch_uid="volunteering.forget_system_accounts")
