from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from civicgrid.core import registry


def _not_yet_a_volunteer(user) -> bool:
    """Residents who have not registered as volunteers see "成为志愿者" on their home page."""
    from civicgrid.volunteering.models import Volunteer

    return getattr(user, "role", "") == "resident" and not Volunteer.objects.filter(user_id=user.pk).exists()


class VolunteeringConfig(AppConfig):
    name = "civicgrid.volunteering"
    label = "volunteering"
    verbose_name = _("Volunteering")

    def ready(self):
        from civicgrid.volunteering import events  # noqa: F401 - registers the event kinds and the phone source
        from civicgrid.volunteering.stats import home_figures
        from civicgrid.volunteering.urls import PUBLIC_ROUTES

        registry.add_nav("volunteering:home", _("Volunteering"), order=40)
        registry.add_home_card("volunteering:home", _("Volunteering"),
                               _("Activities, service hours, points and rewards."), order=40,
                               figures=home_figures)
        registry.add_home_card("volunteering:register", _("Become a volunteer"),
                               _("Register in two minutes: help neighbours, earn service hours and points."),
                               order=39, audience=_not_yet_a_volunteer, testid="become-volunteer")
        registry.add_public_routes("volunteering", PUBLIC_ROUTES)
        from civicgrid.volunteering import cockpit

        cockpit.register(registry, {"panel": _("Volunteering"), "active_volunteers": _("Active volunteers"),
                                    "volunteer_hours_per_thousand": _("Volunteer hours per 1,000 residents"),
                                    "vulnerable_visited": _("Vulnerable residents visited")})
        registry.add_public_routes("api", {"GET /api/v1/volunteering/certificates/{token}":
                                           "certificate check by its unguessable token: masked holder and totals"})
        from civicgrid.volunteering.ledger import forget_system_accounts

        # `flush` (and every migrate) ends with post_migrate: remembered system account ids may be gone
        post_migrate.connect(forget_system_accounts, dispatch_uid="volunteering.forget_system_accounts")
