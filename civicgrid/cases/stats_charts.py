"""The statistics page's charts as specs for civicgrid/charts.js: the trend over the period (cases reported and
the three rates, per day up to two months, per month beyond), the three rates per region (subdistricts for the
district office) and the mix of categories. Rates are percentages with one decimal (79.7)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from civicgrid.cases import stats
from civicgrid.core.numbers import percent_value

DAILY_UP_TO_DAYS = 62
THREE_RATES = ("response", "resolution", "satisfaction")


def _rate_names() -> dict[str, str]:
    return {"response": _("Response rate"), "resolution": _("Resolution rate"),
            "satisfaction": _("Satisfaction rate")}


def _rate_series(rows: list[stats.Figures], *, line: bool) -> list[dict]:
    names = _rate_names()
    return [{"name": names[key], "percent": True, "type": "line" if line else "bar",
             "data": [percent_value(row.rates[key]) for row in rows]} for key in THREE_RATES]


def trend(report: stats.Report) -> dict:
    rows = report.rows
    return {"kind": "trend", "categories": [row.label for row in rows],
            "series": [{"name": _("Reported"), "type": "bar", "data": [row.counts["reported"] for row in rows]},
                       *_rate_series(rows, line=True)]}


def per_region(report: stats.Report) -> dict:
    rows = [row for row in report.rows if row.key]
    return {"kind": "bars", "categories": [row.label for row in rows], "series": _rate_series(rows, line=False)}


def category_mix(report: stats.Report) -> dict:
    rows = sorted((row for row in report.rows if row.counts["reported"]), key=lambda r: -r.counts["reported"])
    return {"kind": "pie", "categories": [row.label if row.key else _("No category") for row in rows],
            "series": [{"name": _("Reported"), "data": [row.counts["reported"] for row in rows]}]}


def charts(*, actor, start: date, end: date, shown: stats.Report, by: str) -> dict:
    """The three chart specs; the breakdown the table already shows is reused."""

    def breakdown(name: str) -> stats.Report:
        return shown if name == by else stats.report(actor=actor, start=start, end=end, by=name)

    over_time = "day" if (end - start).days <= DAILY_UP_TO_DAYS else "month"
    return {"trend": trend(breakdown(over_time)), "regions": per_region(breakdown("region")),
            "categories": category_mix(breakdown("category"))}
