"""The bridge between the database and the numeric engine: load a district's walking network, snap facilities
and places, and compute coverage, site recommendations, isochrones and new-compound checks.

Everything here reads; the services write what it returns. Places and facilities farther from the network
than the snap limit are never used as if they were on it: they are counted and reported."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely
from django.conf import settings

from civicgrid.servicecircle import engine
from civicgrid.servicecircle.errors import NoCandidates, NoNetwork
from civicgrid.servicecircle.models import Facility
from civicgrid.servicecircle.reference import site_fits
from civicgrid.territory.models import RESIDENTIAL_KINDS, Place, PlaceKind

EXACT_MAX_CANDIDATES = 300
EXACT_MAX_DEMAND = 5000
EXACT_TIME_LIMIT_S = 10.0
UNSNAPPED_LISTED = 200


def network_path(district_code: str) -> Path:
    """Where a district's walking network is stored (volunteering.matching reads the same path)."""
    return Path(settings.DATA_DIR) / "servicecircle" / f"{district_code}.npz"


def street_names_path(district_code: str) -> Path:
    """Named street lines of the district's network source (OSM imports only), for map labels."""
    return Path(settings.DATA_DIR) / "servicecircle" / f"{district_code}.streets.json"


@lru_cache(maxsize=4)
def _load(path: str, mtime_ns: int) -> engine.WalkGraph:
    return engine.load_graph(path=path)


def graph_for(district_code: str) -> engine.WalkGraph:
    path = network_path(district_code)
    if not path.exists():
        raise NoNetwork()
    return _load(str(path), path.stat().st_mtime_ns)


@dataclass(frozen=True)
class CategorySpec:
    code: str
    limit_m: float


def attached_nearest_for(*, graph: engine.WalkGraph, district_code: str, categories: list[CategorySpec],
                         snap_limit_m: float) -> tuple[dict[str, engine.AttachedNearest], dict]:
    """Nearest facility of each category from every node, facilities attached to the public street they stand on;
    facilities beyond the snap limit are left out and counted in the returned report."""
    codes = [c.code for c in categories]
    rows = list(Facility.objects.within(district_code).filter(category__code__in=codes)
                .values_list("id", "category__code", "lon", "lat"))
    report: dict = {"facilities": {c: 0 for c in codes}, "facilities_unsnapped": {c: 0 for c in codes},
                    "unsnapped_facility_ids": []}
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    cats = np.array([r[1] for r in rows])
    attached = engine.attach_points(graph=graph, lon=np.array([r[2] for r in rows], dtype=float),
                                    lat=np.array([r[3] for r in rows], dtype=float), limit_m=snap_limit_m,
                                    public_only=True)
    report["unsnapped_facility_ids"] = [int(i) for i in ids[~attached.ok][:UNSNAPPED_LISTED]]
    category = np.full(len(rows), -1, dtype=np.int64)
    for j, spec in enumerate(categories):
        mine = np.flatnonzero(cats == spec.code) if rows else np.empty(0, np.int64)
        category[mine] = j
        report["facilities"][spec.code] = int(mine.shape[0])
        report["facilities_unsnapped"][spec.code] = int((~attached.ok[mine]).sum())
    # one matrix for every category, one search per category
    found = engine.nearest_by_attached_category(graph=graph, facilities=attached, category=category,
                                                limits_m=[spec.limit_m for spec in categories])
    return {spec.code: near for spec, near in zip(categories, found, strict=True)}, report


@dataclass
class PlaceRow:
    place_id: int
    region_code: str
    population: int
    snapped: bool
    snap_distance_m: float
    connected: bool
    component_size: int
    distances: dict[str, float | None]
    missing: list[str]
    score: float


@dataclass
class CommunityRow:
    community_code: str
    population: int
    places: int
    covered: dict[str, float]
    uncovered: dict[str, float]
    score: float | None


@dataclass
class RunResult:
    places: list[PlaceRow]
    communities: list[CommunityRow]
    summary: dict = field(default_factory=dict)


def residential_places(region_code: str):
    return Place.objects.within(region_code).filter(kind__in=RESIDENTIAL_KINDS)


