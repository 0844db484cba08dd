from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicgrid.core import registry


class CommunityAffairsConfig(AppConfig):
    name = "civicgrid.communityaffairs"
    label = "communityaffairs"
    verbose_name = _("Community standardization")

    def ready(self):
        from civicgrid.communityaffairs import kpis
        from civicgrid.communityaffairs.models import AppointmentStatus, Body, Handling, Stage
        from civicgrid.communityaffairs.urls import PUBLIC_ROUTES

        registry.add_nav("communityaffairs:home", _("Community standardization"), order=60,
                         audience=registry.area_staff)
        registry.add_nav("communityaffairs:catalogue", _("One-stop services"), order=61)
        registry.add_home_card("communityaffairs:home", _("Community standardization"),
                               _("Duty charters, rooms, workforce, the one-stop window and assessments."),
                               order=60, audience=registry.area_managers, figures=kpis.home_figures)
        registry.add_public_routes("communityaffairs", PUBLIC_ROUTES)
        registry.add_public_routes("api", {"GET /api/v1/communityaffairs/communities/{code}/items":
                                           "事项清单 and 办事指南 of a community's one-stop window, published"})
        registry.add_region_figure("space_gap", _("Space gap (m²)"), kpis.space_gap_by_region, order=60)
        registry.add_region_figure("staffing_gap", _("Staff vacancies"), kpis.vacancies_by_region, order=61)
        panel, title = "communityaffairs", _("Community standardization")
        registry.add_cockpit_kpi("space_gap", _("Space gap (m²)"), panel=panel, panel_title=title,
                                 values=kpis.space_gap_kpi, better="low", order=60)
        registry.add_cockpit_kpi("staffing_gap", _("Staff vacancies"), panel=panel, panel_title=title,
                                 values=kpis.vacancies_kpi, better="low", order=61)
        registry.add_cockpit_kpi("training_hours", _("Training hours per worker"), panel=panel, panel_title=title,
                                 values=kpis.training_hours_kpi, better="high", order=62)
        registry.add_cockpit_kpi("onestop_in_time", _("One-stop in-time rate"), panel=panel, panel_title=title,
                                 values=kpis.in_time_kpi, kind="share", better="high", order=63)
        registry.add_audit_value_labels("communityaffairs", "body", Body.choices)
        registry.add_audit_value_labels("communityaffairs", "result", Handling.Result.choices)
        registry.add_audit_value_labels("communityaffairs", "stage", Stage.choices)
        registry.add_audit_value_labels("communityaffairs", "status", AppointmentStatus.choices)
