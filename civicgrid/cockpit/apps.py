from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicgrid.core import registry


def leaders(user) -> bool:
    """District and subdistrict leaders (and superusers): the cockpit's audience in the navigation."""
    area = getattr(user, "area_code", None) if getattr(user, "is_authenticated", False) else None
    return area is not None and len(area) <= 9 and bool(getattr(user, "manages_area", False))


class CockpitConfig(AppConfig):
    name = "civicgrid.cockpit"
    label = "cockpit"
    verbose_name = _("Leadership cockpit")

    def ready(self):
        from civicgrid.cockpit import tasks  # noqa: F401 - registers the periodic jobs
        from civicgrid.cockpit.figures import home_figures
        from civicgrid.cockpit.kpi_cache import module_changed
        from civicgrid.cockpit.rollup import refresh_after_commit
        from civicgrid.core import audit

        for source in registry.cockpit_sources():
            if source.subscribe is not None:
                source.subscribe(refresh_after_commit)
        audit.on_record(module_changed)
        registry.add_audit_value_labels("cockpit", "format", {"xlsx": "Excel", "pdf": "PDF"})

        registry.add_nav("cockpit:home", _("Cockpit"), order=15, audience=leaders)
        registry.add_home_card("cockpit:home", _("Leadership cockpit"),
                               _("The whole picture on one map: key figures, targets, rankings and monthly reports."),
                               order=15, audience=leaders, testid="home-cockpit", figures=home_figures)