def _outline(geometry) -> shapely.Geometry | None:
    try:
        return shapely.geometry.shape(geometry) if geometry else None
    except (ValueError, TypeError, AttributeError, KeyError):
        return None


def _gates(value) -> np.ndarray | None:
    """The gates recorded on a place (territory `Place.gates`: [[lon, lat], ...]), None when there are none."""
    points = np.asarray(value or [], dtype=np.float64)
    return points.reshape(-1, 2) if points.size else None


def place_entries(graph: engine.WalkGraph, places: list[tuple], snap_limit_m: float
                  ) -> tuple[engine.Attached, np.ndarray]:
    """Entry rows of places given as (lon, lat, geometry, gates) and the place of each row: the one attachment
    path of coverage, recommendations, isochrones and the compound check (`engine.attach_compounds`)."""
    rows, owner, _ = engine.attach_compounds(
        graph=graph, lon=np.array([p[0] for p in places], dtype=float),
        lat=np.array([p[1] for p in places], dtype=float), outlines=[_outline(p[2]) for p in places],
        gates=[_gates(p[3]) for p in places], limit_m=snap_limit_m)
    return rows, owner


def _empty_result(report: dict, codes: list[str]) -> RunResult:
    return RunResult([], [], {**report, "places": 0, "places_unsnapped": 0, "places_not_connected": 0,
                              "population": 0, "covered_population": {c: 0 for c in codes},
                              "uncovered_population": {c: 0 for c in codes}, "score": None,
                              "unsnapped_places": [], "not_connected_places": []})


def compute_coverage(*, region_code: str, categories: list[CategorySpec], snap_limit_m: float) -> RunResult:
    """Coverage of the area's residential places; each place enters the network through its gates, its outline
    or its point (`engine.compounds`), and is flagged when its street is not part of the main network."""
    district = region_code[:6]
    graph = graph_for(district)
    nearest, report = attached_nearest_for(graph=graph, district_code=district, categories=categories,
                                           snap_limit_m=snap_limit_m)
    places = list(residential_places(region_code).order_by("id")
                  .values_list("id", "region_code", "lon", "lat", "population", "name", "geometry", "gates"))
    codes = [c.code for c in categories]
    if not places:
        return _empty_result(report, codes)
    n = len(places)
    rows, owner = place_entries(graph, [(p[2], p[3], p[6], p[7]) for p in places], snap_limit_m)
    distance = np.full((n, len(codes)), np.inf)
    for j, code in enumerate(codes):
        per_row, _facility = engine.attached_distance(places=rows, nearest=nearest[code])
        distance[:, j], _row = engine.nearest_by_place(per_row, owner, n)
    # the place's own entry: its row nearest to a street (gates count as on the street)
    entry_offset, entry = engine.nearest_by_place(np.where(rows.ok, rows.offset_m, np.inf), owner, n)
    ok = entry >= 0
    ok[ok] = rows.ok[entry[ok]]
    entry_rows = rows.take(np.maximum(entry, 0))
    connected = ok & entry_rows.connected(graph)
    component_size = np.where(ok, entry_rows.component_size(graph), 0)
    limits = np.array([c.limit_m for c in categories])
    coverage = engine.PlaceCoverage(categories=tuple(codes), distance_m=distance,
                                    covered=distance <= limits[None, :])
    population = np.array([p[4] for p in places], dtype=np.float64)
    communities = np.array([p[1][:12] for p in places])
    groups = engine.group_coverage(coverage=coverage, group=communities, population=population)
    uncovered = engine.uncovered_population(coverage=coverage, population=population)
    n_cat = max(len(codes), 1)
    offsets = np.where(np.isfinite(entry_offset), entry_offset, _straight_to_network(graph, places))
    place_rows = []
    for i, (pid, code, _lon, _lat, pop, *_rest) in enumerate(places):
        dist = coverage.distance_m[i]
        place_rows.append(PlaceRow(
            place_id=pid, region_code=code, population=int(pop), snapped=bool(ok[i]),
            snap_distance_m=round(float(offsets[i]), 1), connected=bool(connected[i]),
            component_size=int(component_size[i]),
            distances={c: (round(float(d), 1) if np.isfinite(d) else None) for c, d in zip(codes, dist, strict=True)},
            missing=[c for c, hit in zip(codes, coverage.covered[i], strict=True) if not hit],
            score=round(float(coverage.covered[i].sum()) / n_cat, 4)))
    counts = np.unique(communities, return_counts=True)
    place_count = dict(zip(counts[0].tolist(), counts[1].tolist(), strict=True))
    community_rows = [
        CommunityRow(
            community_code=str(g), population=int(groups.population[k]), places=int(place_count[str(g)]),
            covered={c: float(groups.covered_population[k, j]) for j, c in enumerate(codes)},
            uncovered={c: float(groups.uncovered_population[k, j]) for j, c in enumerate(codes)},
            score=None if np.isnan(groups.score[k]) else round(float(groups.score[k]), 4))
        for k, g in enumerate(groups.groups)]
    total = float(population.sum())
    covered_total = {c: total - uncovered[c] for c in codes}
    rejected = np.flatnonzero(~ok)
    islands = np.flatnonzero(ok & ~connected)
    summary = {
        **report,
        "places": n,
        "places_unsnapped": int(rejected.shape[0]),
        "unsnapped_places": [{"id": places[i][0], "name": places[i][5], "distance_m": round(float(offsets[i]), 1)}
                             for i in rejected[:UNSNAPPED_LISTED]],
        "places_not_connected": int(islands.shape[0]),
        "not_connected_places": [{"id": places[i][0], "name": places[i][5],
                                  "component_size": int(component_size[i])} for i in islands[:UNSNAPPED_LISTED]],
        "population": total,
        "covered_population": covered_total,
        "uncovered_population": uncovered,
        "score": round(sum(covered_total.values()) / (total * n_cat), 4) if total > 0 else None,
        "network_nodes": graph.n_nodes,
        "network_components": int(graph.component_size.shape[0]),
    }
    return RunResult(place_rows, community_rows, summary)


