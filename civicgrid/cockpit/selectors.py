"""Every read of the cockpit: the regions an actor may open (his own area and below; district, subdistrict and
community managers only, anything else is NotFound), the key figures modules registered per region and period
(from the cockpit's rollups where the module publishes a source, else through the module's own `values`), the
rankings among peers and the composite score, targets, the weekly brief and the monthly reports."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import QuerySet

from civicgrid.cockpit import kpi_cache, rollup
from civicgrid.cockpit.models import MonthlyReport, Target
from civicgrid.cockpit.periods import Period
from civicgrid.core import registry
from civicgrid.core.errors import NotFound
from civicgrid.core.numbers import percent, thousands
from civicgrid.core.scoping import area_of
from civicgrid.territory.models import Level, Region

LEVEL_LENGTH: dict[str, int] = {Level.DISTRICT: 6, Level.SUBDISTRICT: 9, Level.COMMUNITY: 12, Level.GRID: 15}


# --- who may open what ------------------------------------------------------------------------------------------

def cockpit_area(actor) -> str:
    """The region prefix the actor's cockpit covers; NotFound for anyone who is not an area manager."""
    area = area_of(actor)
    if area is None or not getattr(actor, "manages_area", False):
        raise NotFound()
    return area


def can_use(actor) -> bool:
    try:
        cockpit_area(actor)
    except NotFound:
        return False
    return True


def top_region(*, actor) -> Region:
    area = cockpit_area(actor)
    region = (Region.objects.filter(parent__isnull=True).order_by("code").first() if area == ""
              else Region.objects.filter(code=area).first())
    if region is None:
        raise NotFound()
    return region


def get_region(*, actor, code: str) -> Region:
    area = cockpit_area(actor)
    if not code.startswith(area):
        raise NotFound()
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise NotFound()
    return region


def children(region: Region) -> list[Region]:
    return list(Region.objects.filter(parent=region).order_by("code"))


def is_district_manager(actor) -> bool:
    area = area_of(actor)
    return area is not None and len(area) <= 6 and getattr(actor, "manages_area", False)


def peer_viewer(area_code: str):
    """Reads the figures of an actor's peers for the ranking (and a region's own figures for its monthly report):
    the enclosing area's view, figures only, never records (the ranking shows a number per region, and links only
    inside the actor's own area). An unsaved area manager that owns nothing (pk 0)."""
    from civicgrid.accounts.models import Role, User

    viewer = User(pk=0, username="cockpit-figures", role=Role.DISTRICT if len(area_code) <= 6 else Role.SUBDISTRICT,
                  region_code=area_code)
    viewer._state.adding = False
    return viewer


# --- figures ------------------------------------------------------------------------------------------------------

def kpis() -> list[registry.CockpitKpi]:
    return registry.cockpit_kpis()


def kpi(key: str) -> registry.CockpitKpi | None:
    return next((k for k in kpis() if k.key == key), None)


def shown(kpi_: registry.CockpitKpi, value: float | None) -> str:
    if value is None:
        return "—"
    if kpi_.kind == "share":
        return percent(value)
    return thousands(value, 1 if kpi_.kind == "per_thousand" else 0)


def _from_rollup(entries: list, regions: list[Region], period: Period) -> dict[str, dict]:
    by_source: dict[str, list] = defaultdict(list)
    for entry in entries:
        by_source[entry.rollup[0]].append(entry)
    out: dict[str, dict] = {}
    codes = [r.code for r in regions]
    for source, group in by_source.items():
        measures = sorted({m for e in group for m in e.rollup[1:] if m})
        sums = rollup.sums(source_key=source, prefixes=codes, start=period.start, end=period.end, measures=measures)
        for entry in group:
            _src, numerator, denominator = entry.rollup
            values = {}
            for code in codes:
                counts = sums.get(code, {})
                if denominator:
                    values[code] = (round(counts.get(numerator, 0) / counts[denominator], 4)
                                    if counts.get(denominator) else None)
                else:
                    values[code] = counts.get(numerator, 0)
            out[entry.key] = values
    return out


def figures(*, actor, regions: list[Region], period: Period, only: list[str] | None = None) -> dict[str, dict]:
    """{kpi key: {region code: value or None}} for regions of one level. Rollup KPIs read the cockpit's rollups
    (the caller has checked the regions are the actor's or his peers'); the others ask the module (cached: see
    kpi_cache)."""
    if not regions:
        return {}
    chosen = [k for k in kpis() if only is None or k.key in only]
    out = _from_rollup([k for k in chosen if k.rollup], regions, period)
    out.update(kpi_cache.values([k for k in chosen if not k.rollup], actor=actor, regions=regions,
                                start=period.start, end=period.end))
    return out


