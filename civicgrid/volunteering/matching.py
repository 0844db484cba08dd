"""Proposing volunteers for a help request: skill, walking distance, availability and fairness of load."""

import math
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from django.db.models import Count, Q
from django.utils import timezone

from civicgrid.servicecircle.selectors import network_file
from civicgrid.volunteering.models import HelpRequest, Volunteer

MAX_DISTANCE_M = 3000
SNAP_LIMIT_M = 150.0  # as the service circle's runs: farther from every street, the straight line is used


@dataclass(frozen=True)
class Candidate:
    volunteer: Volunteer
    distance_m: float | None
    skill: bool
    available: bool
    recent_load: int
    score: float


@lru_cache(maxsize=4)
def _graph(path: str, mtime: float):
    from civicgrid.servicecircle.engine import load_graph

    return load_graph(path=path)


def _straight_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat = math.radians((a[1] + b[1]) / 2)
    dx = (a[0] - b[0]) * 111_320 * math.cos(lat)
    dy = (a[1] - b[1]) * 110_540
    return math.hypot(dx, dy)


def walking_distances(origin: tuple[float, float], points: list[tuple[float, float]],
                      district_code: str) -> list[float]:
    """Metres from origin to each point: along the street network when one is stored for the district,
    straight-line otherwise (and for points the network cannot reach)."""
    straight = [_straight_m(origin, p) for p in points]
    path = network_file(district_code)  # the service circle's walking network, read through its selector
    if not points or not path.exists():
        return straight
    try:
        return _network_distances(_graph(str(path), path.stat().st_mtime), origin, points, straight)
    except Exception:  # noqa: BLE001 - a broken or foreign file must not stop matching
        return straight


def _network_distances(graph, origin, points, straight):
    """Both ends placed on the public street they stand on (the service circle's one attachment path): the walk
    goes from the requester's street, along the network, to each volunteer's street, offsets included."""
    import numpy as np

    from civicgrid.servicecircle import engine

    home = engine.attach_points(graph=graph, lon=np.array([origin[0]]), lat=np.array([origin[1]]),
                                limit_m=SNAP_LIMIT_M, public_only=True)
    if not home.ok[0]:
        return straight
    helpers = engine.attach_points(graph=graph, lon=np.array([p[0] for p in points]),
                                   lat=np.array([p[1] for p in points]), limit_m=SNAP_LIMIT_M, public_only=True)
    nearest = engine.nearest_from_attached(graph=graph, facilities=home, limit_m=MAX_DISTANCE_M * 3)
    distance, _ = engine.attached_distance(places=helpers, nearest=nearest)
    return [float(d) if math.isfinite(d) else s for d, s in zip(distance, straight, strict=True)]


def candidates(request: HelpRequest, *, limit: int = 10) -> list[Candidate]:
    place = request.resident.place
    since = timezone.now() - timedelta(days=30)
    pool = list(Volunteer.objects.within(request.region_code[:9]).filter(verified_at__isnull=False,
                                                                          lon__isnull=False)
                .annotate(load=Count("help_requests", filter=Q(help_requests__accepted_at__gte=since))))
    points = [(float(v.lon or 0), float(v.lat or 0)) for v in pool]
    distances = walking_distances((place.lon, place.lat), points, request.region_code[:6])
    weekday = timezone.localtime(request.needed_at).weekday()
    found = []
    for volunteer, distance in zip(pool, distances, strict=True):
        if distance > MAX_DISTANCE_M:
            continue
        skill, available = request.kind in volunteer.skills, weekday in volunteer.available_weekdays
        score = 3 * skill + 2 * available + (1 - distance / MAX_DISTANCE_M) * 2 - 0.5 * volunteer.load
        found.append(Candidate(volunteer, round(distance), skill, available, volunteer.load, round(score, 3)))
    found.sort(key=lambda c: (-c.score, c.volunteer.pk))
    return found[:limit]
