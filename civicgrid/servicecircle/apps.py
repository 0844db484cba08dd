from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicgrid.core import registry


class ServiceCircleConfig(AppConfig):
    name = "civicgrid.servicecircle"
    label = "servicecircle"
    verbose_name = _("15-minute service circle")

    def ready(self):
        from civicgrid.servicecircle.region_figures import coverage
        from civicgrid.servicecircle.selectors import home_figures

        registry.add_nav("servicecircle:map", _("Service circle"), order=50, audience=registry.area_staff)
        registry.add_home_card("servicecircle:map", _("15-minute service circle"),
                               _("Which facilities residents reach on foot, the gaps, and where to add new ones."),
                               order=50, audience=registry.area_staff, testid="go-servicecircle",
                               figures=home_figures)
        registry.add_region_figure("servicecircle_coverage", _("Service-circle coverage"), coverage, kind="share",
                                   better="high", order=40, note=_("newest finished analysis"))
        from civicgrid.servicecircle import cockpit

        cockpit.register(registry, {"panel": _("15-minute service circle"), "coverage": _("Service-circle coverage"),
                                    "note": _("newest finished analysis"), "gaps": _("New service gaps")})
