from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicgrid.core import registry


class PeopleConfig(AppConfig):
    name = "civicgrid.people"
    label = "people"
    verbose_name = _("People")

    def ready(self):
        registry.add_nav("people:residents", _("Residents"), order=20, audience=registry.area_staff)
        registry.add_home_card("people:residents", _("Residents"),
                               _("Residents, households and special groups in your area."), order=20,
                               audience=registry.area_staff)
