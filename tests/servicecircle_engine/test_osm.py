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
    # 103 (access=private) is kept as a private edge; 106 (trunk, no foot tag) has sidewalks by default
    assert _edges_by_osm_ids(graph) == {(1, 2), (3, 4), (4, 5), (6, 7), (7, 8), (11, 12), (13, 14), (14, 15), (15, 16)}
    private = {e for e, p in zip(sorted(_edges_by_osm_ids(graph)), _private_sorted(graph), strict=True) if p}
    assert private == {(3, 4)}


def _private_sorted(graph):
    ids = graph.node_ids
    pairs = [
        (tuple(sorted((int(ids[a]), int(ids[b])))), bool(p))
        for a, b, p in zip(graph.u, graph.v, graph.edge_private, strict=True)
    ]
    return [p for _, p in sorted(pairs)]


def test_rules():
    assert not is_walkable({"highway": "footway", "foot": "no"})
    assert not is_walkable({"highway": "service", "access": "private"})
    assert is_walkable({"highway": "service", "access": "private", "foot": "permissive"})
    assert not is_walkable({"highway": "motorway", "foot": "yes"})
    assert is_walkable({"highway": "trunk_link"})
    assert is_walkable({"highway": "trunk", "foot": "designated"})
    assert not is_walkable({"highway": "proposed"})
    assert not is_walkable({"building": "yes"})


def test_real_extract_counts(cau):
    # trunk/primary walked without foot tags, cycleways only with foot=yes/designated (module README)
    assert (cau.n_nodes, cau.n_edges) == (1369, 1501)
    assert 55_000 < cau.length_m.sum() < 70_000


def test_lengths_are_geodesic(cau):
    straight = np.hypot(cau.x[cau.u] - cau.x[cau.v], cau.y[cau.u] - cau.y[cau.v])
    np.testing.assert_allclose(cau.length_m, straight, rtol=2e-3, atol=1e-3)


def test_compression_keeps_distances_between_kept_nodes(helsinki):
    compressed = contract_degree2(helsinki)
    # both ends of private and off-ground edges are kept, so that those edges keep their attributes
    assert compressed.n_nodes < helsinki.n_nodes * 0.6
    assert compressed.edge_private.sum() > 0 and (compressed.edge_level != 0).sum() > 0
    old_index = {int(i): k for k, i in enumerate(helsinki.node_ids)}
    sample = compressed.node_ids[:: max(compressed.n_nodes // 40, 1)]
    full = dijkstra(helsinki.adjacency, indices=[old_index[int(i)] for i in sample])
    small = dijkstra(compressed.adjacency, indices=np.searchsorted(compressed.node_ids, sample))
    kept_in_full = np.array([old_index[int(i)] for i in compressed.node_ids])
    np.testing.assert_allclose(small, full[:, kept_in_full], atol=1e-6)
