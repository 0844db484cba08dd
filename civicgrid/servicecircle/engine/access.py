"""Distance from every node to the nearest facility of a category: one bounded multi-source Dijkstra."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from .attach import Attached
from .graph import WalkGraph


@dataclass(frozen=True)
class Category:
    """Facilities of one category as network nodes, their snap distances, and the walking limit."""

    name: str
    facility_nodes: np.ndarray
    limit_m: float
    facility_offset_m: np.ndarray | None = None


@dataclass(frozen=True)
class Nearest:
    """``distance_m[n]`` to the nearest facility (inf beyond the limit); ``facility[n]`` its index or -1."""

    distance_m: np.ndarray
    facility: np.ndarray
    limit_m: float


def nearest_facility(
    *,
    graph: WalkGraph,
    facility_nodes: np.ndarray,
    limit_m: float,
    facility_offset_m: np.ndarray | None = None,
) -> Nearest:
    """Network distance from each node to its nearest facility, including the facility's snap distance.

    ``facility`` indexes ``facility_nodes``. Facilities sharing a node are resolved to the one with
    the smallest offset.
    """
    nodes = np.asarray(facility_nodes, dtype=np.int64)
    if nodes.size == 0:
        return Nearest(np.full(graph.n_nodes, np.inf), np.full(graph.n_nodes, -1, np.int64), limit_m)
    offsets = _offsets(facility_offset_m, nodes.shape[0])
    if np.any(offsets > 0):
        return _nearest_with_offsets(graph=graph, nodes=nodes, offsets=offsets, limit_m=limit_m)
    unique_nodes, first = np.unique(nodes, return_index=True)
    distance, sources = _dijkstra_sources(graph.adjacency, unique_nodes, limit_m)
    return Nearest(distance, _facility_of_source(sources, unique_nodes, first), limit_m)


def nearest_by_category(*, graph: WalkGraph, categories: list[Category]) -> Mapping[str, Nearest]:
    return {
        c.name: nearest_facility(
            graph=graph, facility_nodes=c.facility_nodes, limit_m=c.limit_m, facility_offset_m=c.facility_offset_m
        )
        for c in categories
    }


def _offsets(facility_offset_m: np.ndarray | None, count: int) -> np.ndarray:
    if facility_offset_m is None:
        return np.zeros(count)
    offsets = np.asarray(facility_offset_m, dtype=np.float64)
    if offsets.shape != (count,) or np.any(~np.isfinite(offsets)) or np.any(offsets < 0):
        raise ValueError("facility_offset_m must be finite, non-negative, one per facility")
    return offsets


def _nearest_with_offsets(*, graph: WalkGraph, nodes: np.ndarray, offsets: np.ndarray, limit_m: float) -> Nearest:
    """One virtual node per facility with a one-way edge of its snap length onto the network.

    Appending rows to the CSR arrays keeps this O(edges) with no re-sorting of the base graph.
    """
    n, k = graph.n_nodes, nodes.shape[0]
    base = graph.adjacency
    # a zero offset stays an explicit stored zero, which csgraph treats as an edge
    matrix = sp.csr_matrix(
        (
            np.concatenate([base.data, offsets]),
            np.concatenate([base.indices, nodes.astype(base.indices.dtype)]),
            np.concatenate([base.indptr, base.indptr[-1] + np.arange(1, k + 1)]),
        ),
        shape=(n + k, n + k),
    )
    virtual = np.arange(n, n + k)
    distance, sources = _dijkstra_sources(matrix, virtual, limit_m)
    facility = np.where(sources[:n] >= 0, sources[:n] - n, -1)
    return Nearest(distance[:n], facility.astype(np.int64), limit_m)


def _dijkstra_sources(matrix: sp.csr_matrix, sources: np.ndarray, limit_m: float) -> tuple[np.ndarray, np.ndarray]:
    distance, _, source = dijkstra(
        matrix, directed=True, indices=sources, limit=limit_m, min_only=True, return_predecessors=True
    )
    return distance, source


def _facility_of_source(sources: np.ndarray, unique_nodes: np.ndarray, first: np.ndarray) -> np.ndarray:
    facility = np.full(sources.shape[0], -1, dtype=np.int64)
    reached = sources >= 0
    facility[reached] = first[np.searchsorted(unique_nodes, sources[reached])]
    return facility


@dataclass(frozen=True)
class FacilitiesOnEdges:
    """Attached facilities sorted by edge, for walks that stay on the edge a place and a facility share."""

    edge: np.ndarray
    along_u_m: np.ndarray
    offset_m: np.ndarray
    index: np.ndarray


@dataclass(frozen=True)
class AttachedNearest:
    """Nearest facility for points attached to edges.

    ``nearest.distance_m`` walks public ways only; ``private_distance_m`` may end on private ways, which is
    what a resident leaving a compound along its internal ways walks (the reverse of a search from the facility
    that may enter private ways but never leave them again)."""

    nearest: Nearest
    private_distance_m: np.ndarray
    private_facility: np.ndarray
    on_edges: FacilitiesOnEdges


def nearest_from_attached(*, graph: WalkGraph, facilities: Attached, limit_m: float) -> AttachedNearest:
    """One virtual node per attached facility, joined to both ends of its street by the split lengths."""
    use = np.flatnonzero(facilities.ok)
    n, k = graph.n_nodes, use.shape[0]
    if graph.has_private:
        base, private_nodes = graph.tail_adjacency
    else:
        base, private_nodes = graph.adjacency, np.empty(0, np.int64)
    total = base.shape[0]
    if k == 0:
        none = np.full(n, np.inf), np.full(n, -1, np.int64)
        return AttachedNearest(Nearest(*none, limit_m), *none, _on_edges(facilities, use))
    f = facilities
    cols = np.column_stack([f.u[use], f.v[use]]).ravel()
    data = np.column_stack([f.along_u_m[use] + f.offset_m[use], f.along_v_m[use] + f.offset_m[use]]).ravel()
    # a zero length stays an explicit stored zero, which csgraph treats as an edge
    matrix = sp.csr_matrix(
        (
            np.concatenate([base.data, data]),
            np.concatenate([base.indices, cols.astype(base.indices.dtype)]),
            np.concatenate([base.indptr, base.indptr[-1] + 2 * np.arange(1, k + 1)]),
        ),
        shape=(total + k, total + k),
    )
    distance, sources = _dijkstra_sources(matrix, np.arange(total, total + k), limit_m)
    facility = np.where(sources >= 0, use[np.maximum(sources - total, 0)], -1).astype(np.int64)
    private_distance, private_facility = distance[:n].copy(), facility[:n].copy()
    if private_nodes.size:
        tail = distance[n:total]
        better = tail < private_distance[private_nodes]
        private_distance[private_nodes[better]] = tail[better]
        private_facility[private_nodes[better]] = facility[n:total][better]
    return AttachedNearest(
        Nearest(distance[:n], facility[:n], limit_m), private_distance, private_facility, _on_edges(facilities, use)
    )


def _on_edges(facilities: Attached, use: np.ndarray) -> FacilitiesOnEdges:
    order = use[np.argsort(facilities.edge[use], kind="stable")]
    return FacilitiesOnEdges(
        edge=facilities.edge[order],
        along_u_m=facilities.along_u_m[order],
        offset_m=facilities.offset_m[order],
        index=order,
    )


def attached_distance(*, places: Attached, nearest: AttachedNearest) -> tuple[np.ndarray, np.ndarray]:
    """Walking distance (offsets included) from each attached place to its nearest facility, and its index.

    inf and -1 beyond the limit or for places that are not attached."""
    ok = places.ok
    u, v = np.maximum(places.u, 0), np.maximum(places.v, 0)
    dist = np.where(places.private[:, None], nearest.private_distance_m[np.column_stack([u, v])],
                    nearest.nearest.distance_m[np.column_stack([u, v])])
    fac = np.where(places.private[:, None], nearest.private_facility[np.column_stack([u, v])],
                   nearest.nearest.facility[np.column_stack([u, v])])
    via = dist + np.column_stack([places.along_u_m, places.along_v_m])
    side = np.argmin(via, axis=1)
    rows = np.arange(u.shape[0])
    distance = np.where(ok, via[rows, side] + places.offset_m, np.inf)
    facility = np.where(ok, fac[rows, side], -1)
    _walk_along_shared_edges(places, nearest.on_edges, distance, facility)
    beyond = distance > nearest.nearest.limit_m
    return np.where(beyond, np.inf, distance), np.where(beyond, -1, facility)


def _walk_along_shared_edges(
    places: Attached, on: FacilitiesOnEdges, distance: np.ndarray, facility: np.ndarray
) -> None:
    lo = np.searchsorted(on.edge, places.edge, side="left")
    hi = np.searchsorted(on.edge, places.edge, side="right")
    for i in np.flatnonzero((hi > lo) & places.ok):
        direct = np.abs(on.along_u_m[lo[i] : hi[i]] - places.along_u_m[i]) + on.offset_m[lo[i] : hi[i]]
        j = int(np.argmin(direct))
        if direct[j] + places.offset_m[i] < distance[i]:
            distance[i] = direct[j] + places.offset_m[i]
            facility[i] = on.index[lo[i] + j]
