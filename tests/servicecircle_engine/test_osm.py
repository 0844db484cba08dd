import numpy as np
from scipy.sparse.csgraph import dijkstra

from civicgrid.servicecircle.engine import contract_degree2
from civicgrid.servicecircle.engine.osm import graph_from_osm, is_walkable

from .conftest import DATA


def _edges_by_osm_ids(graph):
    ids = graph.node_ids
    return {tuple(sorted((int(ids[a]), int(ids[b])))) for a, b in zip(graph.u, graph.v)}


def test_filter_fixture():
    graph = graph_from_osm(path=DATA / "filters.osm")
    assert _edges_by_osm_ids(graph) == {(1, 2), (4, 5), (7, 8), (11, 12), (13, 14), (14, 15), (15, 16)}


def test_rules():
    assert not is_walkable({"highway": "footway", "foot": "no"})
    assert not is_walkable({"highway": "service", "access": "private"})
    assert is_walkable({"highway": "service", "access": "private", "foot": "permissive"})
    assert not is_walkable({"highway": "motorway", "foot": "yes"})
    assert not is_walkable({"highway": "trunk_link"})
    assert is_walkable({"highway": "trunk", "foot": "designated"})
    assert not is_walkable({"highway": "proposed"})
    assert not is_walkable({"building": "yes"})


def test_real_extract_counts(cau):
    # shared/data/osm/README.md measured the same walk graph with pyosmium: 1,409 nodes / 1,584 edges
    assert (cau.n_nodes, cau.n_edges) == (1409, 1584)
    assert 60_000 < cau.length_m.sum() < 70_000


def test_lengths_are_geodesic(cau):
    straight = np.hypot(cau.x[cau.u] - cau.x[cau.v], cau.y[cau.u] - cau.y[cau.v])
    np.testing.assert_allclose(cau.length_m, straight, rtol=2e-3, atol=1e-3)


def test_compression_keeps_distances_between_kept_nodes(helsinki):
    compressed = contract_degree2(helsinki)
    assert compressed.n_nodes < helsinki.n_nodes / 2
    old_index = {int(i): k for k, i in enumerate(helsinki.node_ids)}
    sample = compressed.node_ids[:: max(compressed.n_nodes // 40, 1)]
    full = dijkstra(helsinki.adjacency, indices=[old_index[int(i)] for i in sample])
    small = dijkstra(compressed.adjacency, indices=np.searchsorted(compressed.node_ids, sample))
    kept_in_full = np.array([old_index[int(i)] for i in compressed.node_ids])
    np.testing.assert_allclose(small, full[:, kept_in_full], atol=1e-6)