def direct_figures(*, actor, regions: list[Region], period: Period) -> dict[str, dict]:
    """The same figures, each read directly through the module (`values`), rollups bypassed (for the check)."""
    return {k.key: k.values(actor, regions, period.start, period.end) for k in kpis()}


@dataclass
class Card:
    kpi: registry.CockpitKpi
    value: float | None
    previous: float | None
    last_year: float | None
    target: Target | None
    url: str
    shown: str = ""
    previous_shown: str = ""
    last_year_shown: str = ""
    target_shown: str = ""
    change: str = ""
    trend: str = ""  # "better", "worse" or ""
    target_met: bool | None = None


def _change(entry, value, before) -> tuple[str, str]:
    if value is None or before is None:
        return "", ""
    delta = value - before
    if entry.kind == "share":
        text = f"{delta * 100:+.1f}"
    else:
        text = f"{delta:+,.1f}" if entry.kind == "per_thousand" else f"{delta:+,.0f}"
    if delta == 0:
        return text, ""
    good = (delta > 0) == (entry.better == "high")
    return text, "better" if good else "worse"


def cards(*, actor, region: Region, period: Period) -> list[Card]:
    """One card per KPI for the region: this period, the one before, the same period last year, the target."""
    now = figures(actor=actor, regions=[region], period=period)
    before = figures(actor=actor, regions=[region], period=period.previous())
    year_ago = figures(actor=actor, regions=[region], period=period.last_year())
    targets = {t.kpi: t for t in Target.objects.filter(region_code=region.code).select_related("set_by")}
    out = []
    for entry in kpis():
        value = now.get(entry.key, {}).get(region.code)
        url = entry.list_url(region.code, period.start, period.end) if entry.list_url else ""
        card = Card(entry, value, before.get(entry.key, {}).get(region.code),
                    year_ago.get(entry.key, {}).get(region.code), targets.get(entry.key), url)
        card.shown, card.previous_shown = shown(entry, value), shown(entry, card.previous)
        card.last_year_shown = shown(entry, card.last_year)
        card.change, card.trend = _change(entry, value, card.previous)
        if card.target is not None:
            card.target_shown = shown(entry, card.target.value)
            if value is not None:
                card.target_met = value >= card.target.value if entry.better == "high" else value <= card.target.value
        out.append(card)
    return out


def panels(card_list: list[Card]) -> list[dict]:
    grouped: dict[str, dict] = {}
    for card in card_list:
        panel = grouped.setdefault(card.kpi.panel, {"key": card.kpi.panel, "title": card.kpi.panel_title,
                                                    "cards": []})
        panel["cards"].append(card)
    return list(grouped.values())


# --- rankings and the composite score -----------------------------------------------------------------------------

def default_weights() -> dict[str, int]:
    return {k.key: (1 if k.kind in ("share", "per_thousand") else 0) for k in kpis()}


def normalised(entry, value: float | None, values: list[float]) -> float | None:
    """0..100, higher is better: a rate as a percentage (reversed where lower is better), other figures by their
    place between the lowest and the highest among the regions ranked."""
    if value is None:
        return None
    if entry.kind == "share":
        score = value * 100
    else:
        low, high = min(values), max(values)
        score = 100.0 if high == low else (value - low) / (high - low) * 100
    return 100 - score if entry.better == "low" else score


@dataclass
class Ranked:
    region: Region
    values: dict[str, float | None]
    shown: dict[str, str]
    score: float | None = None
    rank: int = 0
    linked: bool = False
    mine: bool = False
    cells: list[tuple[str, str]] = field(default_factory=list)  # (KPI title, shown) in the KPIs' order


@dataclass
class Ranking:
    level: str
    rows: list[Ranked]
    weights: dict[str, int]
    sort: str
    kpis: list = field(default_factory=list)


def ranking_regions(*, actor, level: str) -> tuple[list[Region], str]:
    """The regions of a level the actor is ranked among, and the viewing area for their figures: at his own
    level his peers (same parent), below it the regions inside his area."""
    area = cockpit_area(actor)
    length = LEVEL_LENGTH.get(level, 9)
    if length <= len(area):
        if length < len(area):
            raise NotFound()
        parent = area[: {6: 0, 9: 6, 12: 9, 15: 12}[length]]
        regions = Region.objects.filter(level=level, code__startswith=parent)
        return list(regions.order_by("code")), parent
    return list(Region.objects.filter(level=level, code__startswith=area).order_by("code")), area


