"""Assessment indicators computed from the platform instead of typed in: each reads another module's selectors or
statistics (within the reader's jurisdiction) for one community and year, and scores the figure 0–100."""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db.models import Sum

from civicgrid.communityaffairs import figures
from civicgrid.communityaffairs.models import Indicator, TemplateIndicator
from civicgrid.core import registry
from civicgrid.territory.models import Region


def case_on_time(actor, code: str, year: int) -> float | None:
    """Share of the community's cases closed in the year that closed in time (cases' RATES.md definition)."""
    from civicgrid.cases import stats

    report = stats.report(actor=actor, start=date(year, 1, 1), end=date(year, 12, 31), region=code,
                          use_rollup=False)
    return report.total.rates["on_time_closure"]


def service_circle(actor, code: str, year: int) -> float | None:
    """The service-circle coverage the servicecircle module registers per region (newest finished analysis)."""
    figure = next((f for f in registry.region_figures() if f.key == "servicecircle_coverage"), None)
    region = Region.objects.filter(code=code).first()
    if figure is None or region is None:
        return None
    return figure.values(actor, [region]).get(code)


def volunteer_hours(actor, code: str, year: int) -> float | None:
    """Confirmed volunteer service hours in the community in the year, per 1,000 residents."""
    from civicgrid.volunteering.models import ServiceRecord
    from civicgrid.volunteering.selectors import records_for

    population = Region.objects.filter(code=code).values_list("population", flat=True).first()
    if not population:
        return None
    minutes = (records_for(actor=actor, status=ServiceRecord.Status.CONFIRMED)
               .within(code).filter(service_date__year=year).aggregate(m=Sum("minutes"))["m"] or 0)
    return round(minutes / 60 / population * 1000, 1)


def space_gap(actor, code: str, year: int) -> float | None:
    return figures.spaces([code])[code].gap


Reader = Callable[[Any, str, int], float | None]
READERS: dict[str, Reader] = {
    Indicator.CASE_ON_TIME: case_on_time, Indicator.SERVICE_CIRCLE: service_circle,
    Indicator.VOLUNTEER_HOURS: volunteer_hours, Indicator.SPACE_GAP: space_gap,
}


def figure_of(indicator: TemplateIndicator, *, actor, code: str, year: int) -> float | None:
    reader = READERS.get(indicator.source)
    return reader(actor, code, year) if reader else None


def score_of(indicator: TemplateIndicator, figure: float | None, *, code: str = "") -> float | None:
    """0–100: a share or count reaching `target` scores 100, proportionally less below it; the space gap scores
    100 without gap and loses in proportion to the gap against the required area."""
    if figure is None:
        return None
    if indicator.source == Indicator.SPACE_GAP:
        required = figures.spaces([code])[code].required if code else 0
        return round(max(0.0, 100 * (1 - figure / required)), 1) if required else 100.0
    target = indicator.target or 1.0
    return round(min(100.0, max(0.0, figure / target * 100)), 1)


def weighted_total(pairs: list[tuple[float, float | None]]) -> float | None:
    """Σ weight × score / Σ weight over the scored (weight, score) pairs: a computed indicator without a figure
    (no case closed in the year, no finished analysis) is left out and the others carry its weight."""
    scored = [(weight, score) for weight, score in pairs if score is not None]
    weights = sum(weight for weight, _ in scored)
    return round(sum(weight * score for weight, score in scored) / weights, 2) if weights else None
