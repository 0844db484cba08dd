from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicgrid.core import registry


class CasesConfig(AppConfig):
    name = "civicgrid.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from civicgrid.cases import events  # noqa: F401 - registers the case event kinds
        from civicgrid.cases.open311_urls import PUBLIC_ROUTES as OPEN311_PUBLIC
        from civicgrid.cases.urls import PUBLIC_ROUTES

        registry.add_nav("cases:home", _("Cases"), order=30)
        registry.add_home_card("cases:home", _("Cases"),
                               _("Report a problem, follow it, and handle the cases of your area."), order=30)
        registry.add_public_routes("cases", dict(PUBLIC_ROUTES))
        registry.add_public_routes("", dict(OPEN311_PUBLIC))
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