def ranking(*, actor, level: str, period: Period, weights: dict[str, int] | None = None,
            sort: str = "score") -> Ranking:
    regions, viewing = ranking_regions(actor=actor, level=level)
    area = cockpit_area(actor)
    viewer = actor if viewing.startswith(area) else peer_viewer(viewing)
    weights = {**default_weights(), **(weights or {})}
    values = figures(actor=viewer, regions=regions, period=period)
    entries = kpis()
    titles = [str(k.title) for k in entries]
    rows = []
    for region in regions:
        mine = {k.key: values.get(k.key, {}).get(region.code) for k in entries}
        texts = {k.key: shown(k, mine[k.key]) for k in entries}
        rows.append(Ranked(region, mine, texts, linked=region.code.startswith(area), mine=area.startswith(region.code),
                           cells=list(zip(titles, texts.values(), strict=True))))
    _score(rows, weights)
    entry = kpi(sort)
    if entry is not None:
        reverse = entry.better == "high"
        rows.sort(key=lambda r: (r.values[sort] is None, -(r.values[sort] or 0) if reverse else (r.values[sort] or 0)))
    else:
        sort = "score"
        rows.sort(key=lambda r: (r.score is None, -(r.score or 0)))
    for index, row in enumerate(rows, start=1):
        row.rank = index
    return Ranking(level, rows, weights, sort, kpis())


def _score(rows: list[Ranked], weights: dict[str, int]) -> None:
    columns: dict[str, list[float]] = {k.key: [v for v in (r.values[k.key] for r in rows) if v is not None]
                                       for k in kpis()}
    for row in rows:
        total, weight_sum = 0.0, 0
        for entry in kpis():
            weight = weights.get(entry.key, 0)
            score = normalised(entry, row.values[entry.key], columns[entry.key]) if weight else None
            if weight and score is not None:
                total += weight * score
                weight_sum += weight
        row.score = round(total / weight_sum, 1) if weight_sum else None


def formula(weights: dict[str, int]) -> list[tuple[str, int]]:
    return [(str(k.title), weights.get(k.key, 0)) for k in kpis() if weights.get(k.key, 0)]


# --- charts -------------------------------------------------------------------------------------------------------

def trend(*, region: Region, period: Period, months: int = 12) -> dict:
    """The last `months` months up to the period's end: cases reported and the three rates (from the rollup)."""
    rate_kpis = [k for k in kpis() if k.rollup and k.kind == "share"][:3]
    counts = [k for k in kpis() if k.rollup and k.kind == "count"][:1]
    chosen = counts + rate_kpis
    if not chosen:
        return {}
    source = (chosen[0].rollup or ("", "", ""))[0]
    measures = sorted({m for k in chosen for m in (k.rollup or ("", "", ""))[1:] if m})
    first = rollup.next_month(period.last_day.replace(day=1))
    for _ in range(months):
        first = (first - timedelta(days=1)).replace(day=1)
    rows = rollup.monthly(source_key=source, prefix=region.code, first=first, months=months, measures=measures)
    series = []
    for entry in chosen:
        _src, numerator, denominator = entry.rollup or ("", "", "")
        data = [(round(r[numerator] * 100 / r[denominator], 1) if r.get(denominator) else None) if denominator
                else r[numerator] for r in rows]
        series.append({"name": str(entry.title), "data": data, "percent": bool(denominator)})
    return {"kind": "trend", "categories": [f"{r['month']:%Y-%m}" for r in rows], "series": series}


def bars(*, entry, rows: list[tuple[str, float | None]]) -> dict:
    percent_kind = entry.kind == "share"
    data = [(round(v * 100, 1) if percent_kind else v) if v is not None else None for _name, v in rows]
    return {"kind": "bars", "categories": [name for name, _v in rows],
            "series": [{"name": str(entry.title), "data": data, "percent": percent_kind}]}


def category_mix(*, region: Region, period: Period) -> dict:
    sources = {k.rollup[0] for k in kpis() if k.rollup}
    if not sources:
        return {}
    rows = rollup.mix(source_key=sorted(sources)[0], prefix=region.code, start=period.start, end=period.end)
    if not rows:
        return {}
    return {"kind": "pie", "categories": [label for label, _n in rows[:10]],
            "series": [{"name": "", "data": [n for _label, n in rows[:10]]}]}


# --- weekly brief, reports, targets ----------------------------------------------------------------------------

def week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=7)


def brief(*, actor, region: Region, start: date, end: date) -> list[dict]:
    return [{"key": b.key, "title": b.title, "items": b.items(actor, region.code, start, end)}
            for b in registry.cockpit_briefs()]


def reports_for(*, actor) -> QuerySet[MonthlyReport]:
    cockpit_area(actor)  # NotFound for anyone who is not an area manager
    return MonthlyReport.objects.visible_to(actor).defer("xlsx", "pdf")


def get_report(*, actor, report_id: int) -> MonthlyReport:
    found = reports_for(actor=actor).filter(pk=report_id).first()
    if found is None:
        raise NotFound()
    return found


def targets_for(*, actor) -> QuerySet[Target]:
    return Target.objects.visible_to(actor).within(cockpit_area(actor)).select_related("set_by")
