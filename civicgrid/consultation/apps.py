from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicgrid.core import registry


class ConsultationConfig(AppConfig):
    name = "civicgrid.consultation"
    label = "consultation"
    verbose_name = _("Consultation")

    def ready(self):
        from civicgrid.cases import hooks
        from civicgrid.consultation import events  # noqa: F401 - registers the event kinds it publishes
        from civicgrid.consultation.services.resolutions import follow_case
        from civicgrid.consultation.urls import PUBLIC_ROUTES

        registry.add_nav("consultation:home", _("Consultation"), order=50)
        registry.add_home_card("consultation:home", _("Consultation"),
                               _("Topics, consultation meetings, household votes and resolutions."), order=50)
        registry.add_public_routes("consultation", PUBLIC_ROUTES)
        hooks.on_state_change("consultation", follow_case)
        from civicgrid.consultation import cockpit

        cockpit.register(registry, {"panel": _("Consultation"), "resolutions_on_time": _("Resolutions done on time"),
                                    "unresolved": _("Unresolved resolutions")})
