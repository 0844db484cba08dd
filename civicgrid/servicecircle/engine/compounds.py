"""Where a compound enters the street network: through its gates when they are known, else from the point of
its outline nearest to a street, else (no outline) from its point.

Gates come first from the places registry (points recorded on the place, each attached to the street it opens
onto like any point, offset kept), else from OSM: ``entrance=*`` / ``barrier=gate`` vertices of walkable ways within
`GATE_TOLERANCE_M` of the outline (the walk starts at the gate vertex, offset 0: the walk inside the compound is
not measured). Each compound gives one or more rows; `nearest_by_place` keeps the best row of each compound."""

from __future__ import annotations

import numpy as np
import shapely

from .attach import Attached, at_nodes, attach_points, attach_xy, concat
from .graph import WalkGraph

GATE_TOLERANCE_M = 15.0
OUTLINE_STEP_M = 10.0


def attach_compounds(
    *,
    graph: WalkGraph,
    lon: np.ndarray,
    lat: np.ndarray,
    outlines: list[shapely.Geometry | None],
    limit_m: float,
    gates: list[np.ndarray | None] | None = None,
) -> tuple[Attached, np.ndarray, np.ndarray]:
    """Rows of entry points, the compound of each row, and whether the row is a gate.

    ``gates[i]``: the registry's gates of compound i as an (n, 2) array of lon/lat, or None."""
    x, y = graph.project(lon=lon, lat=lat)
    x, y = np.atleast_1d(x), np.atleast_1d(y)
    gate_nodes = np.flatnonzero(graph.gate)
    osm_gates = shapely.points(graph.x[gate_nodes], graph.y[gate_nodes]) if gate_nodes.size else None
    px: list[np.ndarray] = []
    py: list[np.ndarray] = []
    owner: list[np.ndarray] = []
    registry: list[tuple[int, np.ndarray]] = []
    gate_rows: list[tuple[int, int]] = []
    for i, outline in enumerate(outlines):
        recorded = None if gates is None else gates[i]
        if recorded is not None and len(recorded):
            registry.append((i, np.asarray(recorded, dtype=np.float64).reshape(-1, 2)))
            continue
        ring = _metric_boundary(graph, outline)
        if ring is None:
            px.append(x[i : i + 1])
            py.append(y[i : i + 1])
            owner.append(np.array([i]))
            continue
        if osm_gates is not None:
            near = gate_nodes[shapely.dwithin(ring, osm_gates, GATE_TOLERANCE_M)]
            if near.size:
                gate_rows += [(i, int(n)) for n in near]
                continue
        points = shapely.get_coordinates(shapely.segmentize(ring, OUTLINE_STEP_M))
        px.append(points[:, 0])
        py.append(points[:, 1])
        owner.append(np.full(points.shape[0], i))
    streets = attach_xy(graph=graph, x=_cat(px), y=_cat(py), limit_m=limit_m)
    street_owner = _cat(owner).astype(np.int64)
    # an outline is entered from its point nearest to a street (not the nearest by network distance)
    keep = _nearest_row_per_owner(street_owner, streets.offset_m)
    streets, street_owner = streets.take(keep), street_owner[keep]
    recorded_rows, recorded_owner = _registry_rows(graph, registry, limit_m)
    osm_rows = at_nodes(graph, np.array([n for _, n in gate_rows], dtype=np.int64), private=True)
    rows = concat(streets, recorded_rows, osm_rows)
    owners = np.concatenate([street_owner, recorded_owner, np.array([g[0] for g in gate_rows], dtype=np.int64)])
    is_gate = np.concatenate([np.zeros(street_owner.shape[0], bool), np.ones(recorded_owner.shape[0], bool),
                              np.ones(len(gate_rows), bool)])
    return rows, owners, is_gate


def _registry_rows(graph: WalkGraph, registry: list[tuple[int, np.ndarray]], limit_m: float
                   ) -> tuple[Attached, np.ndarray]:
    """Recorded gates attached to the street each opens onto; residents leaving through them may use private
    ways (as from an OSM gate)."""
    points = np.concatenate([g for _, g in registry]) if registry else np.empty((0, 2))
    owner = np.concatenate([np.full(g.shape[0], i) for i, g in registry]) if registry else np.empty(0, np.int64)
    rows = attach_points(graph=graph, lon=points[:, 0], lat=points[:, 1], limit_m=limit_m)
    return Attached(**{**{n: getattr(rows, n) for n in rows.__dataclass_fields__}, "private": rows.ok.copy()}), \
        owner.astype(np.int64)


def nearest_by_place(
    distance: np.ndarray, owner: np.ndarray, n_places: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per place: the smallest row distance and the row it came from (-1 when the place has no row)."""
    best = np.full(n_places, np.inf)
    row = np.full(n_places, -1, dtype=np.int64)
    order = np.lexsort((distance, owner))
    first = np.ones(order.shape[0], dtype=bool)
    first[1:] = owner[order][1:] != owner[order][:-1]
    chosen = order[first]
    best[owner[chosen]] = distance[chosen]
    row[owner[chosen]] = chosen
    return best, row


def _metric_boundary(graph: WalkGraph, outline: shapely.Geometry | None) -> shapely.Geometry | None:
    if outline is None or outline.is_empty or outline.geom_type not in ("Polygon", "MultiPolygon"):
        return None
    projected = shapely.transform(outline, lambda xy: np.column_stack(graph.project(lon=xy[:, 0], lat=xy[:, 1])))
    return projected.boundary


def _nearest_row_per_owner(owner: np.ndarray, offset: np.ndarray) -> np.ndarray:
    order = np.lexsort((offset, owner))
    first = np.ones(order.shape[0], dtype=bool)
    first[1:] = owner[order][1:] != owner[order][:-1]
    return np.sort(order[first])


def _cat(chunks: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(chunks) if chunks else np.empty(0)
