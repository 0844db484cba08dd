"""The daily statistics rollup: per reported day, subdistrict, unit and major category, the counts every
rate needs (see RATES.md). Rebuilt for the days whose cases changed since the last refresh."""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from civicgrid.cases.models import Case, DailyGridCount, DailyStat, RollupState, State

# Changes committed slightly after a refresh read its clock are caught by looking back this far each time.
LOOKBACK = timedelta(minutes=2)
COUNT_FIELDS = ("reported", "accepted", "dispatched", "responded_on_time", "closed", "closed_on_time", "reworked",
                "rated", "resolved", "satisfied", "called_back", "explained")
NOT_ACCEPTED = [State.REPORTED, State.REJECTED, State.VOID]
SATISFIED = ["satisfied", "basic"]


def case_counts() -> dict:
    """Aggregates over a Case queryset, one per rollup column (handling time in hours)."""
    closed = Q(state=State.CLOSED)
    # The call-back's answer stands over the reporter's own rating; "not solvable / explained" cases (approved by
    # the subdistrict) are counted apart and leave the rated denominator (RATES.md).
    by_callback = Q(callback_at__isnull=False)
    by_reporter = Q(callback_at__isnull=True, rated_at__isnull=False)
    answered = (by_callback | by_reporter) & Q(explained_at__isnull=True)
    return {
        "reported": Count("id"),
        "accepted": Count("id", filter=~Q(state__in=NOT_ACCEPTED)),
        "dispatched": Count("id", filter=Q(first_dispatched_at__isnull=False) & ~Q(state=State.VOID)),
        "responded_on_time": Count("id", filter=Q(first_dispatched_at__isnull=False, responded_at__isnull=False,
                                                  responded_at__lte=F("response_due")) & ~Q(state=State.VOID)),
        "closed": Count("id", filter=closed),
        "closed_on_time": Count("id", filter=closed & Q(closed_at__lte=F("deadline"))),
        "reworked": Count("id", filter=closed & Q(rework_count__gt=0)),
        "rated": Count("id", filter=answered),
        "resolved": Count("id", filter=answered & (by_callback & Q(callback_resolved=True)
                                                   | by_reporter & Q(resolved=True))),
        "satisfied": Count("id", filter=answered & (by_callback & Q(callback_satisfaction__in=SATISFIED)
                                                    | by_reporter & Q(satisfaction__in=SATISFIED))),
        "called_back": Count("id", filter=by_callback),
        "explained": Count("id", filter=Q(explained_at__isnull=False)),
        "handling": Sum(ExpressionWrapper(F("closed_at") - F("first_dispatched_at"), output_field=DurationField()),
                        filter=closed & Q(first_dispatched_at__isnull=False)),
    }


def hours(value) -> float:
    if value is None:
        return 0.0
    if isinstance(value, timedelta):
        return value.total_seconds() / 3600
    return float(value) / 3_600_000_000  # some backends return microseconds


def rebuild_days(days: list[date]) -> int:
    """Replace the rollup rows of these days from the cases table."""
    if not days:
        return 0
    rows = (Case.objects.filter(reported_on__in=days)
            .values("reported_on", "unit_id", "category_top_id", "channel", sub=Substr("region_code", 1, 9))
            .annotate(**case_counts()).order_by())
    DailyStat.objects.filter(day__in=days).delete()
    made = [DailyStat(day=r["reported_on"], subdistrict_code=r["sub"], unit_id=r["unit_id"],
                      category_top_id=r["category_top_id"], channel=r["channel"], handling_hours=hours(r["handling"]),
                      **{name: r[name] for name in COUNT_FIELDS}) for r in rows]
    DailyStat.objects.bulk_create(made, batch_size=2000)
    grids = (Case.objects.filter(reported_on__in=days).values("reported_on", "region_code")
             .annotate(n=Count("id")).order_by())
    DailyGridCount.objects.filter(day__in=days).delete()
    DailyGridCount.objects.bulk_create([DailyGridCount(day=g["reported_on"], grid_code=g["region_code"],
                                                       reported=g["n"]) for g in grids], batch_size=2000)
    return len(made)


def _changed_days(since) -> list[date]:
    if since is None:
        return list(Case.objects.values_list("reported_on", flat=True).distinct().order_by())
    # Deduplicated here rather than with DISTINCT: SQLite would then walk the whole reported_on index
    # instead of the few rows the updated_at index finds.
    changed = Case.objects.filter(updated_at__gte=since - LOOKBACK).order_by().values_list("reported_on", flat=True)
    return sorted(set(changed.iterator(chunk_size=10_000)))


def refresh(*, full: bool = False, chunk_days: int = 31) -> int:
    """Bring the rollup up to date; idempotent and serialized by a row lock. Returns rows written."""
    with transaction.atomic():
        state, _ = RollupState.objects.get_or_create(pk=1)
        state = RollupState.objects.select_for_update().get(pk=1)
        started = timezone.now()
        days = _changed_days(None if full else state.refreshed_until)
        if full:
            DailyStat.objects.all().delete()
            DailyGridCount.objects.all().delete()
        written = 0
        for start in range(0, len(days), chunk_days):
            written += rebuild_days(days[start:start + chunk_days])
        state.refreshed_until = started
        state.save(update_fields=["refreshed_until"])
    return written
