"""Named streets for a generated (grid-like) walking network: the long straight runs of its edges.

Only for demo networks: on a synthetic grid a street is a chain of edges that run mostly east–west (or
north–south); the longest chains, kept apart by `min_gap_m`, get the names given. A real network carries its
names from its source instead."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from .graph import WalkGraph


def _runs(graph: WalkGraph, horizontal: bool) -> list[np.ndarray]:
    """Node chains of the edges running mostly along one axis, longest first."""
    dx = np.abs(graph.x[graph.u] - graph.x[graph.v])
    dy = np.abs(graph.y[graph.u] - graph.y[graph.v])
    # a diagonal of a jittered grid cell moves at least half a spacing across: keep only what stays in its row
    across_limit = 0.45 * float(np.median(graph.length_m)) if graph.n_edges else 0.0
    keep = (dx > 1.5 * dy) & (dy < across_limit) if horizontal else (dy > 1.5 * dx) & (dx < across_limit)
    u, v = graph.u[keep], graph.v[keep]
    matrix = sp.coo_matrix((np.ones(u.size), (u, v)), shape=(graph.n_nodes, graph.n_nodes))
    _count, labels = connected_components(matrix, directed=False)
    used = np.zeros(graph.n_nodes, bool)
    used[u], used[v] = True, True
    axis = graph.x if horizontal else graph.y
    runs = []
    for label in np.unique(labels[used]):
        nodes = np.flatnonzero((labels == label) & used)
        runs.append(nodes[np.argsort(axis[nodes])])
    return sorted(runs, key=lambda n: -(np.ptp((graph.x if horizontal else graph.y)[n])))


def _pick(graph: WalkGraph, runs, names, horizontal: bool, min_gap_m: float, min_length_m: float):
    across = graph.y if horizontal else graph.x
    along = graph.x if horizontal else graph.y
    chosen: list[tuple[str, list[tuple[float, float]]]] = []
    positions: list[float] = []
    for nodes in runs:
        if len(chosen) == len(names) or np.ptp(along[nodes]) < min_length_m:
            break
        where = float(np.median(across[nodes]))
        if any(abs(where - p) < min_gap_m for p in positions):
            continue
        positions.append(where)
        coords = [(float(graph.lon[n]), float(graph.lat[n])) for n in nodes]
        chosen.append((names[len(chosen)], coords))
    return chosen


def name_streets(graph: WalkGraph, *, east_west, north_south, min_gap_m: float = 600.0,
                 min_length_m: float = 800.0) -> list[tuple[str, list[tuple[float, float]]]]:
    """[(name, [(lon, lat), …]), …]: up to len(east_west) east–west and len(north_south) north–south streets."""
    return (_pick(graph, _runs(graph, True), list(east_west), True, min_gap_m, min_length_m)
            + _pick(graph, _runs(graph, False), list(north_south), False, min_gap_m, min_length_m))
