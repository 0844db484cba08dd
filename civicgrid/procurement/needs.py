"""Measured needs a purchase answers, read from the platform's own records, as counts only (never names):
a service-circle gap (category × communities), a case hot spot (case category × region) or a group of
vulnerable residents (special group × regions). The same measurement is taken when the purchase starts and
again later, to show whether the need shrank."""

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from civicgrid.procurement.models import NeedKind

HOTSPOT_DAYS = 90


def _gap(category: str, regions: list[str]) -> dict:
    from civicgrid.servicecircle.models import AnalysisRun, CommunityResult, Status

    rows = CommunityResult.objects.filter(community_code__in=regions, run__status=Status.DONE)
    latest = (AnalysisRun.objects.filter(status=Status.DONE, pk__in=rows.values("run"))
              .order_by("-finished_at", "-id").first())
    if latest is None:
        return {"population": 0, "uncovered": 0, "covered_share": None, "run": None}
    population = uncovered = 0.0
    for row in rows.filter(run=latest):
        covered, missing = float(row.covered.get(category, 0)), float(row.uncovered.get(category, 0))
        population += covered + missing
        uncovered += missing
    share = (population - uncovered) / population if population else None
    return {"population": round(population), "uncovered": round(uncovered),
            "covered_share": round(share, 4) if share is not None else None, "run": latest.pk}


def _hotspot(category: str, regions: list[str]) -> dict:
    from django.db.models import Q

    from civicgrid.cases.models import Case

    since = timezone.now() - timedelta(days=HOTSPOT_DAYS)
    area = Q()
    for code in regions:
        area |= Q(region_code__startswith=code)
    count = Case.objects.filter(area, category__code=category, reported_on__gte=since.date()).count()
    return {"cases": count, "days": HOTSPOT_DAYS}


def _group(category: str, regions: list[str]) -> dict:
    from django.db.models import Q

    from civicgrid.people.models import ResidentGroup

    area = Q()
    for code in regions:
        area |= Q(resident__region_code__startswith=code)
    return {"residents": ResidentGroup.objects.filter(area, group=category).count()}


MEASURES: dict[str, Callable[[str, list[str]], dict]] = {
    NeedKind.GAP: _gap, NeedKind.HOTSPOT: _hotspot, NeedKind.GROUP: _group}


def measure(kind: str, category: str, regions: list[str]) -> dict:
    """The need's figures now; {} when the purchase answers no measured need."""
    if kind not in MEASURES:
        return {}
    figures = MEASURES[kind](category, regions)
    figures["at"] = timezone.now().isoformat(timespec="seconds")
    return figures


def headline(kind: str, figures: dict) -> float | None:
    """The one number that should shrink: uncovered residents, cases, or residents of the group."""
    keys: dict[str, str] = {NeedKind.GAP: "uncovered", NeedKind.HOTSPOT: "cases", NeedKind.GROUP: "residents"}
    key = keys.get(kind)
    value = figures.get(key) if key else None
    return float(value) if value is not None else None


def change(kind: str, before: dict, after: dict) -> float | None:
    """The relative change of the headline number (-0.25: the need shrank by a quarter)."""
    old, new = headline(kind, before), headline(kind, after)
    if old is None or new is None or old == 0:
        return None
    return (new - old) / old


def category_label(kind: str, category: str) -> str:
    """The need's category in words (a facility category, a case category or a special group), else its code."""
    if kind == NeedKind.GAP:  # the words of the analysis the gap was measured in, else the reference data's
        from civicgrid.servicecircle.models import AnalysisRun, Status
        from civicgrid.servicecircle.models import Category as FacilityCategory

        run = AnalysisRun.objects.filter(status=Status.DONE).order_by("-finished_at", "-id").first()
        label = run.category_labels().get(category) if run else None
        return label or FacilityCategory.objects.filter(code=category).values_list("name", flat=True).first() \
            or category
    if kind == NeedKind.HOTSPOT:
        from civicgrid.cases.models import Category as CaseCategory

        return CaseCategory.objects.filter(code=category).values_list("name", flat=True).first() or category
    if kind == NeedKind.GROUP:
        from civicgrid.people.models import SpecialGroup

        return str(dict(SpecialGroup.choices).get(category, category))
    return category
