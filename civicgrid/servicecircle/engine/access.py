"""Distance from every node to the nearest facility of a category: one bounded multi-source Dijkstra."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

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
