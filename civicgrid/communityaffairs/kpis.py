"""What community standardization gives the platform: home-card figures, region figures (space gap, staff
vacancies) and the cockpit's KPIs (space gap, vacancies, training hours per worker, one-stop in-time rate), each per
region, summed or averaged over the communities inside it that the actor's area covers."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicgrid.communityaffairs import figures
from civicgrid.communityaffairs.models import Handling
from civicgrid.core.numbers import percent
from civicgrid.core.registry import Figure
from civicgrid.core.scoping import area_of
from civicgrid.territory.models import Level, Region


def _code(region) -> str:
    return getattr(region, "code", region)


def _covered_communities(actor, regions: list) -> dict[str, list[str]]:
    """{region code: the community codes under it that the actor's area covers}."""
    area = area_of(actor)
    codes = [_code(r) for r in regions]
    if area is None or not codes:
        return {code: [] for code in codes}
    found = Region.objects.filter(level=Level.COMMUNITY, code__startswith=area).values_list("code", flat=True)
    grouped: dict[str, list[str]] = {code: [] for code in codes}
    for community in found:
        for code in codes:
            if community.startswith(code) or code.startswith(community):
                grouped[code].append(community)
    return grouped


def space_gap_by_region(actor, regions: list) -> dict[str, float | None]:
    grouped = _covered_communities(actor, regions)
    space = figures.spaces(sorted({c for codes in grouped.values() for c in codes}))
    return {code: round(sum(space[c].gap for c in codes), 1) if codes else None for code, codes in grouped.items()}


def vacancies_by_region(actor, regions: list) -> dict[str, float | None]:
    grouped = _covered_communities(actor, regions)
    staffing = figures.staffing(sorted({c for codes in grouped.values() for c in codes}))
    return {code: sum(staffing[c].vacancies for c in codes) if codes else None for code, codes in grouped.items()}


def space_gap_kpi(actor, regions: list, start, end) -> dict[str, float | None]:
    """The gap today (rooms are a stock, not a flow): the period does not change it."""
    return space_gap_by_region(actor, regions)


def vacancies_kpi(actor, regions: list, start, end) -> dict[str, float | None]:
    return vacancies_by_region(actor, regions)


def training_hours_kpi(actor, regions: list, start, end) -> dict[str, float | None]:
    """Average training hours per community worker in the year the period starts in."""
    grouped = _covered_communities(actor, regions)
    training = figures.training(sorted({c for codes in grouped.values() for c in codes}), start.year)
    result: dict[str, float | None] = {}
    for code, codes in grouped.items():
        hours = [h for c in codes for h in training[c].hours.values()]
        result[code] = round(sum(hours) / len(hours), 1) if hours else None
    return result


def in_time_kpi(actor, regions: list, start, end) -> dict[str, float | None]:
    """Share of the applications finished in [start, end) that finished within their working-day limit."""
    grouped = _covered_communities(actor, regions)
    rows = Handling.objects.visible_to(actor).filter(finished_at__date__gte=start, finished_at__date__lt=end,
                                                     result__in=figures.FINISHED)
    result: dict[str, float | None] = {}
    for code, codes in grouped.items():
        found = rows.filter(region_code__in=codes)
        on_time, finished = figures.in_time(found)
        result[code] = figures.share(on_time, finished)
    return result


def home_figures(user) -> list[Figure]:
    area = area_of(user)
    if area is None or not getattr(user, "manages_area", False):
        return []
    region = Region.objects.filter(code=area).first() if area else None
    regions = [region] if region else list(Region.objects.filter(level=Level.DISTRICT))
    if not regions:
        return []
    today = timezone.localdate()
    gap = sum(v or 0 for v in space_gap_by_region(user, regions).values())
    vacancies = sum(v or 0 for v in vacancies_by_region(user, regions).values())
    rates = [v for v in in_time_kpi(user, regions, today.replace(month=1, day=1), today.replace(
        year=today.year + 1, month=1, day=1)).values() if v is not None]
    home = reverse("communityaffairs:home")
    return [Figure(_("space gap (m²)"), f"{gap:,.0f}", reverse("communityaffairs:gaps"), "warn" if gap else "",
                   "figure-space-gap"),
            Figure(_("staff vacancies"), str(int(vacancies)), reverse("communityaffairs:gaps"),
                   "warn" if vacancies else "", "figure-vacancies"),
            Figure(_("one-stop in time this year"), percent(rates[0]) if len(rates) == 1 else "—", home,
                   testid="figure-in-time")]
