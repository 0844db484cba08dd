from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicgrid.core import registry


def _orgs_audience(user) -> bool:
    """Area staff see the registry; social organizations their own portal."""
    return registry.area_staff(user) or getattr(user, "role", "") == "social_org" or registry.superusers(user)


class OrganizationsConfig(AppConfig):
    name = "civicgrid.organizations"
    label = "organizations"
    verbose_name = _("Social organizations")

    def ready(self):
        from civicgrid.organizations import stats
        from civicgrid.organizations.urls import PUBLIC_ROUTES

        registry.add_nav("organizations:home", _("Social organizations"), order=45, audience=_orgs_audience)
        registry.add_home_card("organizations:home", _("Social organizations"),
                               _("Registry, hub organizations, incubation and training."), order=45,
                               audience=_orgs_audience, figures=stats.home_figures, testid="card-organizations")
        registry.add_public_routes("organizations", PUBLIC_ROUTES)
        registry.add_region_figure("organizations_active", _("Active social organizations"), stats.active_by_region,
                                   better="high", order=60, note=_("kept by an office in the region or serving it"))
        registry.add_region_figure("organizations_3a", _("Organizations rated 3A or better"),
                                   stats.share_3a_by_region, kind="share", better="high", order=61)
        panel, title = "organizations", _("Social organizations")
        registry.add_cockpit_kpi("organizations_active", _("Active social organizations"), panel=panel,
                                 panel_title=title, values=stats.kpi_active, order=10,
                                 list_url=stats.registry_list_url)
        registry.add_cockpit_kpi("organizations_3a", _("Organizations rated 3A or better"), panel=panel,
                                 panel_title=title, values=stats.kpi_share_3a, kind="share", order=11,
                                 list_url=stats.registry_list_url, note=_("grade valid on the period's last day"))
        registry.add_cockpit_kpi("incubation_graduation", _("Incubation graduation rate"), panel=panel,
                                 panel_title=title, values=stats.kpi_graduation_rate, kind="share", order=12,
                                 list_url=stats.board_url, note=_("graduated among incubations ended in the period"))
        registry.add_cockpit_kpi("incubation_service_hours", _("Incubation service hours"), panel=panel,
                                 panel_title=title, values=stats.kpi_service_hours, order=13,
                                 list_url=stats.board_url)
