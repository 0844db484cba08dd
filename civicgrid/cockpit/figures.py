"""The cockpit card of the home dashboard: this month's first rates of the leader's area, from the rollups."""

from django.urls import reverse
from django.utils import timezone

from civicgrid.cockpit import selectors
from civicgrid.cockpit.periods import Period
from civicgrid.core.errors import NotFound
from civicgrid.core.registry import Figure


def home_figures(user) -> list[Figure]:
    try:
        region = selectors.top_region(actor=user)
    except NotFound:
        return []
    period = Period.containing("month", timezone.localdate())
    shares = [k for k in selectors.kpis() if k.rollup and k.kind == "share"][:3]
    values = selectors.figures(actor=user, regions=[region], period=period, only=[k.key for k in shares])
    url = reverse("cockpit:home")
    return [Figure(k.title, selectors.shown(k, values.get(k.key, {}).get(region.code)), url,
                   testid=f"cockpit-{k.key}") for k in shares]
