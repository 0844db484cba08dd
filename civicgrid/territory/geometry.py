"""Geometry for the territory, in plain shapely and pyproj (no Django): partitioning an outline into
plausible pieces, sampling points, areas in km² and GeoJSON in and out.

Coordinates are WGS-84 lon/lat. Partitioning works on the plane of the given coordinates; for lon/lat
input the cut directions are corrected by cos(latitude) so that cuts are straight and square on the ground,
and areas in degrees² are proportional to ground areas within about 0.2 % over a district-sized extent.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
import shapely
from pyproj import Transformer
from scipy.optimize import brentq
from shapely import affinity
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.validation import explain_validity

AREAL_TYPES = ("Polygon", "MultiPolygon")
_ANGLE_TRIES = (0, 20, -20, 40, -40, 60, -60, 80, -80, 90, 10, -10, 30, -30, 50, -50, 70, -70)


class PartitionError(ValueError):
    """The polygon cannot be split as asked (not a single polygon, bad weights)."""


# --- GeoJSON in and out ---

def from_geojson(obj: dict) -> shapely.Geometry:
    """A shapely geometry from a GeoJSON geometry or Feature dict."""
    if obj.get("type") == "Feature":
        obj = obj.get("geometry") or {}
    return shape(obj)


def to_geojson(geom: shapely.Geometry) -> dict:
    """A GeoJSON geometry dict with plain lists (JSON-serializable)."""
    return _lists(mapping(geom))


def _lists(value):
    if isinstance(value, tuple | list):
        return [_lists(item) for item in value]
    if isinstance(value, dict):
        return {key: _lists(item) for key, item in value.items()}
    return value


def feature(geom: shapely.Geometry | dict | None, properties: dict) -> dict:
    geometry = geom if isinstance(geom, dict) or geom is None else to_geojson(geom)
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def feature_collection(features: Iterable[dict]) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def single_polygon(geom: shapely.Geometry) -> Polygon:
    """The polygon of a Polygon or a one-part MultiPolygon."""
    if isinstance(geom, MultiPolygon) and len(geom.geoms) == 1:
        geom = geom.geoms[0]
    if not isinstance(geom, Polygon):
        raise PartitionError(f"expected a single polygon, got {geom.geom_type}")
    return geom


def geometry_problems(geom: shapely.Geometry) -> list[str]:
    """Reasons a boundary is unusable: not areal, empty, invalid, or outside lon/lat range."""
    if geom.geom_type not in AREAL_TYPES:
        return [f"geometry type {geom.geom_type} is not Polygon or MultiPolygon"]
    if geom.is_empty:
        return ["geometry is empty"]
    problems = []
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        problems.append("coordinates are outside the longitude/latitude range (WGS-84 expected)")
    if not geom.is_valid:
        problems.append(f"geometry is invalid: {explain_validity(geom)}")
    return problems


# --- areas and points ---

@lru_cache(maxsize=32)
def _to_metric(lon0: float) -> Transformer:
    """WGS-84 → a transverse Mercator on the CGCS2000 ellipsoid centred on lon0 (a 3-degree
    Gauss-Krüger zone such as EPSG:4547 with its meridian moved to the data, so scale error is nil)."""
    proj = f"+proj=tmerc +lat_0=0 +lon_0={lon0} +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs"
    return Transformer.from_crs("EPSG:4326", proj, always_xy=True)


def to_metric(geoms, lon0: float | None = None):
    """Project lon/lat geometries (one or an array) to metres around lon0 (default: their mean longitude)."""
    array = np.asarray(geoms, dtype=object)
    if lon0 is None:
        bounds = shapely.bounds(array).reshape(-1, 4)
        lon0 = float(np.nanmean((bounds[:, 0] + bounds[:, 2]) / 2))
    transformer = _to_metric(round(lon0, 1))
    return shapely.transform(geoms, transformer.transform, interleaved=False)


def areas_km2(geoms, lon0: float | None = None) -> np.ndarray:
    """Ground areas in km² of lon/lat geometries."""
    return np.atleast_1d(shapely.area(to_metric(geoms, lon0))) / 1e6


def area_km2(geom: shapely.Geometry) -> float:
    return float(areas_km2([geom])[0])


def center(geom: shapely.Geometry) -> tuple[float, float]:
    """The centroid, or a point on the surface when the centroid falls outside (e.g. a crescent)."""
    point = geom.centroid
    if not geom.contains(point):
        point = geom.point_on_surface()
    return point.x, point.y


def random_points(geom: shapely.Geometry, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """n uniform random points inside geom (rejection sampling on its bounding box)."""
    shapely.prepare(geom)
    minx, miny, maxx, maxy = geom.bounds
    fill = max(geom.area / max((maxx - minx) * (maxy - miny), 1e-30), 0.01)
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    found = 0
    while found < n:
        batch = int((n - found) / fill * 1.3) + 8
        x = rng.uniform(minx, maxx, batch)
        y = rng.uniform(miny, maxy, batch)
        inside = shapely.contains_xy(geom, x, y)
        xs.append(x[inside])
        ys.append(y[inside])
        found += int(inside.sum())
    return np.concatenate(xs)[:n], np.concatenate(ys)[:n]


def lon_aspect(geom: shapely.Geometry) -> float:
    """cos(latitude) at the middle of geom: how long a degree of longitude is against one of latitude."""
    _, miny, _, maxy = geom.bounds
    return math.cos(math.radians((miny + maxy) / 2))


# --- partitioning ---

def partition(geom: shapely.Geometry, weights: Sequence[float], *, seed: int = 0,
              aspect: float | None = None) -> list[Polygon]:
    """Split a polygon into len(weights) contiguous Polygons whose areas are proportional to weights.

    Recursive bisection: the weights are split in two groups of about equal total, the polygon is cut by a
    straight line across its long axis (slightly turned at random) at the position, found by root search on
    the area, that gives each side its share. A cut that would leave one side in several parts is turned
    until both sides are single polygons. The pieces cover the polygon without gaps or overlaps and come
    back in the order of `weights`. Deterministic for a given seed. `aspect` scales x against y for the cut
    directions (default: cos(latitude), for lon/lat input).
    """
    polygon = single_polygon(geom)
    values = [float(w) for w in weights]
    if not values or min(values) <= 0 or not all(math.isfinite(w) for w in values):
        raise PartitionError("weights must be positive finite numbers")
    rng = np.random.default_rng(seed)
    return _split(polygon, values, rng, lon_aspect(polygon) if aspect is None else aspect)


def _split(polygon: Polygon, weights: list[float], rng: np.random.Generator, aspect: float) -> list[Polygon]:
    if len(weights) == 1:
        return [polygon]
    k = _split_index(weights)
    share = sum(weights[:k]) / sum(weights)
    first, second = _cut(polygon, share, rng, aspect)
    return _split(first, weights[:k], rng, aspect) + _split(second, weights[k:], rng, aspect)


def _split_index(weights: list[float]) -> int:
    """The k in 1..n-1 whose prefix sum is closest to half the total."""
    total = sum(weights)
    prefix = np.cumsum(weights)[:-1]
    return int(np.argmin(np.abs(prefix - total / 2))) + 1


def _long_axis_angle(polygon: Polygon, aspect: float) -> float:
    """Direction (radians, in ground-true coordinates) of the long side of the minimum rotated rectangle."""
    scaled = affinity.scale(polygon, xfact=aspect, yfact=1.0, origin=(0, 0))
    rect = shapely.oriented_envelope(scaled)
    coords = np.asarray(rect.exterior.coords) if isinstance(rect, Polygon) else np.asarray(rect.coords)
    if len(coords) < 3:
        return 0.0
    edges = np.diff(coords[:3], axis=0)
    longest = edges[np.argmax(np.hypot(edges[:, 0], edges[:, 1]))]
    return math.atan2(longest[1], longest[0])


def _cut(polygon: Polygon, share: float, rng: np.random.Generator, aspect: float) -> tuple[Polygon, Polygon]:
    base = _long_axis_angle(polygon, aspect) + math.radians(rng.uniform(-15, 15))
    fallback = None
    for offset in _ANGLE_TRIES:
        first, second = _cut_at_angle(polygon, share, base + math.radians(offset), aspect)
        if isinstance(first, Polygon) and isinstance(second, Polygon):
            return first, second
        fallback = fallback or (first, second)
    assert fallback is not None
    return _merge_fragments(*fallback)


def _cut_at_angle(polygon: Polygon, share: float, angle: float, aspect: float):
    """Cut with the line {x·aspect·cos(angle) + y·sin(angle) = t}, t chosen so the low side has `share`."""
    normal = np.array([aspect * math.cos(angle), math.sin(angle)])
    coords = np.asarray(polygon.exterior.coords)
    projections = coords @ normal
    low, high = float(projections.min()), float(projections.max())
    target = share * polygon.area

    def excess(t: float) -> float:
        return shapely.intersection(polygon, _half_plane(polygon, normal, t)).area - target

    t = brentq(excess, low, high, xtol=(high - low) * 1e-12, rtol=4 * np.finfo(float).eps, maxiter=200)
    half = _half_plane(polygon, normal, t)
    return _as_polygon(shapely.intersection(polygon, half)), _as_polygon(shapely.difference(polygon, half))


def _half_plane(polygon: Polygon, normal: np.ndarray, t: float) -> Polygon:
    """A large rectangle covering {p : p·normal <= t} over the polygon's extent."""
    minx, miny, maxx, maxy = polygon.bounds
    reach = 4 * math.hypot(maxx - minx, maxy - miny) + 1e-9
    unit = normal / np.linalg.norm(normal)
    along = np.array([-unit[1], unit[0]])
    middle = np.array([(minx + maxx) / 2, (miny + maxy) / 2])
    on_line = middle + (t - middle @ normal) / (normal @ normal) * normal
    corners = [on_line + reach * along, on_line - reach * along,
               on_line - reach * along - reach * unit, on_line + reach * along - reach * unit]
    return Polygon(corners)


