"""The cockpit's rollups of the sources modules register (core.registry.add_cockpit_source): per day and grid,
then per month and grid, totals and mixes, written in SQL (INSERT … SELECT … GROUP BY, one statement per kind of
row). `refresh()` rebuilds only the (day, grid) cells whose records changed since the last refresh (a reopened case
rewrites the day it was reported on, hence last month's figures), the cells a moved record left (found by
comparing record counts on the changed days), and those grids' months. Run by the task queue every few minutes
and when a module's records change."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import CharField, Count, F, Max, Q, Sum, Value
from django.db.models.functions import Cast, Coalesce, Substr
from django.utils import timezone

from civicgrid.cockpit.models import MEASURE_FIELDS, DayRollup, MonthRollup, RollupCursor
from civicgrid.core import registry

# Cells per statement: each cell is a bound parameter or two (SQLite's limit is 32,766, old builds' 999).
CELLS_PER_STATEMENT = 400


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1)


def slots(source) -> dict[str, str]:
    """measure name → its column (m0, m1, …) for a registered source."""
    return {name: MEASURE_FIELDS[i] for i, name in enumerate(source.measures)}


# --- writing rows in SQL ------------------------------------------------------------------------------------------

ROW_COLUMNS = ("grid_code", "dim", "key", "label", "records", *MEASURE_FIELDS)


def _insert_select(model, period_column: str, fixed: list, grouped) -> int:
    """INSERT INTO model (source, period, …) SELECT the fixed values (source, and the period when the grouped
    queryset has no c_period) and its columns c_grid, c_dim, c_key, c_label, c_records and s0… for m0… (a missing
    one is '' or 0). The aliases are not the rollup's field names: Django refuses an annotation named like a field."""
    sql, params = grouped.query.get_compiler(using=grouped.db).as_sql()
    chosen = set(grouped.query.values_select) | set(grouped.query.annotation_select)
    quote = connection.ops.quote_name

    def pick(alias: str, missing: str) -> str:
        return f"q.{quote(alias)}" if alias in chosen else missing

    picks = ["%s", pick("c_period", "%s"), pick("c_grid", "''"), pick("c_dim", "''"), pick("c_key", "''"),
             pick("c_label", "''"), pick("c_records", "0"), *(pick(f"s{f[1:]}", "0") for f in MEASURE_FIELDS)]
    columns = ", ".join(map(quote, ["source", period_column, *ROW_COLUMNS]))
    table = quote(model._meta.db_table)
    # names from our models and a compiled queryset only; every value is a bound parameter
    statement = f"INSERT INTO {table} ({columns}) SELECT {', '.join(picks)} FROM ({sql}) q"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(statement, [*fixed, *params])
        return max(cursor.rowcount, 0)


def _write_days(source, records) -> int:
    """The totals and mix rows of these records, per day and grid."""
    columns = slots(source)
    aggregates = source.aggregates()
    per_cell = records.values(c_period=F(source.day), c_grid=F(source.grid))
    totals = per_cell.annotate(c_records=Count("pk"),
                               **{f"s{columns[m][1:]}": aggregates[m] for m in source.measures})
    written = _insert_select(DayRollup, "day", [source.key], totals.order_by())
    for dim, (key, label) in source.mixes.items():
        mix = (records.values(c_period=F(source.day), c_grid=F(source.grid), c_dim=Value(dim),
                              c_key=Substr(Coalesce(Cast(key, CharField()), Value("")), 1, 32),
                              c_label=Substr(Coalesce(label, Value("")), 1, 100))
               .annotate(c_records=Count("pk"), s0=Count("pk")))
        written += _insert_select(DayRollup, "day", [source.key], mix.order_by())
    return written


def _write_month(source_key: str, first: date, grids: list[str] | None = None) -> int:
    """The month's rows from its days (only these grids when given)."""
    days = DayRollup.objects.filter(source=source_key, day__gte=first, day__lt=next_month(first))
    if grids is not None:
        days = days.filter(grid_code__in=grids)
    grouped = (days.values(c_grid=F("grid_code"), c_dim=F("dim"), c_key=F("key"))
               .annotate(c_label=Max("label"), c_records=Sum("records"),
                         **{f"s{f[1:]}": Sum(f) for f in MEASURE_FIELDS}).order_by())
    return _insert_select(MonthRollup, "month", [source_key, first], grouped)


