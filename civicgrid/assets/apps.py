from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicgrid.core import registry


def importers(user) -> bool:
    from civicgrid.assets.services import IMPORT_ROLES

    return bool(getattr(user, "is_superuser", False) or getattr(user, "role", "") in IMPORT_ROLES)


class AssetsConfig(AppConfig):
    name = "civicgrid.assets"
    label = "assets"
    verbose_name = _("Street assets")

    def ready(self):
        registry.add_nav("assets:import", _("Street assets"), order=35, audience=importers)
