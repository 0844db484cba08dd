"""What cases give the leadership cockpit (registered from CasesConfig.ready; the cockpit imports no module):

- a rollup source: per reported day and grid the counts every rate needs (RATES.md), plus the overdue cases, and
  per day, grid and major category the cases reported (the category mix), as aggregates the cockpit runs in SQL;
- KPIs read directly from the cases table within the actor's jurisdiction (`values`), which the cockpit's rollup
  must reproduce (a test holds them together), with the lists behind them."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from django.db.models import CharField, Count, Q, Value
from django.db.models.functions import Cast, Coalesce, Substr
from django.urls import reverse

from civicgrid.cases import rollup
from civicgrid.cases.models import OPEN_STATES, Case

MEASURES = (*rollup.COUNT_FIELDS, "overdue")


def _counts() -> dict:
    counts = rollup.case_counts()
    counts.pop("handling")
    counts["overdue"] = Count("id", filter=Q(state__in=OPEN_STATES, overdue=True))
    return counts


def records():
    return Case.objects.all()


def changed(since):
    """The cases changed since that moment (and a little before: commits that overlapped the last refresh)."""
    return Case.objects.filter(updated_at__gte=since - rollup.LOOKBACK)


# The category mix: cases per major category (key: its id, "" for none; label: its name).
MIXES = {"category": (Cast("category_top_id", CharField()), Coalesce("category_top__name", Value("—")))}


def _by_prefix(actor, regions: list, start: date, end: date) -> dict[str, dict]:
    if not regions:
        return {}
    length = len(regions[0].code)
    codes = [region.code for region in regions]
    found = {row.pop("prefix"): row for row in
             Case.objects.visible_to(actor).filter(reported_on__gte=start, reported_on__lt=end)
             .annotate(prefix=Substr("region_code", 1, length)).filter(prefix__in=codes)
             .values("prefix").annotate(**_counts()).order_by()}
    return {code: found.get(code, {}) for code in codes}


def _rate(numerator: str, denominator: str):
    def values(actor, regions, start, end) -> dict[str, float | None]:
        counts = _by_prefix(actor, regions, start, end)
        return {code: (round(c.get(numerator, 0) / c[denominator], 4) if c.get(denominator) else None)
                for code, c in counts.items()}
    return values


def _count(measure: str):
    def values(actor, regions, start, end) -> dict[str, float | None]:
        return {code: c.get(measure, 0) for code, c in _by_prefix(actor, regions, start, end).items()}
    return values


def _desk(**params):
    """The desk list of exactly the cases a count KPI counts: reported in [start, end) in the region."""
    def url(code: str, start: date, end: date) -> str:
        period = {"reported_from": start, "reported_to": end - timedelta(days=1)}
        return f"{reverse('cases:desk')}?{urlencode({**params, 'region': code, **period})}"
    return url


def _statistics(code: str, start: date, end: date) -> str:
    """The statistics of the cases reported in [start, end) in the region: its total row is the KPI."""
    last = end - timedelta(days=1)
    query = {"start": start, "end": last, "by": "region", "region": code}
    return f"{reverse('cases:statistics')}?{urlencode(query)}"


# key, title, numerator, denominator ("" for a count), kind, better, list
KPIS = (
    ("cases_reported", "reported", "", "count", "low", _statistics),
    ("response_rate", "responded_on_time", "dispatched", "share", "high", _statistics),
    ("resolution_rate", "resolved", "rated", "share", "high", _statistics),
    ("satisfaction_rate", "satisfied", "rated", "share", "high", _statistics),
    ("on_time_closure_rate", "closed_on_time", "closed", "share", "high", _statistics),
    ("rework_rate", "reworked", "closed", "share", "low", _statistics),
    ("overdue_cases", "overdue", "", "count", "low", _desk(overdue="1")),
)


def _subscribe(callback) -> None:
    from civicgrid.cases import hooks

    hooks.on_state_change("cockpit", lambda **_kwargs: callback())


def register(registry, titles: dict) -> None:
    registry.add_cockpit_source("cases", measures=MEASURES, records=records, day="reported_on", grid="region_code",
                                aggregates=_counts, changed=changed, mixes=MIXES, subscribe=_subscribe)
    for order, (key, numerator, denominator, kind, better, list_url) in enumerate(KPIS):
        values = _rate(numerator, denominator) if denominator else _count(numerator)
        registry.add_cockpit_kpi(key, titles[key], panel="cases", panel_title=titles["panel"], values=values,
                                 kind=kind, better=better, order=10 + order, list_url=list_url,
                                 rollup=("cases", numerator, denominator))
    registry.add_cockpit_brief("overdue_cases", titles["overdue_week"], items=overdue_this_week, order=10)


def overdue_this_week(actor, code: str, start: date, end: date) -> list[dict]:
    """Open cases that went past their deadline in the week (escalated), oldest first."""
    from datetime import datetime, time

    from django.utils import timezone

    since, until = (timezone.make_aware(datetime.combine(day, time.min)) for day in (start, end))
    cases = (Case.objects.visible_to(actor).within(code)
             .filter(state__in=OPEN_STATES, overdue=True, escalated_at__gte=since, escalated_at__lt=until)
             .select_related("category").order_by("deadline")[:50])
    return [{"text": f"{case.number} {case.category or ''} {case.address}".strip(),
             "url": reverse("cases:detail", args=[case.pk]), "when": case.deadline} for case in cases]
