from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicgrid.core import registry


class CasesConfig(AppConfig):
    name = "civicgrid.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from civicgrid.cases import events, events_loop, hooks  # noqa: F401 - registers the case event kinds
        from civicgrid.cases import region_figures as figures
        from civicgrid.cases.figures import home_figures
        from civicgrid.cases.models import State
        from civicgrid.cases.open311_urls import PUBLIC_ROUTES as OPEN311_PUBLIC
        from civicgrid.cases.services import callback, requests
        from civicgrid.cases.urls import PUBLIC_ROUTES

        registry.add_nav("cases:home", _("Cases"), order=30)
        registry.add_home_card("cases:home", _("Cases"),
                               _("Report a problem, follow it, and handle the cases of your area."), order=30,
                               figures=home_figures)
        registry.add_public_routes("cases", dict(PUBLIC_ROUTES))
        registry.add_home_card("cases:follow", _("Follow a case"),
                               _("See how your report is going, with its number and the last 4 digits of your phone."),
                               order=31, testid="home-follow")
        registry.add_footer_link("cases:follow", _("Follow a case"), testid="footer-follow")
        registry.add_public_routes("", dict(OPEN311_PUBLIC))
        registry.add_audit_value_labels("cases", "from", State.choices)
        registry.add_audit_value_labels("cases", "to", State.choices)
        registry.add_region_figure("cases_per_thousand", _("Cases per 1,000 residents"), figures.per_thousand,
                                   kind="per_thousand", order=10, note=_("reported in the last 12 months"))
        registry.add_region_figure("open_cases", _("Open cases"), figures.open_cases, order=20)
        registry.add_region_figure("overdue_cases", _("Overdue cases"), figures.overdue, order=30)
        from civicgrid.cases import cockpit

        cockpit.register(registry, {
            "panel": _("Cases"), "cases_reported": _("Cases reported"), "response_rate": _("Response rate"),
            "resolution_rate": _("Resolution rate"), "satisfaction_rate": _("Satisfaction rate"),
            "on_time_closure_rate": _("On-time closure rate"), "rework_rate": _("Rework rate"),
            "overdue_cases": _("Overdue cases"), "overdue_week": _("Cases overdue this week")})
        hooks.on_state_change("cases.callback", callback.on_state_change)
        hooks.on_state_change("cases.requests", requests.on_state_change)
        from civicgrid.assets.owners import register_owner_units
        from civicgrid.cases.models import HandlingUnit

        register_owner_units(lambda: set(HandlingUnit.objects.values_list("code", flat=True)))
        self._forget_names_on_region_change()

    @staticmethod
    def _forget_names_on_region_change():
        """Open311 answers keep community names per process for a minute; a change here drops them at once."""
        from django.db.models.signals import post_delete, post_save

        from civicgrid.cases.open311_answers import forget_names
        from civicgrid.territory.models import Region

        def forget(**_kwargs):
            forget_names()

        post_save.connect(forget, sender=Region, weak=False, dispatch_uid="cases.open311.names.save")
        post_delete.connect(forget, sender=Region, weak=False, dispatch_uid="cases.open311.names.delete")