def _rebuild_month(source_key: str, first: date, grids: list[str] | None = None) -> int:
    months = MonthRollup.objects.filter(source=source_key, month=first)
    if grids is not None:
        months = months.filter(grid_code__in=grids)
    months.delete()
    return _write_month(source_key, first, grids)


# --- which cells ---------------------------------------------------------------------------------------------------

def _cell_batches(cells: set[tuple[date, str]]) -> list[dict[date, list[str]]]:
    """The cells grouped by day, in batches of about CELLS_PER_STATEMENT."""
    by_day: dict[date, set[str]] = defaultdict(set)
    for day, grid in cells:
        by_day[day].add(grid)
    batches: list[dict[date, list[str]]] = [{}]
    size = 0
    for day in sorted(by_day):
        if size and size + len(by_day[day]) > CELLS_PER_STATEMENT:
            batches.append({})
            size = 0
        batches[-1][day] = sorted(by_day[day])
        size += len(by_day[day])
    return [batch for batch in batches if batch]


def _cells_q(batch: dict[date, list[str]], day_field: str, grid_field: str, **also) -> Q:
    """Those cells, one OR term per day (each term a search of a (…, day, grid) index: `also` gives the
    index's leading columns, else SQLite scans every row of the source)."""
    found = Q()
    for day, grids in batch.items():
        found |= Q(**also, **{day_field: day, f"{grid_field}__in": grids})
    return found


def _left_cells(source, days: list[date]) -> set[tuple[date, str]]:
    """Cells of these days whose rolled-up record count no longer matches the records: a record left them (moved
    to another grid, or gone). Read from the (day, grid) index, not the records themselves."""
    stale: set[tuple[date, str]] = set()
    for start in range(0, len(days), 60):
        chunk = days[start:start + 60]
        now = {(row["c_day"], row["c_grid"]): row["n"] for row in source.records()
               .filter(**{f"{source.day}__in": chunk}).values(c_day=F(source.day), c_grid=F(source.grid))
               .annotate(n=Count("pk")).order_by()}
        rolled = DayRollup.objects.filter(source=source.key, dim="", day__in=chunk).values_list(
            "day", "grid_code", "records")
        stale |= {(day, grid) for day, grid, count in rolled if now.pop((day, grid), 0) != count}
        stale |= set(now)  # records in cells the rollup has no row for
    return stale


# --- refreshing ----------------------------------------------------------------------------------------------------

def refresh_source(source, *, full: bool = False) -> dict:
    """Bring one source's rollup up to date; serialized by a row lock on its cursor. Returns what it rebuilt."""
    with transaction.atomic():
        RollupCursor.objects.get_or_create(source=source.key)
        cursor = RollupCursor.objects.select_for_update().get(source=source.key)
        started = timezone.now()
        if cursor.measures != list(source.measures):
            full = True  # the source changed its measures: the columns mean something else now
        if full or cursor.refreshed_until is None:
            done = _refresh_all(source)
        else:
            changed = source.changed(cursor.refreshed_until).values_list(source.day, source.grid).order_by()
            done = _refresh_cells(source, set(changed.iterator(chunk_size=10_000)))
        cursor.refreshed_until, cursor.measures = started, list(source.measures)
        cursor.save()
    return done


def _refresh_all(source) -> dict:
    DayRollup.objects.filter(source=source.key).delete()
    MonthRollup.objects.filter(source=source.key).delete()
    written = _write_days(source, source.records())
    days = set(DayRollup.objects.filter(source=source.key, dim="").values_list("day", flat=True).distinct())
    months = sorted({month_of(day) for day in days})
    for first in months:
        _write_month(source.key, first)
    return {"days": len(days), "cells": None, "months": len(months), "rows": written}


def _refresh_cells(source, cells: set[tuple[date, str]]) -> dict:
    cells = cells | _left_cells(source, sorted({day for day, _grid in cells}))
    written = 0
    for batch in _cell_batches(cells):
        DayRollup.objects.filter(_cells_q(batch, "day", "grid_code", source=source.key,
                                          dim__in=["", *source.mixes])).delete()
        written += _write_days(source, source.records().filter(_cells_q(batch, source.day, source.grid)))
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
