"""What volunteering gives the leadership cockpit (registered from VolunteeringConfig.ready): active volunteers,
confirmed service hours per 1,000 residents, and vulnerable residents visited (help completed; counts only, never
names), per region and period, read through the module's selectors within the actor's jurisdiction."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Count, Sum
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone

from civicgrid.people.selectors import residents_for
from civicgrid.volunteering.models import HelpRequest, ServiceRecord
from civicgrid.volunteering.selectors import records_for
from civicgrid.volunteering.stats import VULNERABLE_GROUPS


def _prefixed(queryset, regions: list, field: str = "region_code"):
    length = len(regions[0].code)
    return queryset.annotate(prefix=Substr(field, 1, length)).filter(prefix__in=[r.code for r in regions])


def _confirmed(actor, regions, start: date, end: date):
    records = records_for(actor=actor, status=ServiceRecord.Status.CONFIRMED).filter(
        service_date__gte=start, service_date__lt=end)
    return _prefixed(records, regions).values("prefix")


def active_volunteers(actor, regions: list, start: date, end: date) -> dict[str, float | None]:
    if not regions:
        return {}
    rows = _confirmed(actor, regions, start, end).annotate(n=Count("volunteer_id", distinct=True)).order_by()
    found = {row["prefix"]: row["n"] for row in rows}
    return {region.code: found.get(region.code, 0) for region in regions}


def hours_per_thousand(actor, regions: list, start: date, end: date) -> dict[str, float | None]:
    if not regions:
        return {}
    rows = _confirmed(actor, regions, start, end).annotate(minutes=Sum("minutes")).order_by()
    found = {row["prefix"]: row["minutes"] or 0 for row in rows}
    return {region.code: (round(found.get(region.code, 0) / 60 * 1000 / region.population, 1)
                          if region.population else None) for region in regions}


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def vulnerable_visited(actor, regions: list, start: date, end: date) -> dict[str, float | None]:
    """Residents of the vulnerable groups in the region who had a help request completed in the period."""
    if not regions:
        return {}
    vulnerable = residents_for(actor=actor).filter(groups__group__in=VULNERABLE_GROUPS).values("pk")
    helped = HelpRequest.objects.visible_to(actor).filter(
        resident__in=vulnerable, status=HelpRequest.Status.COMPLETED,
        completed_at__gte=_moment(start), completed_at__lt=_moment(end))
    rows = (_prefixed(helped, regions, "resident__region_code").values("prefix")
            .annotate(n=Count("resident_id", distinct=True)).order_by())
    found = {row["prefix"]: row["n"] for row in rows}
    return {region.code: found.get(region.code, 0) for region in regions}


def _desk(code: str, start: date, end: date) -> str:
    return reverse("volunteering:community_desk")


def register(registry, titles: dict) -> None:
    for order, (key, values, kind) in enumerate((("active_volunteers", active_volunteers, "count"),
                                                 ("volunteer_hours_per_thousand", hours_per_thousand, "per_thousand"),
                                                 ("vulnerable_visited", vulnerable_visited, "count"))):
        registry.add_cockpit_kpi(key, titles[key], panel="volunteering", panel_title=titles["panel"], values=values,
                                 kind=kind, better="high", order=40 + order, list_url=_desk)
