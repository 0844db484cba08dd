from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicgrid.core import registry


class CasesConfig(AppConfig):
    name = "civicgrid.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from civicgrid.cases import events  # noqa: F401 - registers the case event kinds
        from civicgrid.cases.figures import home_figures
        from civicgrid.cases.open311_urls import PUBLIC_ROUTES as OPEN311_PUBLIC
        from civicgrid.cases.urls import PUBLIC_ROUTES

        registry.add_nav("cases:home", _("Cases"), order=30)
        registry.add_home_card("cases:home", _("Cases"),
                               _("Report a problem, follow it, and handle the cases of your area."), order=30,
                               figures=home_figures)
        registry.add_public_routes("cases", dict(PUBLIC_ROUTES))
        registry.add_public_routes("", dict(OPEN311_PUBLIC))
        from civicgrid.assets.owners import register_owner_units
        from civicgrid.cases.models import HandlingUnit

        register_owner_units(lambda: set(HandlingUnit.objects.values_list("code", flat=True)))