def _straight_to_network(graph: engine.WalkGraph, places: list) -> np.ndarray:
    """For places beyond the limit: how far their point is from the nearest street (reported, never walked)."""
    far = engine.attach_points(graph=graph, lon=np.array([p[2] for p in places]),
                               lat=np.array([p[3] for p in places]), limit_m=np.inf)
    return far.offset_m


@dataclass
class Site:
    label: str
    place_id: int | None
    lon: float
    lat: float
    gain: float


@dataclass
class SitingOutcome:
    method: str
    n_candidates: int
    population_total: float
    population_before: float
    new_population: float
    sites: list[Site]
    candidates_unsnapped: int = 0


def recommend_sites(*, region_code: str, category: CategorySpec, p: int, snap_limit_m: float, method: str,
                    use_facility_sites: bool, points: list[list[float]]) -> SitingOutcome:
    """Demand: the area's populated residential places, entering the network as in a coverage run; candidates:
    facility sites and given points on the public street each stands on; existing facilities as in a run."""
    district = region_code[:6]
    graph = graph_for(district)
    nearest, _ = attached_nearest_for(graph=graph, district_code=district, categories=[category],
                                      snap_limit_m=snap_limit_m)
    places = list(residential_places(region_code).filter(population__gt=0).order_by("id")
                  .values_list("lon", "lat", "geometry", "gates", "population"))
    candidates: list[tuple[str, int | None, float, float]] = []
    if use_facility_sites:
        candidates += [(name, pid, lon, lat) for pid, name, lon, lat in
                       Place.objects.within(region_code).filter(kind=PlaceKind.FACILITY_SITE)
                       .order_by("id").values_list("id", "name", "lon", "lat")
                       if site_fits(category.code, name)]  # a childcare centre never fills a day-care gap
    candidates += [(f"({lon:.5f}, {lat:.5f})", None, float(lon), float(lat)) for lon, lat in points]
    if not candidates:
        raise NoCandidates()
    sites_attached = engine.attach_points(graph=graph, lon=np.array([c[2] for c in candidates]),
                                          lat=np.array([c[3] for c in candidates]), limit_m=snap_limit_m,
                                          public_only=True)
    usable = np.flatnonzero(sites_attached.ok)
    if usable.size == 0:
        raise NoCandidates()
    rows, owner = place_entries(graph, [pl[:4] for pl in places], snap_limit_m)
    per_row, _facility = engine.attached_distance(places=rows, nearest=nearest[category.code])
    existing, _row = engine.nearest_by_place(per_row, owner, len(places))
    entry, _ = engine.nearest_by_place(np.where(rows.ok, 0.0, np.inf), owner, len(places))
    ok = np.isfinite(entry)
    weight = np.array([pl[4] for pl in places], dtype=np.float64)[ok]
    already = (existing <= category.limit_m)[ok]
    keep = ok[owner]
    coverage = engine.coverage_from_network(graph=graph, demand=rows.take(np.flatnonzero(keep)),
                                            candidates=sites_attached.take(usable), radius_m=category.limit_m,
                                            demand_owner=np.cumsum(ok)[owner[keep]] - 1, n_demand=int(ok.sum()))
    if method == "auto":
        method = "exact" if usable.size <= EXACT_MAX_CANDIDATES and weight.size <= EXACT_MAX_DEMAND else "greedy"
    if method == "exact" and weight.size:
        result = engine.exact_mclp(coverage=coverage, weight=weight, p=p, already_covered=already,
                                   time_limit_s=EXACT_TIME_LIMIT_S)
    else:
        result = engine.greedy_mclp(coverage=coverage, weight=weight, p=p, already_covered=already)
    sites = []
    for j, gain in zip(result.sites, result.gains, strict=True):
        label, pid, lon, lat = candidates[int(usable[j])]
        sites.append(Site(label=label, place_id=pid, lon=lon, lat=lat, gain=float(gain)))
    return SitingOutcome(method=method, n_candidates=int(usable.size), population_total=float(weight.sum()),
                         population_before=float(weight[already].sum()), new_population=float(result.new_weight),
                         sites=sites, candidates_unsnapped=int((~sites_attached.ok).sum()))


