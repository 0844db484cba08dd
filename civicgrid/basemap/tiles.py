"""The district's own base map as GeoJSON tiles cut per zoom (z/x/y, Web Mercator tile numbers).

Sources, read through the owning modules' selectors: the service circle's walking network (streets) and the
street names of its source (OSM imports), the territory's compounds and the names of the administrative
divisions (labels). One in-process `Sheet`
holds them in shapely STRtrees; a tile is the clipped, per-zoom simplified content of its box, serialised and
gzipped once and kept in Django's cache under a stamp that changes whenever a source changes.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import threading
import time
from dataclasses import dataclass

import numpy as np
import shapely
from django.core.cache import cache

MIN_ZOOM = 12
MAX_ZOOM = 17
CHECK_SECONDS = 30.0
CACHE_SECONDS = 24 * 3600
# which divisions label the map at which tile zoom (level → smallest zoom); a grid name only close up
LABEL_ZOOMS = {"subdistrict": (12, 13), "community": (14, 15), "grid": (16, 17)}
COMPOUND_MIN_ZOOM = 14
STREET_NAME_MIN_ZOOM = 15
MINOR_STREET_MIN_ZOOM = 14
MINOR_STREET_M = 60.0  # below tile zoom 14 streets shorter than this are left out (alleys, compound paths)


@dataclass(frozen=True)
class Tile:
    body: bytes  # gzip-compressed GeoJSON
    etag: str


def tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """(west, south, east, north) in degrees of a Web Mercator tile."""
    n = 2.0**z

    def lat(row: float) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / n))))

    return x / n * 360.0 - 180.0, lat(y + 1), (x + 1) / n * 360.0 - 180.0, lat(y)


def valid(z: int, x: int, y: int) -> bool:
    return MIN_ZOOM <= z <= MAX_ZOOM and 0 <= x < 2**z and 0 <= y < 2**z


class Sheet:
    """Streets, compounds and division labels of every district, indexed for box queries."""

    def __init__(self, streets: list, street_long: np.ndarray, compounds: list, labels: list[tuple],
                 named: list[tuple[str, object]] = ()):  # type: ignore[assignment]
        self.streets = np.array(streets, dtype=object)
        self.street_long = street_long
        self.street_tree = shapely.STRtree(self.streets)
        self.compounds = np.array(compounds, dtype=object)
        self.compound_tree = shapely.STRtree(self.compounds)
        self.labels = labels  # (level, name, lon, lat)
        self.street_names = [name for name, _line in named]
        self.named_lines = np.array([line for _name, line in named], dtype=object)
        self.named_tree = shapely.STRtree(self.named_lines)

    def features(self, z: int, x: int, y: int) -> list[dict]:
        west, south, east, north = tile_bounds(z, x, y)
        pad = (east - west) / 32  # lines run a little past the edge so neighbouring tiles join
        box = shapely.box(west - pad, south - pad, east + pad, north + pad)
        tolerance = (east - west) / 512  # half a pixel of a 256-pixel tile
        found = [self._streets(box, tolerance, z)]
        if z >= COMPOUND_MIN_ZOOM:
            found.append(self._compounds(box, tolerance))
        found.append(self._labels(z, west, south, east, north))
        if z >= STREET_NAME_MIN_ZOOM:
            found.append(self._street_names(shapely.box(west, south, east, north)))
        return [feature for group in found for feature in group]

    def _street_names(self, box) -> list[dict]:
        """One label per street name and tile, at the middle of its longest piece there, along the street."""
        longest: dict[str, object] = {}
        for hit in np.sort(self.named_tree.query(box, predicate="intersects")):
            piece = shapely.intersection(self.named_lines[hit], box)
            name = self.street_names[hit]
            if piece.length > getattr(longest.get(name), "length", 0.0):
                longest[name] = piece
        return [_street_label(name, piece) for name, piece in sorted(longest.items())]

    def _streets(self, box, tolerance: float, z: int) -> list[dict]:
        hits = self.street_tree.query(box, predicate="intersects")
        if z < MINOR_STREET_MIN_ZOOM:
            hits = hits[self.street_long[hits]]
        if not len(hits):
            return []
        merged = shapely.line_merge(shapely.multilinestrings(self.streets[np.sort(hits)]))
        clipped = shapely.intersection(merged, box).simplify(tolerance, preserve_topology=False)
        return [] if clipped.is_empty else [_feature(clipped, {"k": "street"})]

    def _compounds(self, box, tolerance: float) -> list[dict]:
        hits = self.compound_tree.query(box, predicate="intersects")
        if not len(hits):
            return []
        found = self.compounds[np.sort(hits)]
        kinds = shapely.get_type_id(found)
        features = []
        outlines = found[kinds != 0]
        if len(outlines):
            shapes = shapely.intersection(shapely.union_all(outlines), box).simplify(tolerance, preserve_topology=True)
            if not shapes.is_empty:
                features.append(_feature(shapes, {"k": "compound"}))
        points = found[kinds == 0]
        if len(points):  # compounds known only by their point: drawn as a dot
            features.append(_feature(shapely.multipoints(points), {"k": "compound"}))
        return features

    def _labels(self, z: int, west: float, south: float, east: float, north: float) -> list[dict]:
        return [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
                 "properties": {"k": "label", "level": level, "name": name}}
                for level, name, lon, lat in self.labels
                if LABEL_ZOOMS[level][0] <= z <= LABEL_ZOOMS[level][1] and west <= lon < east and south <= lat < north]


def _street_label(name: str, piece) -> dict:
    if piece.geom_type != "LineString":  # a street leaving and re-entering the tile: its longest part
        piece = max(shapely.get_parts(piece), key=lambda part: part.length)
    middle = piece.interpolate(0.5, normalized=True)
    ahead = piece.interpolate(min(piece.length, piece.project(middle) + piece.length / 10))
    behind = piece.interpolate(max(0.0, piece.project(middle) - piece.length / 10))
    dx = ahead.x - behind.x
    dy = _mercator_y(ahead.y) - _mercator_y(behind.y)
    angle = -math.degrees(math.atan2(dy, dx))  # screen y runs down
    angle = angle - 180 if angle > 90 else angle + 180 if angle < -90 else angle  # never upside down
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(middle.x, 6), round(middle.y, 6)]},
            "properties": {"k": "label", "level": "street", "name": name, "angle": round(angle)}}


def _mercator_y(lat: float) -> float:
    return math.degrees(math.asinh(math.tan(math.radians(lat))))


def _feature(geom, properties: dict) -> dict:
    return {"type": "Feature", "geometry": json.loads(shapely.to_geojson(shapely.set_precision(geom, 1e-6))),
            "properties": properties}


def build_sheet() -> Sheet:
    from civicgrid.servicecircle import selectors as circle
    from civicgrid.territory import selectors as territory
    from civicgrid.territory.geometry import from_geojson

    streets, lengths, compounds, labels, named = [], [], [], [], []
    for district in territory.district_codes():
        # names from the network's OSM import, else from the street registry (address search, demo streets)
        lines = circle.street_names(district) or territory.street_lines(district_code=district)
        named += [(line["name"], shapely.LineString(line["coordinates"])) for line in lines]
        graph = circle.walking_graph(district)
        if graph is not None:
            keep = ~graph.edge_private
            coords = np.stack([np.stack([graph.lon[graph.u[keep]], graph.lat[graph.u[keep]]], axis=1),
                               np.stack([graph.lon[graph.v[keep]], graph.lat[graph.v[keep]]], axis=1)], axis=1)
            streets += list(shapely.linestrings(coords))
            lengths.append(graph.length_m[keep])
        compounds += [from_geojson(shape) for shape in territory.compounds(district_code=district)]
        for _code, name, level, boundary in territory.region_shapes(district_code=district):
            if level in LABEL_ZOOMS:
                point = from_geojson(boundary).point_on_surface()
                labels.append((level, name, point.x, point.y))
    long = np.concatenate(lengths) >= MINOR_STREET_M if lengths else np.zeros(0, dtype=bool)
    return Sheet(streets, long, compounds, labels, named)


def sources_stamp() -> str:
    """Changes whenever a walking network, a compound outline, a division boundary or the street registry changes."""
    from django.db.models import Count, Max, Sum

    from civicgrid.servicecircle.models import Network
    from civicgrid.territory.models import Place, Region, Street

    parts = [list(Network.objects.within("").order_by("district_code").values_list("district_code", "version",
                                                                                   "sha256", "built_at")),
             Place.objects.within("").filter(geometry__isnull=False).aggregate(n=Count("id"), last=Max("id")),
             Region.objects.within("").aggregate(n=Count("id"), v=Sum("geometry_version"), last=Max("id")),
             Street.objects.within("").aggregate(n=Count("id"), last=Max("id"))]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


_lock = threading.Lock()
_state: dict = {"sheet": None, "stamp": None, "checked_at": 0.0}


def current() -> tuple[Sheet, str]:
    """The sheet for the current sources, rebuilt when their stamp changed (checked at most every 30 s)."""
    now = time.monotonic()
    with _lock:
        if _state["sheet"] is not None and now - _state["checked_at"] < CHECK_SECONDS:
            return _state["sheet"], _state["stamp"]
        stamp = sources_stamp()
        if _state["sheet"] is None or stamp != _state["stamp"]:
            _state["sheet"] = build_sheet()
        _state.update(stamp=stamp, checked_at=now)
        return _state["sheet"], stamp


def invalidate() -> None:
    with _lock:
        _state.update(sheet=None, stamp=None, checked_at=0.0)


def tile(z: int, x: int, y: int) -> Tile:
    """One tile, from the shared cache when another process or request already cut it."""
    sheet, stamp = current()
    key = f"basemap:{stamp}:{z}/{x}/{y}"
    found = cache.get(key)
    if found is not None:
        return found
    made = render(sheet, stamp, z, x, y)
    cache.set(key, made, CACHE_SECONDS)
    return made


def render(sheet: Sheet, stamp: str, z: int, x: int, y: int) -> Tile:
    """Cut, serialise and compress one tile (what a cache miss costs)."""
    document = {"type": "FeatureCollection", "features": sheet.features(z, x, y)}
    raw = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    return Tile(body=gzip.compress(raw, compresslevel=6, mtime=0),
                etag='"' + hashlib.sha256(stamp.encode() + raw).hexdigest()[:24] + '"')
