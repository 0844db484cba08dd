"""The cockpit's rollups of the sources modules register (core.registry.add_cockpit_source): per day and grid,
then per month and grid, totals and mixes. `refresh()` rebuilds only the days whose records changed since the
last refresh (a reopened case rewrites the day it was reported on, hence last month's figures) and the months
those days fall in. Run by the task queue every few minutes and when a module's records change."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from civicgrid.cockpit.models import MEASURE_FIELDS, DayRollup, MonthRollup, RollupCursor
from civicgrid.core import registry

CHUNK_DAYS = 31


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1)


def slots(source) -> dict[str, str]:
    """measure name → its column (m0, m1, …) for a registered source."""
    return {name: MEASURE_FIELDS[i] for i, name in enumerate(source.measures)}


def _day_rows(source, days: list[date], grids: list[str] | None = None, cells: set | None = None) -> list[DayRollup]:
    columns = slots(source)
    first = columns[source.measures[0]]
    made = []
    for row in (source.rows(days) if grids is None else source.rows(days, grids)):
        if cells is not None and (row["day"], row["grid"]) not in cells:
            continue
        values = ({columns[m]: row.get(m) or 0 for m in source.measures} if not row["dim"]
                  else {first: row.get(source.measures[0]) or 0})
        made.append(DayRollup(source=source.key, day=row["day"], grid_code=row["grid"], dim=row["dim"],
                              key=row["key"], label=str(row.get("label") or "")[:100], **values))
    return made


def _rebuild_days(source, days: list[date]) -> int:
    made = _day_rows(source, days)
    DayRollup.objects.filter(source=source.key, day__in=days).delete()
    DayRollup.objects.bulk_create(made, batch_size=2000)
    return len(made)


def _rebuild_cells(source, cells: set[tuple[date, str]]) -> int:
    """Rebuild only the (day, grid) cells that changed: one read of the source per chunk of days."""
    by_day: dict[date, set[str]] = defaultdict(set)
    for day, grid in cells:
        by_day[day].add(grid)
    days = sorted(by_day)
    written = 0
    for start in range(0, len(days), CHUNK_DAYS):
        chunk = days[start:start + CHUNK_DAYS]
        grids = sorted(set().union(*(by_day[d] for d in chunk)))
        made = []
        for part in range(0, len(grids), 500):
            made += _day_rows(source, chunk, grids[part:part + 500], cells)
        for day in chunk:
            DayRollup.objects.filter(source=source.key, day=day, grid_code__in=sorted(by_day[day])).delete()
        DayRollup.objects.bulk_create(made, batch_size=2000)
        written += len(made)
    return written


def _rebuild_month(source_key: str, first: date, grids: list[str] | None = None) -> int:
    """The month's rows from its days (only these grids when given)."""
    days = DayRollup.objects.filter(source=source_key, day__gte=first, day__lt=next_month(first))
    months = MonthRollup.objects.filter(source=source_key, month=first)
    if grids is not None:
        days, months = days.filter(grid_code__in=grids), months.filter(grid_code__in=grids)
    rows = days.values("grid_code", "dim", "key").annotate(**{f: Sum(f) for f in MEASURE_FIELDS}).order_by()
    labels = {(d, k): label for d, k, label in days.exclude(dim="").values_list("dim", "key", "label").distinct()}
    made = [MonthRollup(source=source_key, month=first, grid_code=r["grid_code"], dim=r["dim"], key=r["key"],
                        label=labels.get((r["dim"], r["key"]), ""), **{f: r[f] or 0 for f in MEASURE_FIELDS})
            for r in rows]
    months.delete()
    MonthRollup.objects.bulk_create(made, batch_size=2000)
    return len(made)


def refresh_source(source, *, full: bool = False) -> dict:
    """Bring one source's rollup up to date; serialized by a row lock on its cursor. Returns what it rebuilt."""
    with transaction.atomic():
        RollupCursor.objects.get_or_create(source=source.key)
        cursor = RollupCursor.objects.select_for_update().get(source=source.key)
        started = timezone.now()
        if cursor.measures != list(source.measures):
            full = True  # the source changed its measures: the columns mean something else now
        since = None if full else cursor.refreshed_until
        if since is not None and source.changed_cells is not None:
            done = _refresh_cells(source, source.changed_cells(since))
        else:
            done = _refresh_days(source, source.changed_days(since), full=full)
        cursor.refreshed_until, cursor.measures = started, list(source.measures)
        cursor.save()
    return done


def _refresh_days(source, days: list[date], *, full: bool) -> dict:
    if full:
        DayRollup.objects.filter(source=source.key).delete()
        MonthRollup.objects.filter(source=source.key).delete()
    written = 0
    for start in range(0, len(days), CHUNK_DAYS):
        written += _rebuild_days(source, days[start:start + CHUNK_DAYS])
    months = sorted({month_of(day) for day in days})
    for first in months:
        _rebuild_month(source.key, first)
    return {"days": len(days), "cells": None, "months": len(months), "rows": written}


