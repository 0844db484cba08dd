"""Where a compound enters the street network: through its gates when they are known, else from the point of
its outline nearest to a street, else (no outline) from its point.

Gates are OSM ``entrance=*`` / ``barrier=gate`` vertices of walkable ways within `GATE_TOLERANCE_M` of the outline;
a compound walked through gates starts at the gate (offset 0: the walk inside the compound is not measured).
Each compound gives one or more rows; `nearest_by_place` keeps the best row of each compound."""

from __future__ import annotations

import numpy as np
import shapely

from .attach import Attached, attach_xy
from .graph import WalkGraph

GATE_TOLERANCE_M = 15.0
OUTLINE_STEP_M = 10.0


def attach_compounds(
    *, graph: WalkGraph, lon: np.ndarray, lat: np.ndarray, outlines: list[shapely.Geometry | None], limit_m: float
) -> tuple[Attached, np.ndarray, np.ndarray]:
    """Rows of entry points, the compound of each row, and whether the row is a gate."""
    x, y = graph.project(lon=lon, lat=lat)
    x, y = np.atleast_1d(x), np.atleast_1d(y)
    gate_nodes = np.flatnonzero(graph.gate)
    gates = shapely.points(graph.x[gate_nodes], graph.y[gate_nodes]) if gate_nodes.size else None
    px: list[np.ndarray] = []
    py: list[np.ndarray] = []
    owner: list[np.ndarray] = []
    gate_rows: list[tuple[int, int]] = []
    for i, outline in enumerate(outlines):
        ring = _metric_boundary(graph, outline)
        if ring is None:
            px.append(x[i : i + 1])
            py.append(y[i : i + 1])
            owner.append(np.array([i]))
            continue
        if gates is not None:
            near = gate_nodes[shapely.dwithin(ring, gates, GATE_TOLERANCE_M)]
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
    gate_attached = _gate_rows(graph, gate_rows)
    rows = _concat(streets, gate_attached)
    owners = np.concatenate([street_owner, np.array([g[0] for g in gate_rows], dtype=np.int64)])
    is_gate = np.concatenate([np.zeros(street_owner.shape[0], bool), np.ones(len(gate_rows), bool)])
    return rows, owners, is_gate


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


def _gate_rows(graph: WalkGraph, gate_rows: list[tuple[int, int]]) -> Attached:
    nodes = np.array([n for _, n in gate_rows], dtype=np.int64)
    zero = np.zeros(nodes.shape[0])
    return Attached(
        edge=np.full(nodes.shape[0], -1, dtype=np.int64),
        u=nodes,
        v=nodes.copy(),
        along_u_m=zero,
        along_v_m=zero.copy(),
        offset_m=zero.copy(),
        ok=np.ones(nodes.shape[0], dtype=bool),
        level=np.zeros(nodes.shape[0], dtype=np.int8),
        crosses_barrier=np.zeros(nodes.shape[0], dtype=bool),
        private=np.ones(nodes.shape[0], dtype=bool),  # residents leave through their gate: inner ways allowed
    )


def _concat(a: Attached, b: Attached) -> Attached:
    return Attached(**{name: np.concatenate([getattr(a, name), getattr(b, name)]) for name in a.__dataclass_fields__})


def _cat(chunks: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(chunks) if chunks else np.empty(0)