def isochrone_geojson(*, district_code: str, lon: float, lat: float, minutes=(5, 10, 15),
                      speed_m_s: float = engine.WALK_SPEED_M_S, snap_limit_m: float = 150.0, geometry=None,
                      gates=None) -> dict:
    """Walking isochrones around a place (entered through its gates or outline like in a run, else its point on
    its street) as WGS-84 polygons, largest first (so smaller ones draw on top)."""
    graph = graph_for(district_code)
    rows, owner = place_entries(graph, [(lon, lat, geometry, gates)], snap_limit_m)
    offset, _row = engine.nearest_by_place(np.where(rows.ok, rows.offset_m, np.inf), owner, 1)
    snapped = bool(np.isfinite(offset[0]))
    features: list[dict] = []
    if snapped:
        polygons = engine.isochrones(graph=graph, sources=rows, owner=owner, minutes=list(minutes),
                                     speed_m_s=speed_m_s)
        for k, m in sorted(enumerate(minutes), key=lambda item: -item[1]):
            geom = shapely.transform(polygons[0, k], lambda xy: np.column_stack(graph.unproject(x=xy[:, 0],
                                                                                                 y=xy[:, 1])))
            features.append({"type": "Feature", "geometry": shapely.geometry.mapping(geom) if not geom.is_empty
                             else None, "properties": {"minutes": m, "distance_m": round(m * 60 * speed_m_s)}})
    else:
        offset = _straight_to_network(graph, [(None, None, lon, lat)])
    return {"type": "FeatureCollection", "features": features, "snapped": snapped,
            "snap_distance_m": round(float(offset[0]), 1)}


def check_compound(*, district_code: str, lon: float, lat: float, population: int, categories: list[CategorySpec],
                   snap_limit_m: float, geometry=None, gates=None) -> engine.CompoundCheck:
    graph = graph_for(district_code)
    nearest, _ = attached_nearest_for(graph=graph, district_code=district_code, categories=categories,
                                      snap_limit_m=snap_limit_m)
    return engine.check_new_compound(graph=graph, lon=lon, lat=lat, population=population, nearest=nearest,
                                     snap_limit_m=snap_limit_m, outline=_outline(geometry), gates=_gates(gates))
