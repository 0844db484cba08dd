from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicgrid.core import registry


class ProcurementConfig(AppConfig):
    name = "civicgrid.procurement"
    label = "procurement"
    verbose_name = _("Purchase of services")

    def ready(self):
        from civicgrid.procurement import selectors
        from civicgrid.procurement.models import Stage
        from civicgrid.procurement.urls import PUBLIC_ROUTES

        registry.add_nav("procurement:board", _("Purchase of services"), order=65)
        registry.add_home_card("procurement:board", _("Purchase of services"),
                               _("Catalogue and budget, calls, bids and review, contracts, evaluation, payment and "
                                 "public disclosure."), order=65, figures=selectors.home_figures,
                               testid="procurement-card")
        registry.add_public_routes("procurement", PUBLIC_ROUTES)
        registry.add_public_routes("api", {"GET /api/v1/procurement/disclosure/360giving":
                                        "open data: awarded purchases in the 360Giving JSON layout"})
        registry.add_footer_link("procurement:disclosure", _("Purchases of services disclosed"), order=70)
        registry.add_audit_value_labels("procurement", "stage", Stage.choices)
        _cockpit(selectors, Stage)


def _cockpit(selectors, Stage) -> None:
    panel: dict[str, Any] = {"panel": "procurement", "panel_title": _("Purchase of services")}
    registry.add_cockpit_kpi("procurement_execution", _("Budget execution rate"), values=selectors.kpi_execution,
                             kind="share", better="high", order=60, **panel)
    registry.add_cockpit_kpi("procurement_cost_per_beneficiary", _("Cost per beneficiary (yuan)"),
                             values=selectors.kpi_cost_per_beneficiary, kind="count", better="low", order=61,
                             **panel)
    for n, stage in enumerate(selectors.BOARD_STAGES):
        registry.add_cockpit_kpi(f"procurement_stage_{stage}", Stage(stage).label, values=selectors.kpi_stage(stage),
                                 kind="count", better="high", order=62 + n,
                                 note=_("Purchases at this stage of the pipeline"), **panel)
