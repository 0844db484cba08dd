"""Case figures per region for the region pages and map (registered with core.registry from CasesConfig.ready,
so that territory, below cases, shows them without importing cases). Read within the actor's jurisdiction."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from civicgrid.cases.models import OPEN_STATES, Case

PER_THOUSAND_DAYS = 365


def _count_by_region(cases: QuerySet, regions: list) -> dict[str, int]:
    if not regions:
        return {}
    length = len(regions[0].code)
    codes = [region.code for region in regions]
    rows = (cases.annotate(prefix=Substr("region_code", 1, length)).filter(prefix__in=codes)
            .values("prefix").annotate(n=Count("id")).order_by())
    found = {row["prefix"]: row["n"] for row in rows}
    return {code: found.get(code, 0) for code in codes}


def per_thousand(actor, regions: list) -> dict[str, float | None]:
    """Cases reported in the last 12 months per 1,000 residents (None where no population is recorded)."""
    since = timezone.localdate() - timedelta(days=PER_THOUSAND_DAYS)
    counts = _count_by_region(Case.objects.visible_to(actor).filter(reported_on__gte=since), regions)
    return {region.code: (round(counts[region.code] * 1000 / region.population, 1) if region.population else None)
            for region in regions}


def open_cases(actor, regions: list) -> dict[str, float | None]:
    return dict(_count_by_region(Case.objects.visible_to(actor).filter(state__in=OPEN_STATES), regions))


def overdue(actor, regions: list) -> dict[str, float | None]:
    """Open cases past their deadline now."""
    cases = Case.objects.visible_to(actor).filter(state__in=OPEN_STATES, deadline__lt=timezone.now())
    return dict(_count_by_region(cases, regions))
