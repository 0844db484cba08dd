"""Possible duplicates: an open case of the same category within a radius and a number of days.
Both limits are settings (CASES_DUPLICATE_METERS, CASES_DUPLICATE_DAYS; 100 m and 7 days by default)."""

import math
from datetime import timedelta

from django.conf import settings

from civicgrid.cases.models import OPEN_STATES, Case

EARTH_RADIUS_M = 6_371_000


def limits() -> tuple[float, int]:
    return float(getattr(settings, "CASES_DUPLICATE_METERS", 100)), int(getattr(settings, "CASES_DUPLICATE_DAYS", 7))


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def candidates(case: Case, *, scope=None) -> list[tuple[Case, float]]:
    """Open cases of the same category (or the same unclassified text-less pool when none) near `case`,
    nearest first, each with its distance in metres. `scope` is the actor's visible queryset."""
    meters, days = limits()
    dlat = meters / 111_320
    dlon = meters / (111_320 * max(0.01, math.cos(math.radians(case.lat))))
    pool = (scope if scope is not None else Case.objects.all()).filter(
        state__in=OPEN_STATES, reported_at__gte=case.reported_at - timedelta(days=days),
        reported_at__lte=case.reported_at + timedelta(days=days),
        lon__range=(case.lon - dlon, case.lon + dlon), lat__range=(case.lat - dlat, case.lat + dlat),
    ).exclude(pk=case.pk)
    if case.category_id:
        pool = pool.filter(category_id=case.category_id)
    found = [(other, distance_m(case.lon, case.lat, other.lon, other.lat)) for other in pool[:50]]
    return sorted([(c, d) for c, d in found if d <= meters], key=lambda item: item[1])


NEARBY_LIMIT = 5


def nearby(*, category_id: int, lon: float, lat: float) -> list[tuple[Case, float]]:
    """While reporting: open cases of this category within the radius of the pin, whenever they were reported,
    nearest first (at most NEARBY_LIMIT). Whoever reports there may learn that they exist and join them; what
    they may read of them is `shown` (public_description only once a case is published)."""
    meters, _days = limits()
    if not (math.isfinite(lon) and math.isfinite(lat) and -90 < lat < 90):
        return []
    dlat = meters / 111_320
    dlon = meters / (111_320 * max(0.01, math.cos(math.radians(lat))))
    pool = Case.objects.filter(state__in=OPEN_STATES, category_id=category_id, lon__range=(lon - dlon, lon + dlon),
                               lat__range=(lat - dlat, lat + dlat)).select_related("category")
    found = [(case, distance_m(lon, lat, case.lon, case.lat)) for case in pool.order_by("-reported_at")[:200]]
    return sorted([(c, d) for c, d in found if d <= meters], key=lambda item: item[1])[:NEARBY_LIMIT]


def shown(case: Case, distance: float) -> dict:
    """What the prompt shows of a nearby case: no reporter, no private text, the distance rounded to 10 m."""
    from civicgrid.cases.models import Publication
    from civicgrid.cases.public import stage_label

    return {"case_id": case.pk, "number": case.number, "category": case.category.name if case.category else "",
            "distance_m": int(round(distance, -1)), "stage": stage_label(case),
            "reported_on": case.reported_on.isoformat(),
            "description": case.public_description if case.publication == Publication.PUBLISHED else ""}
