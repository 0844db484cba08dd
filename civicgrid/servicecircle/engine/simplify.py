"""Contract chains of degree-2 nodes into single edges with exact summed lengths."""

from __future__ import annotations

import numpy as np

from .graph import WalkGraph, make_graph, subgraph


def contract_degree2(graph: WalkGraph, *, keep: np.ndarray | None = None) -> WalkGraph:
    """Remove every degree-2 node not in ``keep``; shortest-path distances between kept nodes are unchanged.

    A cycle made only of degree-2 nodes keeps one of them.
    """
    adjacency = graph.adjacency
    indptr, neighbours, weights = adjacency.indptr, adjacency.indices, adjacency.data
    kept = graph.degree != 2
    if keep is not None:
        kept |= np.asarray(keep, dtype=bool)
    visited = kept.copy()
    new_u: list[int] = []
    new_v: list[int] = []
    new_length: list[float] = []

    def walk_from(start: int) -> None:
        for slot in range(indptr[start], indptr[start + 1]):
            previous, current, length = start, int(neighbours[slot]), float(weights[slot])
            while not kept[current]:
                visited[current] = True
                lo = indptr[current]
                # degree-2 node: continue through the neighbour we did not come from
                step = lo if neighbours[lo] != previous else lo + 1
                previous, current = current, int(neighbours[step])
                length += float(weights[step])
            new_u.append(start)
            new_v.append(current)
            new_length.append(length)

    for node in np.flatnonzero(kept):
        walk_from(int(node))
    for node in np.flatnonzero(~visited):
        if not visited[node]:
            kept[node] = True
            visited[node] = True
            walk_from(int(node))

    contracted = make_graph(
        lon=graph.lon,
        lat=graph.lat,
        u=np.asarray(new_u, dtype=np.int64),
        v=np.asarray(new_v, dtype=np.int64),
        length_m=np.asarray(new_length, dtype=np.float64),
        crs=graph.crs,
        node_ids=graph.node_ids,
    )
    return subgraph(contracted, keep=kept)
