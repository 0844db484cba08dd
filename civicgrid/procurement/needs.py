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
    from civicgrid.servicecircle import selectors

    return selectors.gap_figures(category=category, regions=regions)


def _hotspot(category: str, regions: list[str]) -> dict:
    from civicgrid.cases import selectors

    since = (timezone.now() - timedelta(days=HOTSPOT_DAYS)).date()
    return {"cases": selectors.reported_count(category_code=category, regions=regions, since=since),
            "days": HOTSPOT_DAYS}


def _group(category: str, regions: list[str]) -> dict:
    from civicgrid.people import selectors

    return {"residents": selectors.group_count(group=category, regions=regions)}


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
