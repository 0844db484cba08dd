"""Bounded shortest-path distances from many single sources, each searched on a small local subgraph.

A path no longer than ``limit`` never leaves the disc of radius ``limit`` around its source
(network distance >= straight-line distance), so searching the subgraph induced by that disc is
exact. Sources are grouped by square cells and share one subgraph per cell, which keeps each
search small and cache-friendly whatever the size of the whole network.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from .attach import Attached
from .graph import WalkGraph

MAX_SOURCES_PER_SEARCH = 64


@dataclass(frozen=True)
class Reach:
    """Row ``i`` (nodes ``node[indptr[i]:indptr[i+1]]``) holds what source ``i`` reaches within the limit."""

    indptr: np.ndarray
    node: np.ndarray
    distance_m: np.ndarray
    limit_m: float

    @property
    def n_sources(self) -> int:
        return int(self.indptr.shape[0] - 1)

    def row(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = self.indptr[i], self.indptr[i + 1]
        return self.node[lo:hi], self.distance_m[lo:hi]

    def within(self, *, n_nodes: int, limit_m: float | None = None) -> sp.csr_matrix:
        """Boolean sources × nodes matrix of reach within ``limit_m`` (default: the search limit)."""
        keep = self.distance_m <= (self.limit_m if limit_m is None else limit_m)
        rows = np.repeat(np.arange(self.n_sources), np.diff(self.indptr))[keep]
        return sp.csr_matrix(
            (np.ones(rows.shape[0], dtype=bool), (rows, self.node[keep])), shape=(self.n_sources, n_nodes)
        )


@dataclass(frozen=True)
class LocalSearch:
    """One cell's subgraph and the results for the sources in it (used by isochrones).

    ``rows`` are the attachment rows of these sources (indices into the ``Attached`` given) and ``row_source``
    the position in ``source_index`` of each row's source; ``origin`` the centre of each source's rows."""

    source_index: np.ndarray
    rows: np.ndarray
    row_source: np.ndarray
    origin: np.ndarray
    subgraph_nodes: np.ndarray
    subgraph: sp.csr_matrix
    distance_m: np.ndarray


def reach_from_sources(
    *,
    graph: WalkGraph,
    sources: Attached,
    limit_m: float,
    owner: np.ndarray | None = None,
    cell_m: float | None = None,
) -> Reach:
    """Distances (offsets and the walk along the source's own street included) from each source to every node
    within ``limit_m``. A source is one attached row, or with ``owner`` all rows of one owner (a compound's gates):
    the walk starts from whichever of them is best."""
    n_sources = _n_owners(sources, owner)
    counts = np.zeros(n_sources, dtype=np.int64)
    nodes: list[np.ndarray] = [np.empty(0, np.int64)] * n_sources
    dists: list[np.ndarray] = [np.empty(0)] * n_sources
    for search in local_searches(graph=graph, sources=sources, limit_m=limit_m, owner=owner, cell_m=cell_m):
        for row, i in enumerate(search.source_index):
            reached = np.flatnonzero(search.distance_m[row] <= limit_m)
            nodes[i] = search.subgraph_nodes[reached]
            dists[i] = search.distance_m[row, reached]
            counts[i] = reached.shape[0]
    indptr = np.concatenate([[0], np.cumsum(counts)])
    return Reach(indptr=indptr, node=np.concatenate(nodes), distance_m=np.concatenate(dists), limit_m=limit_m)


def _n_owners(sources: Attached, owner: np.ndarray | None) -> int:
    if owner is None:
        return int(sources.u.shape[0])
    return int(owner.max(initial=-1)) + 1


def local_searches(
    *,
    graph: WalkGraph,
    sources: Attached,
    limit_m: float,
    owner: np.ndarray | None = None,
    cell_m: float | None = None,
) -> Iterator[LocalSearch]:
    """Yield, cell by cell, dense distance rows (inf beyond the limit) on local subgraphs.

    Each source is a virtual node joined to both ends of its street by the split lengths plus its offset (one-way
    edges out of it, so no walk passes through it); a source that is not attached reaches nothing."""
    owner = np.arange(sources.u.shape[0]) if owner is None else np.asarray(owner, dtype=np.int64)
    n_sources = _n_owners(sources, owner)
    ok = np.flatnonzero(sources.ok)
    count = np.bincount(owner[ok], minlength=n_sources).astype(np.float64)
    cx = np.bincount(owner[ok], weights=sources.x[ok], minlength=n_sources) / np.maximum(count, 1)
    cy = np.bincount(owner[ok], weights=sources.y[ok], minlength=n_sources) / np.maximum(count, 1)
    spread = np.zeros(n_sources)
    np.maximum.at(spread, owner[ok], np.hypot(sources.x[ok] - cx[owner[ok]], sources.y[ok] - cy[owner[ok]]))
    cell = float(cell_m or max(limit_m, 1.0))
    kx, ky = np.floor(cx / cell).astype(np.int64), np.floor(cy / cell).astype(np.int64)
    order = np.lexsort((ky, kx))
    order = order[count[order] > 0]  # sources not attached reach nothing
    key = np.stack([kx[order], ky[order]], axis=1)
    breaks = np.flatnonzero(np.any(key[1:] != key[:-1], axis=1)) + 1
    # cap the sources sharing one search so dense rows (sources x subgraph nodes) stay small
    breaks = np.union1d(breaks, np.arange(MAX_SOURCES_PER_SEARCH, order.shape[0], MAX_SOURCES_PER_SEARCH))
    rows_of = np.split(ok[np.argsort(owner[ok], kind="stable")], np.cumsum(np.bincount(owner[ok],
                                                                                        minlength=n_sources))[:-1])
    adjacency = graph.adjacency
    for group in np.split(order, breaks):
        if group.size == 0:
            continue
        # the disc around the group's sources that holds every path of at most limit_m from any of them
        center = (float(cx[group].mean()), float(cy[group].mean()))
        radius = limit_m + float((np.hypot(cx[group] - center[0], cy[group] - center[1]) + spread[group]).max())
        local_nodes = graph.buckets.within(center[0], center[1], radius)
        sub = adjacency[local_nodes][:, local_nodes]
        rows = np.concatenate([rows_of[i] for i in group])
        row_source = np.repeat(np.arange(group.shape[0]), [rows_of[i].shape[0] for i in group])
        distance = _from_virtual_sources(sub, local_nodes, sources, rows, row_source, group.shape[0], limit_m)
        yield LocalSearch(
            source_index=group,
            rows=rows,
            row_source=row_source,
            origin=np.column_stack([cx[group], cy[group]]),
            subgraph_nodes=local_nodes,
            subgraph=sub,
            distance_m=distance,
        )


def _from_virtual_sources(
    sub: sp.csr_matrix,
    local_nodes: np.ndarray,
    sources: Attached,
    rows: np.ndarray,
    row_source: np.ndarray,
    k: int,
    limit_m: float,
) -> np.ndarray:
    n = local_nodes.shape[0]
    ends = np.concatenate([sources.u[rows], sources.v[rows]])
    cost = np.concatenate([sources.along_u_m[rows], sources.along_v_m[rows]]) + np.tile(sources.offset_m[rows], 2)
    who = np.tile(row_source, 2)
    pos = np.minimum(np.searchsorted(local_nodes, ends), max(n - 1, 0))
    # an end outside the disc is farther than the limit; a row at a vertex (u == v) needs one link
    keep = (local_nodes[pos] == ends) & (cost <= limit_m) if n else np.zeros(ends.shape[0], dtype=bool)
    keep[rows.shape[0]:] &= sources.u[rows] != sources.v[rows]
    who, pos, cost = who[keep], pos[keep], cost[keep]
    order = np.argsort(who, kind="stable")
    who, pos, cost = who[order], pos[order], cost[order]
    indptr = np.concatenate([sub.indptr, sub.indptr[-1] + np.cumsum(np.bincount(who, minlength=k))])
    # a zero cost stays an explicit stored zero, which csgraph treats as an edge
    matrix = sp.csr_matrix(
        (np.concatenate([sub.data, cost]), np.concatenate([sub.indices, pos.astype(sub.indices.dtype)]), indptr),
        shape=(n + k, n + k),
    )
    distance = dijkstra(matrix, directed=True, indices=np.arange(n, n + k), limit=limit_m)
    distance = np.atleast_2d(distance)[:, :n]
    distance[distance > limit_m] = np.inf
    return distance
