"""Distance from every node to the nearest facility of a category: one bounded multi-source Dijkstra."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
    return nearest_by_attached_category(graph=graph, facilities=facilities,
                                        category=np.zeros(facilities.ok.shape[0], dtype=np.int64),
                                        limits_m=[limit_m])[0]


def nearest_by_attached_category(*, graph: WalkGraph, facilities: Attached, category: np.ndarray,
                                 limits_m: Sequence[float]) -> list[AttachedNearest]:
    """`nearest_from_attached` for the facilities of each category (``category[i]`` indexes ``limits_m``; -1: none),
    one search per category on one matrix built once: every facility is a virtual node with edges out of it only, so
    a search from one category's nodes never passes through another's. Facility indices are rows of
    ``facilities``."""
    category = np.asarray(category, dtype=np.int64)
    use = np.flatnonzero(facilities.ok & (category >= 0))
    n = graph.n_nodes
    if graph.has_private:
        base, private_nodes = graph.tail_adjacency
    else:
        base, private_nodes = graph.adjacency, np.empty(0, np.int64)
    total = base.shape[0]
    matrix = _with_virtual_sources(base, facilities, use)
    found = []
    for j, limit_m in enumerate(limits_m):
        mine = np.flatnonzero(category[use] == j)
        on_edges = _on_edges(facilities, use[mine])
        if mine.size == 0:
            none = np.full(n, np.inf), np.full(n, -1, np.int64)
            found.append(AttachedNearest(Nearest(*none, limit_m), *none, on_edges))
            continue
        distance, sources = _dijkstra_sources(matrix, total + mine, limit_m)
        facility = np.where(sources >= 0, use[np.maximum(sources - total, 0)], -1).astype(np.int64)
        private_distance, private_facility = distance[:n].copy(), facility[:n].copy()
        if private_nodes.size:
            tail = distance[n:total]
            better = tail < private_distance[private_nodes]
            private_distance[private_nodes[better]] = tail[better]
            private_facility[private_nodes[better]] = facility[n:total][better]
        found.append(AttachedNearest(Nearest(distance[:n], facility[:n], limit_m), private_distance,
                                     private_facility, on_edges))
    return found


def _with_virtual_sources(base: sp.csr_matrix, facilities: Attached, use: np.ndarray) -> sp.csr_matrix:
    """``base`` with one row appended per facility ``use[i]``: edges to both ends of its street, weighted by the
    split length plus the offset (a zero length stays an explicit stored zero, which csgraph treats as an edge)."""
    total, k = base.shape[0], use.shape[0]
    f = facilities
    cols = np.column_stack([f.u[use], f.v[use]]).ravel().astype(base.indices.dtype)
    data = np.column_stack([f.along_u_m[use] + f.offset_m[use], f.along_v_m[use] + f.offset_m[use]]).ravel()
    # index arrays keep the base's integer type, so scipy need not scan them to choose one
    indptr = np.concatenate([base.indptr, (base.indptr[-1] + 2 * np.arange(1, k + 1)).astype(base.indptr.dtype)])
    return sp.csr_matrix((np.concatenate([base.data, data]), np.concatenate([base.indices, cols]), indptr),
                         shape=(total + k, total + k))


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
    near = nearest.nearest
    if places.private.any():
        d = np.where(places.private, nearest.private_distance_m[u], near.distance_m[u]) + places.along_u_m
        dv = np.where(places.private, nearest.private_distance_m[v], near.distance_m[v]) + places.along_v_m
        fu = np.where(places.private, nearest.private_facility[u], near.facility[u])
        fv = np.where(places.private, nearest.private_facility[v], near.facility[v])
    else:
        d, dv = near.distance_m[u] + places.along_u_m, near.distance_m[v] + places.along_v_m
        fu, fv = near.facility[u], near.facility[v]
    by_v = dv < d
    np.copyto(d, dv, where=by_v)
    distance = np.where(ok, d + places.offset_m, np.inf)
    facility = np.where(ok, np.where(by_v, fv, fu), -1)
    _walk_along_shared_edges(places, nearest.on_edges, distance, facility)
    beyond = distance > near.limit_m
    distance[beyond] = np.inf
    facility[beyond] = -1
    return distance, facility


def _walk_along_shared_edges(
    places: Attached, on: FacilitiesOnEdges, distance: np.ndarray, facility: np.ndarray
) -> None:
    """A place and a facility on the same street walk straight along it (no detour through an end)."""
    if on.edge.size == 0:
        return
    # the few places on a street with a facility, from a mark per street (rows at a vertex, edge -1, share none)
    marked = np.zeros(int(max(places.edge.max(initial=-1), on.edge[-1])) + 2, dtype=bool)
    marked[on.edge + 1] = True
    marked[0] = False
    sharing = np.flatnonzero(marked[places.edge + 1] & places.ok)
    if sharing.size == 0:
        return
    lo = np.searchsorted(on.edge, places.edge[sharing], side="left")
    count = np.searchsorted(on.edge, places.edge[sharing], side="right") - lo
    place = np.repeat(sharing, count)
    ends = np.cumsum(count)
    pair = np.arange(int(ends[-1])) + np.repeat(lo - (ends - count), count)
    direct = np.abs(on.along_u_m[pair] - places.along_u_m[place]) + on.offset_m[pair] + places.offset_m[place]
    starts = ends - count
    best = np.minimum.reduceat(direct, starts)
    # the first pair reaching each place's best (as a loop over the facilities in order would keep)
    first = np.minimum.reduceat(np.where(direct == np.repeat(best, count), np.arange(direct.shape[0]),
                                         direct.shape[0]), starts)
    better = best < distance[sharing]
    distance[sharing[better]] = best[better]
    facility[sharing[better]] = on.index[pair[first[better]]]