def _as_polygon(geom: shapely.Geometry) -> shapely.Geometry:
    """Drop degenerate bits (lines, points) a cut can leave; keep areal parts."""
    if isinstance(geom, Polygon | MultiPolygon):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon) and g.area > 0]
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def _merge_fragments(first, second) -> tuple[Polygon, Polygon]:
    """Last resort when no cut direction keeps both sides whole: each side keeps its largest part and the
    stray parts join the other side, which they touch along the cut line."""
    def parts(geom):
        return sorted(getattr(geom, "geoms", [geom]), key=lambda g: -g.area)

    a_parts, b_parts = parts(first), parts(second)
    a = shapely.union_all([a_parts[0], *b_parts[1:]])
    b = shapely.union_all([b_parts[0], *a_parts[1:]])
    return single_polygon(a), single_polygon(b)


def check_partition(parent: shapely.Geometry, pieces: Sequence[shapely.Geometry]) -> dict:
    """Figures a partition must satisfy: union area vs parent, total pairwise overlap, invalid pieces."""
    union = shapely.union_all(list(pieces))
    tree = shapely.STRtree(list(pieces))
    left, right = tree.query(list(pieces), predicate="intersects")
    pairs = [(i, j) for i, j in zip(left.tolist(), right.tolist(), strict=True) if i < j]
    overlap = sum(shapely.intersection(pieces[i], pieces[j]).area for i, j in pairs)
    return {
        "union_area_error": abs(union.area - parent.area) / parent.area,
        "symmetric_difference": shapely.symmetric_difference(union, parent).area / parent.area,
        "overlap": overlap / parent.area,
        "invalid": sum(not p.is_valid or not isinstance(p, Polygon) for p in pieces),
    }
