"""The statistics of case handling (definitions in RATES.md): counts for a period and scope, broken down by
region, unit, category or month. Large scopes read the daily rollup; small ones aggregate cases directly
(both give the same figures, a test holds them together)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import Substr

from civicgrid.accounts.models import Role
from civicgrid.cases import rollup
from civicgrid.cases.models import Case, Category, Channel, DailyGridCount, DailyStat, HandlingUnit
from civicgrid.core.errors import NotFound
from civicgrid.core.scoping import area_of
from civicgrid.territory.models import Region

BREAKDOWNS = ("region", "unit", "category", "month", "channel")


@dataclass
class Figures:
    key: str = ""
    label: str = ""
    counts: dict = field(default_factory=lambda: dict.fromkeys(rollup.COUNT_FIELDS, 0))
    handling_hours: float = 0.0

    def add(self, row: dict) -> None:
        for name in rollup.COUNT_FIELDS:
            self.counts[name] += row.get(name) or 0
        self.handling_hours += row.get("handling_hours") or 0.0

    @staticmethod
    def _share(numerator: int, denominator: int) -> float | None:
        return round(numerator / denominator, 4) if denominator else None

    @property
    def rates(self) -> dict:
        c = self.counts
        return {
            "response": self._share(c["responded_on_time"], c["dispatched"]),
            "resolution": self._share(c["resolved"], c["rated"]),
            "satisfaction": self._share(c["satisfied"], c["rated"]),
            "closure": self._share(c["closed"], c["accepted"]),
            "on_time_closure": self._share(c["closed_on_time"], c["closed"]),
            "rework": self._share(c["reworked"], c["closed"]),
            "avg_handling_hours": round(self.handling_hours / c["closed"], 2) if c["closed"] else None,
        }


@dataclass
class Report:
    total: Figures
    rows: list[Figures]
    source: str


def _scope(actor) -> tuple[str, list[int] | None]:
    """(region prefix, unit ids or None); residents have no statistics."""
    prefix = area_of(actor)
    if prefix is not None:
        return prefix, None
    if actor.is_authenticated and actor.role == Role.HANDLING_UNIT:
        return "", list(HandlingUnit.objects.filter(members=actor).values_list("pk", flat=True))
    raise NotFound()


def _region_key_length(prefix: str) -> int:
    return min(len(prefix) + 3, 15) if len(prefix) >= 9 else 9


def report(*, actor, start: date, end: date, by: str = "region", region: str = "", unit_id: int | None = None,
           category_id: int | None = None, use_rollup: bool | None = None) -> Report:
    prefix, units = _scope(actor)
    if region and region.startswith(prefix):
        prefix = region
    key_length = _region_key_length(prefix)
    if use_rollup is None:
        use_rollup = len(prefix) <= 9 and not (by == "region" and key_length > 9)
    if use_rollup:
        rollup.refresh()  # cheap when nothing changed: catches up with edits since the last periodic refresh
        rows, source = _from_rollup(prefix, units, start, end, by, unit_id, category_id), "rollup"
    else:
        rows, source = _from_cases(prefix, units, start, end, by, unit_id, category_id, key_length), "cases"
    result = _assemble(rows, by)
    result.source = source
    return result


def _group_field(by: str) -> str:
    return {"region": "rkey", "unit": "unit_id", "category": "category_top_id", "month": "day", "day": "day",
            "channel": "channel"}[by]


def _from_rollup(prefix, units, start, end, by, unit_id, category_id) -> list[dict]:
    rows = DailyStat.objects.within(prefix[:9]).filter(day__range=(start, end))
    if units is not None:
        rows = rows.filter(unit_id__in=units)
    if unit_id:
        rows = rows.filter(unit_id=unit_id)
    if category_id:
        rows = rows.filter(category_top_id=category_id)
    rows = rows.annotate(rkey=Substr("subdistrict_code", 1, 9))
    sums = {name: Sum(name) for name in (*rollup.COUNT_FIELDS, "handling_hours")}
    return list(rows.values(_group_field(by)).annotate(**sums).order_by())


def _from_cases(prefix, units, start, end, by, unit_id, category_id, key_length) -> list[dict]:
    cases = Case.objects.within(prefix).filter(reported_on__range=(start, end))
    if units is not None:
        cases = cases.filter(unit_id__in=units)
    if unit_id:
        cases = cases.filter(unit_id=unit_id)
    if category_id:
        cases = cases.filter(category_top_id=category_id)
    group = {"region": "rkey", "unit": "unit_id", "category": "category_top_id", "month": "reported_on",
             "day": "reported_on", "channel": "channel"}[by]
    cases = cases.annotate(rkey=Substr("region_code", 1, key_length))
    rows = list(cases.values(group).annotate(**rollup.case_counts()).order_by())
    for row in rows:
        row["handling_hours"] = rollup.hours(row.pop("handling"))
        if by in ("month", "day"):  # "day": the trend chart's daily points
            row["day"] = row.pop("reported_on")
    return rows


def _labels(by: str, keys: set) -> dict:
    if by == "region":
        return dict(Region.objects.filter(code__in=keys).values_list("code", "name"))
    if by == "unit":
        return dict(HandlingUnit.objects.filter(pk__in=keys).values_list("pk", "name"))
    if by == "category":
        return dict(Category.objects.filter(pk__in=keys).values_list("pk", "name"))
    if by == "channel":
        return {key: Channel(key).label for key in keys if key in Channel.values}
    return {}


def _assemble(rows: list[dict], by: str) -> Report:
    group = _group_field(by)
    buckets: dict = defaultdict(Figures)
    total = Figures(key="total")
    for row in rows:
        key = row[group]
        if by in ("month", "day"):
            key = key.strftime("%Y-%m") if by == "month" else key.isoformat()
        buckets[key].add(row)
        total.add(row)
    labels = _labels(by, set(buckets))
    out = []
    for key in sorted(buckets, key=lambda k: (k is None, str(k))):
        figures = buckets[key]
        figures.key, figures.label = str(key or ""), str(labels.get(key, key if key is not None else "—"))
        out.append(figures)
    return Report(total=total, rows=out, source="")


def heat_points(*, actor, start: date, end: date) -> list[list[float]]:
    """Cases per grid in the period as [lon, lat, count] at the grid's centre, for the heat map. Area staff read
    the per-grid daily rollup; a handling unit's own cases are few enough to count directly."""
    prefix, units = _scope(actor)
    if units is None:
        rollup.refresh()
        counts: QuerySet = (DailyGridCount.objects.within(prefix).filter(day__range=(start, end))
                  .values("grid_code").annotate(n=Sum("reported")).order_by())
    else:
        counts = (Case.objects.filter(reported_on__range=(start, end), unit_id__in=units)
                  .values(grid_code=F("region_code")).annotate(n=Count("id")).order_by())
    by_grid = {row["grid_code"]: row["n"] for row in counts}
    centres = Region.objects.filter(code__in=by_grid, center_lon__isnull=False).values_list(
        "code", "center_lon", "center_lat")
    return [[round(lon, 6), round(lat, 6), by_grid[code]] for code, lon, lat in centres
            if lon is not None and lat is not None]