def _refresh_cells(source, cells: set[tuple[date, str]]) -> dict:
    written = _rebuild_cells(source, cells)
    by_month: dict[date, set[str]] = defaultdict(set)
    for day, grid in cells:
        by_month[month_of(day)].add(grid)
    for first, grids in sorted(by_month.items()):
        _rebuild_month(source.key, first, sorted(grids))
    return {"days": len({day for day, _grid in cells}), "cells": len(cells), "months": len(by_month),
            "rows": written}


def refresh(*, full: bool = False) -> dict:
    return {source.key: refresh_source(source, full=full) for source in registry.cockpit_sources()}


def sums(*, source_key: str, prefixes: list[str], start: date, end: date, measures: list[str],
         dim: str = "") -> dict[str, dict[str, int]]:
    """{prefix: {measure: sum}} over [start, end): whole months from the monthly rollup, the days at either
    end from the daily one. All prefixes have the same length."""
    source = next((s for s in registry.cockpit_sources() if s.key == source_key), None)
    if source is None or not prefixes:
        return {}
    columns = slots(source)
    wanted = {m: columns[m] for m in measures if m in columns}
    out: dict[str, dict[str, int]] = {p: dict.fromkeys(wanted, 0) for p in prefixes}
    for model, lo, hi, field in _spans(start, end):
        _add(out, model.objects.filter(source=source_key, dim=dim, **{f"{field}__gte": lo, f"{field}__lt": hi}),
             prefixes, wanted)
    return out


def _spans(start: date, end: date) -> list[tuple]:
    """[start, end) as (model, from, to, date field): whole months monthly, the rest daily."""
    first_whole = start if start.day == 1 else next_month(month_of(start))
    last_whole = month_of(end)
    if first_whole >= last_whole:
        return [(DayRollup, start, end, "day")]
    spans: list[tuple] = [(MonthRollup, first_whole, last_whole, "month")]
    if start < first_whole:
        spans.append((DayRollup, start, first_whole, "day"))
    if last_whole < end:
        spans.append((DayRollup, last_whole, end, "day"))
    return spans


def _add(out: dict, rows, prefixes: list[str], wanted: dict[str, str]) -> None:
    from django.db.models.functions import Substr

    length = len(prefixes[0])
    if length == 15:
        grouped = rows.filter(grid_code__in=prefixes).values(prefix=Substr("grid_code", 1, 15))
    else:
        common = _common_prefix(prefixes)
        grouped = rows.filter(grid_code__startswith=common).values(prefix=Substr("grid_code", 1, length))
    for row in grouped.annotate(**{m: Sum(col) for m, col in wanted.items()}).order_by():
        target = out.get(row["prefix"])
        if target is not None:
            for m in wanted:
                target[m] += row[m] or 0


def _common_prefix(codes: list[str]) -> str:
    first, last = min(codes), max(codes)
    i = 0
    while i < len(first) and i < len(last) and first[i] == last[i]:
        i += 1
    return first[:i]


def mix(*, source_key: str, prefix: str, start: date, end: date, dim: str = "category") -> list[tuple[str, int]]:
    """(label, count) of one dimension inside a region over [start, end), largest first."""
    totals: dict[str, int] = defaultdict(int)
    for model, lo, hi, field in _spans(start, end):
        rows = (model.objects.filter(source=source_key, dim=dim, grid_code__startswith=prefix,
                                     **{f"{field}__gte": lo, f"{field}__lt": hi})
                .values("label").annotate(n=Sum("m0")).order_by())
        for row in rows:
            totals[row["label"] or "—"] += row["n"] or 0
    return sorted(totals.items(), key=lambda item: -item[1])


def monthly(*, source_key: str, prefix: str, first: date, months: int, measures: list[str]) -> list[dict]:
    """Per month from `first` on: {month, measure: sum} for one region (the trend charts)."""
    source = next((s for s in registry.cockpit_sources() if s.key == source_key), None)
    if source is None:
        return []
    columns = slots(source)
    wanted = {m: columns[m] for m in measures if m in columns}
    last = first
    for _ in range(months):
        last = next_month(last)
    rows = (MonthRollup.objects.filter(source=source_key, dim="", grid_code__startswith=prefix,
                                       month__gte=first, month__lt=last)
            .values("month").annotate(**{m: Sum(col) for m, col in wanted.items()}).order_by("month"))
    found = {row["month"]: row for row in rows}
    out, month = [], first
    for _ in range(months):
        row = found.get(month, {})
        out.append({"month": month, **{m: row.get(m) or 0 for m in wanted}})
        month = next_month(month)
    return out


REFRESH_DELAY_SECONDS = 30


def refresh_after_commit() -> None:
    """A module's records changed: queue one refresh shortly after the commit (at most one waits at a time)."""
    from django.core.cache import cache

    def enqueue() -> None:
        if cache.add("cockpit:refresh-queued", 1, timeout=REFRESH_DELAY_SECONDS):
            from civicgrid.cockpit.tasks import refresh_soon

            refresh_soon.schedule(delay=REFRESH_DELAY_SECONDS)

    transaction.on_commit(enqueue)
