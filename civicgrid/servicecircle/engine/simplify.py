"""Contract chains of degree-2 nodes into single edges with exact summed lengths."""

from __future__ import annotations

import numpy as np

from .graph import WalkGraph, make_graph, subgraph


def contract_degree2(graph: WalkGraph, *, keep: np.ndarray | None = None) -> WalkGraph:
    """Remove every degree-2 node not in ``keep``; shortest-path distances between kept nodes are unchanged.

    A cycle made only of degree-2 nodes keeps one of them. Gates and both ends of every private or
    off-ground edge are kept, so those edges keep their attributes; the geometry between kept nodes becomes
    a chord, which makes attaching points to streets approximate.
    """
    adjacency = graph.full_adjacency
    indptr, neighbours, weights = adjacency.indptr, adjacency.indices, adjacency.data
    kept = (graph.degree != 2) | graph.gate
    special = graph.edge_private | (graph.edge_level != 0)
    kept[graph.u[special]] = True
    kept[graph.v[special]] = True
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

    new_u_arr = np.asarray(new_u, dtype=np.int64)
    new_v_arr = np.asarray(new_v, dtype=np.int64)
    private, level = _special_attributes(graph, special, new_u_arr, new_v_arr)
    contracted = make_graph(
        lon=graph.lon,
        lat=graph.lat,
        u=new_u_arr,
        v=new_v_arr,
        length_m=np.asarray(new_length, dtype=np.float64),
        crs=graph.crs,
        node_ids=graph.node_ids,
        edge_private=private,
        edge_level=level,
        gate=graph.gate,
        barriers=graph.barriers,
    )
    return subgraph(contracted, keep=kept)


def _special_attributes(
    graph: WalkGraph, special: np.ndarray, u: np.ndarray, v: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Private/level of the contracted edges: an edge between two ends of a special edge is that edge."""
    n = np.int64(graph.n_nodes)
    special_keys = np.minimum(graph.u[special], graph.v[special]) * n + np.maximum(graph.u[special], graph.v[special])
    keys = np.minimum(u, v) * n + np.maximum(u, v)
    order = np.argsort(special_keys)
    pos = np.clip(np.searchsorted(special_keys[order], keys), 0, max(order.shape[0] - 1, 0))
    private = np.zeros(u.shape[0], dtype=bool)
    level = np.zeros(u.shape[0], dtype=np.int8)
    if order.size:
        match = special_keys[order][pos] == keys
        private[match] = graph.edge_private[special][order][pos[match]]
        level[match] = graph.edge_level[special][order][pos[match]]
    return private, level
