from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicgrid.core import registry


def _staff(user) -> bool:
    return registry.area_staff(user)


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


class PartybuildingConfig(AppConfig):
    name = "civicgrid.partybuilding"
    label = "partybuilding"
    verbose_name = _("Party building")

    def ready(self):
        from civicgrid.partybuilding import selectors
        from civicgrid.partybuilding.stats import home_figures
        from civicgrid.partybuilding.urls import PUBLIC_ROUTES

        registry.add_nav("partybuilding:home", _("Party building"), order=60, audience=_staff)
        registry.add_nav("partybuilding:events", _("White-collar events"), order=61, audience=_signed_in)
        registry.add_record_links("organizations.Organization", selectors.party_organization_links)
        registry.add_home_card("partybuilding:home", _("Party building"),
                               _("Party organizations and members on the grid, enterprise and building coverage, "
                                 "building workstations and brand projects."), order=60, audience=_staff,
                               figures=home_figures)
        registry.add_public_routes("partybuilding", PUBLIC_ROUTES)
        registry.add_public_routes("api", {"GET /api/v1/partybuilding/showcase":
                                           "the public showcase of promoted model brand projects, as on its page"})
        registry.add_region_figure("partybuilding_org_coverage", _("Party organization coverage of enterprises"),
                                   selectors.organization_share_by_region, kind="share", better="high", order=60)
        panel = {"panel": "partybuilding", "panel_title": _("Party building")}
        registry.add_cockpit_kpi("partybuilding_org_coverage", _("Party organization coverage of enterprises"),
                                 values=selectors.kpi_organization_share, kind="share", better="high", order=60,
                                 **panel)
        registry.add_cockpit_kpi("partybuilding_workstations", _("Office buildings with a workstation"),
                                 values=selectors.kpi_workstation_share, kind="share", better="high", order=61,
                                 **panel)
        registry.add_cockpit_kpi("partybuilding_members_reported",
                                 _("Employed members who reported to their community"),
                                 values=selectors.kpi_members_reported, kind="count", better="high", order=62,
                                 **panel)
        registry.add_cockpit_kpi("partybuilding_projects_on_schedule", _("Brand projects on schedule"),
                                 values=selectors.kpi_projects_on_schedule, kind="share", better="high", order=63,
                                 **panel)
