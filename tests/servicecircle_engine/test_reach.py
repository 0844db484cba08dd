import numpy as np
from scipy.sparse.csgraph import dijkstra

from civicgrid.servicecircle.engine import at_nodes
from civicgrid.servicecircle.engine.reach import reach_from_sources


def test_local_searches_equal_a_full_dijkstra_for_clustered_and_lone_sources(helsinki):
    rng = np.random.default_rng(3)
    clustered = np.flatnonzero(np.hypot(helsinki.x - helsinki.x[100], helsinki.y - helsinki.y[100]) < 300)[:40]
    lone = rng.choice(helsinki.n_nodes, 25, replace=False)
    sources = np.concatenate([clustered, lone])
    offsets = rng.uniform(0, 80, sources.shape[0])
    limit = 700.0
    reach = reach_from_sources(graph=helsinki, sources=at_nodes(helsinki, sources, offset_m=offsets), limit_m=limit)
    full = dijkstra(helsinki.adjacency, indices=sources, limit=limit) + offsets[:, None]
    for i in range(sources.shape[0]):
        nodes, distance = reach.row(i)
        expected = np.flatnonzero(full[i] <= limit)
        np.testing.assert_array_equal(np.sort(nodes), expected)
        np.testing.assert_allclose(distance[np.argsort(nodes)], full[i, expected], atol=1e-6)
