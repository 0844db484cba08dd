"""Figures the organizations module gives the platform: its home card, region figures and cockpit KPIs."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.core.numbers import percent
from civicgrid.core.registry import Figure
from civicgrid.organizations import selectors
from civicgrid.organizations.models import Incubation, Organization, ServiceLog


def home_figures(user) -> list[Figure]:
    if not getattr(user, "manages_area", False):
        return []
    figures = selectors.registry_figures(actor=user)
    registry, board = reverse("organizations:registry"), reverse("organizations:board")
    return [Figure(_("active organizations"), f"{figures['active']:,}", registry, testid="figure-orgs-active"),
            Figure(_("rated 3A or better"), percent(figures["share_3a"]), f"{registry}?min_rating=3",
                   testid="figure-orgs-3a"),
            Figure(_("in incubation"), f"{figures['incubating']:,}", board, testid="figure-orgs-incubating"),
            Figure(_("incubation graduation rate"), percent(figures["graduation_rate"]), board,
                   testid="figure-orgs-graduation")]


def _in_region(organizations, code: str):
    """Kept by an office in the region, or serving it."""
    return organizations.within(code) | organizations.filter(service_area__code__startswith=code)


def _active(actor):
    return Organization.objects.visible_to(actor).filter(status=Organization.Status.ACTIVE)


def active_by_region(actor, regions) -> dict:
    active = _active(actor)
    return {r.code: _in_region(active, r.code).values("pk").distinct().count() for r in regions}


def _share_3a(actor, regions, day) -> dict:
    active = _active(actor)
    values: dict = {}
    for region in regions:
        here = _in_region(active, region.code).values("pk").distinct()
        n = here.count()
        rated = here.filter(rating__gte=3, rating_expires_on__gte=day).count()
        values[region.code] = rated / n if n else None
    return values


def share_3a_by_region(actor, regions) -> dict:
    return _share_3a(actor, regions, timezone.localdate())


# --- cockpit KPIs: values(actor, regions, start, end) over [start, end) --------------------------------------------

def kpi_active(actor, regions, start, end) -> dict:
    """Active organizations registered before the period's end."""
    active = _active(actor).filter(registered_on__lt=end)
    return {r.code: _in_region(active, r.code).values("pk").distinct().count() for r in regions}


def kpi_share_3a(actor, regions, start, end) -> dict:
    """Share of active organizations holding a 3A+ grade valid on the period's last day."""
    from datetime import timedelta

    return _share_3a(actor, regions, end - timedelta(days=1))


def kpi_graduation_rate(actor, regions, start, end) -> dict:
    """Graduated among incubations that ended in the period."""
    ended = Incubation.objects.visible_to(actor).filter(ended_on__gte=start, ended_on__lt=end)
    return {r.code: selectors.graduation_rate(ended.within(r.code))
            for r in regions}


def kpi_service_hours(actor, regions, start, end) -> dict:
    """Hours of service the centre delivered to incubated organizations in the period."""
    from django.db.models import Sum

    logs = ServiceLog.objects.visible_to(actor).filter(delivered_on__gte=start, delivered_on__lt=end)
    return {r.code: float(logs.within(r.code)
                          .aggregate(t=Sum("hours"))["t"] or 0) for r in regions}


def registry_list_url(code: str, start, end) -> str:
    return f"{reverse('organizations:registry')}?region={code}&status=active"


def board_url(code: str, start, end) -> str:
    return reverse("organizations:board")
