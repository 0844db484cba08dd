from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicgrid.core import registry


class BasemapConfig(AppConfig):
    name = "civicgrid.basemap"
    label = "basemap"
    verbose_name = _("Base map")

    def ready(self):
        from civicgrid.basemap.urls import PUBLIC_ROUTES

        registry.add_public_routes("basemap", dict(PUBLIC_ROUTES))
