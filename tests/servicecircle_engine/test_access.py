import networkx as nx
import numpy as np
import pytest

from civicgrid.servicecircle.engine import nearest_facility


def _nx_graph(graph, extra=()):
    """The public ways (private ones are walked only from inside a compound)."""
    public = ~graph.edge_private
    g = nx.Graph()
    g.add_nodes_from(range(graph.n_nodes))
    g.add_weighted_edges_from(
        zip(graph.u[public].tolist(), graph.v[public].tolist(), graph.length_m[public].tolist())
    )
    g.add_weighted_edges_from(extra)
    return g


def _dense(lengths, n):
    out = np.full(n, np.inf)
    out[list(lengths)] = list(lengths.values())
    return out


@pytest.mark.parametrize("limit", [300.0, 800.0])
def test_matches_networkx_on_helsinki(helsinki, limit):
    rng = np.random.default_rng(7)
    facilities = rng.choice(helsinki.n_nodes, 25, replace=False)
    ours = nearest_facility(graph=helsinki, facility_nodes=facilities, limit_m=limit)
    paths = nx.multi_source_dijkstra_path_length(_nx_graph(helsinki), set(facilities.tolist()), cutoff=limit)
    expected = _dense(paths, helsinki.n_nodes)
    np.testing.assert_array_equal(np.isfinite(ours.distance_m), np.isfinite(expected))
    reached = np.isfinite(expected)
    assert np.abs(ours.distance_m[reached] - expected[reached]).max() <= 1e-6
    assert (ours.facility[reached] >= 0).all() and (ours.facility[~reached] == -1).all()
    # the reported facility is at the reported distance
    g = _nx_graph(helsinki)
    for node in rng.choice(np.flatnonzero(reached), 20, replace=False):
        f = facilities[ours.facility[node]]
        assert nx.dijkstra_path_length(g, int(f), int(node)) == pytest.approx(ours.distance_m[node], abs=1e-6)


def test_facility_snap_offsets_match_networkx_with_stub_nodes(helsinki):
    rng = np.random.default_rng(3)
    facilities = rng.choice(helsinki.n_nodes, 20, replace=False)
    offsets = rng.uniform(0, 80, 20)
    offsets[0] = 0.0
    ours = nearest_facility(graph=helsinki, facility_nodes=facilities, limit_m=500, facility_offset_m=offsets)
    n = helsinki.n_nodes
    stubs = [(n + k, int(f), float(o)) for k, (f, o) in enumerate(zip(facilities, offsets))]
    paths = nx.multi_source_dijkstra_path_length(_nx_graph(helsinki, stubs), set(range(n, n + 20)), cutoff=500)
    expected = _dense({k: d for k, d in paths.items() if k < n}, n)
    np.testing.assert_array_equal(np.isfinite(ours.distance_m), np.isfinite(expected))
    reached = np.isfinite(expected)
    assert np.abs(ours.distance_m[reached] - expected[reached]).max() <= 1e-6
    node = facilities[0]
    assert ours.distance_m[node] == 0.0 and ours.facility[node] == 0


def test_matches_pandana_nearest_pois(helsinki):
    pd = pytest.importorskip("pandas")
    pandana = pytest.importorskip("pandana")
    rng = np.random.default_rng(11)
    facilities = rng.choice(helsinki.n_nodes, 30, replace=False)
    limit = 600.0
    ours = nearest_facility(graph=helsinki, facility_nodes=facilities, limit_m=limit)
    public = ~helsinki.edge_private
    nodes = pd.DataFrame({"x": helsinki.x, "y": helsinki.y})
    edges = pd.DataFrame({"from": helsinki.u[public].astype(np.int64), "to": helsinki.v[public].astype(np.int64)})
    net = pandana.Network(
        nodes.x, nodes.y, edges["from"], edges["to"], pd.DataFrame({"length": helsinki.length_m[public]}), twoway=True
    )
    net.set_pois("f", limit, 1, pd.Series(helsinki.x[facilities]), pd.Series(helsinki.y[facilities]))
    theirs = net.nearest_pois(limit, "f", num_pois=1)[1].to_numpy()
    # pandana returns the search distance itself for "nothing within reach"; its contraction hierarchy
    # stores edge weights as whole millimetres (truncated) and returns float32, so a path of k edges
    # can come out up to k mm short: 5 cm covers the up to ~40-edge paths within 600 m here.
    reached = ours.distance_m <= limit
    difference = theirs[reached] - ours.distance_m[reached]
    assert difference.max() < 1e-3
    assert difference.min() > -0.05
    assert np.median(np.abs(difference)) < 0.01
    assert np.all(theirs[~reached] >= limit - 0.05)
