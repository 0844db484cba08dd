from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicgrid.core import registry


class TerritoryConfig(AppConfig):
    name = "civicgrid.territory"
    label = "territory"
    verbose_name = _("Territory")

    def ready(self):
        registry.add_nav("territory:browser", _("Regions & map"), order=10)
        registry.set_region_namer(_region_names)
        registry.add_home_card("territory:browser", _("Regions & map"),
                               _("District, subdistricts, communities and grids on the map."), order=10)


def _region_names(codes: set) -> dict:
    from civicgrid.territory.models import Region

    return dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
