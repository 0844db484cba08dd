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
    """One cell's subgraph and the results for the sources in it (used by isochrones)."""

    source_index: np.ndarray
    local_source: np.ndarray
    subgraph_nodes: np.ndarray
    subgraph: sp.csr_matrix
    distance_m: np.ndarray


def reach_from_sources(
    *,
    graph: WalkGraph,
    source_nodes: np.ndarray,
    limit_m: float,
    source_offset_m: np.ndarray | None = None,
    cell_m: float | None = None,
) -> Reach:
    """Distances (offset included) from each source to every node within ``limit_m``."""
    sources = np.asarray(source_nodes, dtype=np.int64)
    counts = np.zeros(sources.shape[0], dtype=np.int64)
    nodes: list[np.ndarray] = [np.empty(0, np.int64)] * sources.shape[0]
    dists: list[np.ndarray] = [np.empty(0)] * sources.shape[0]
    for search in local_searches(
        graph=graph, source_nodes=sources, limit_m=limit_m, source_offset_m=source_offset_m, cell_m=cell_m
    ):
        for row, i in enumerate(search.source_index):
            reached = np.flatnonzero(search.distance_m[row] <= limit_m)
            nodes[i] = search.subgraph_nodes[reached]
            dists[i] = search.distance_m[row, reached]
            counts[i] = reached.shape[0]
    indptr = np.concatenate([[0], np.cumsum(counts)])
    return Reach(indptr=indptr, node=np.concatenate(nodes), distance_m=np.concatenate(dists), limit_m=limit_m)


def local_searches(
    *,
    graph: WalkGraph,
    source_nodes: np.ndarray,
    limit_m: float,
    source_offset_m: np.ndarray | None = None,
    cell_m: float | None = None,
) -> Iterator[LocalSearch]:
    """Yield, cell by cell, dense distance rows (offset included, inf beyond the limit) on local subgraphs."""
    sources = np.asarray(source_nodes, dtype=np.int64)
    offsets = np.zeros(sources.shape[0]) if source_offset_m is None else np.asarray(source_offset_m, float)
    cell = float(cell_m or max(limit_m, 1.0))
    cx = np.floor(graph.x[sources] / cell).astype(np.int64)
    cy = np.floor(graph.y[sources] / cell).astype(np.int64)
    order = np.lexsort((cy, cx))
    key = np.stack([cx[order], cy[order]], axis=1)
    breaks = np.flatnonzero(np.any(key[1:] != key[:-1], axis=1)) + 1
    # cap the sources sharing one search so dense rows (sources x subgraph nodes) stay small
    breaks = np.union1d(breaks, np.arange(MAX_SOURCES_PER_SEARCH, sources.shape[0], MAX_SOURCES_PER_SEARCH))
    adjacency = graph.adjacency
    for group in np.split(order, breaks):
        if group.size == 0:
            continue
        # the disc around the group's sources that holds every path of at most limit_m from any of them:
        # a lone source searches only its own disc, not the whole cell's
        gx, gy = graph.x[sources[group]], graph.y[sources[group]]
        center = (float(gx.mean()), float(gy.mean()))
        radius = limit_m + float(np.hypot(gx - center[0], gy - center[1]).max())
        local_nodes = graph.buckets.within(center[0], center[1], radius)
        sub = adjacency[local_nodes][:, local_nodes]
        local_sources = np.searchsorted(local_nodes, sources[group])
        distance = dijkstra(sub, directed=True, indices=local_sources, limit=limit_m)
        distance = np.atleast_2d(distance) + offsets[group, None]
        distance[distance > limit_m] = np.inf
        yield LocalSearch(
            source_index=group,
            local_source=local_sources,
            subgraph_nodes=local_nodes,
            subgraph=sub,
            distance_m=distance,
        )
