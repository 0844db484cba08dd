import numpy as np
import pytest
from scipy.sparse.csgraph import dijkstra

from civicgrid.servicecircle.engine import GraphFormatError, load_graph, make_graph, save_graph
from civicgrid.servicecircle.engine.graph import FORMAT_NAME


def test_parallel_edges_keep_minimum_and_self_loops_go():
    graph = make_graph(
        lon=np.array([116.2, 116.201, 116.202]),
        lat=np.array([39.9, 39.9, 39.9]),
        u=np.array([0, 1, 0, 1, 2]),
        v=np.array([1, 0, 1, 1, 1]),
        length_m=np.array([80.0, 50.0, 70.0, 5.0, 30.0]),
    )
    assert graph.n_edges == 2
    assert dict(zip(zip(graph.u.tolist(), graph.v.tolist()), graph.length_m.tolist())) == {(0, 1): 50.0, (1, 2): 30.0}
    # a CSR built from the raw duplicates would sum them to 200 m
    assert dijkstra(graph.adjacency, indices=0)[1] == 50.0


def test_projected_lengths_are_metres():
    graph = make_graph(lon=np.array([116.2, 116.201]), lat=np.array([39.9, 39.9]), u=[0], v=[1])
    assert graph.crs == "EPSG:32650"
    assert graph.length_m[0] == pytest.approx(85.4, abs=0.5)  # 0.001° of longitude at 39.9° N


def test_save_load_round_trip(tmp_path, cau):
    path = tmp_path / "g.npz"
    save_graph(cau, path=path)
    loaded = load_graph(path=path)
    assert loaded.crs == cau.crs
    for name in ("lon", "lat", "x", "y", "u", "v", "length_m", "node_ids"):
        np.testing.assert_array_equal(getattr(loaded, name), getattr(cau, name))
    assert (loaded.adjacency != cau.adjacency).nnz == 0


def test_wrong_version_is_a_clear_error(tmp_path):
    path = tmp_path / "old.npz"
    np.savez(path, format_name=np.array(FORMAT_NAME), format_version=np.array(0))
    with pytest.raises(GraphFormatError, match="format version 0"):
        load_graph(path=path)
    other = tmp_path / "other.npz"
    np.savez(other, a=np.zeros(2))
    with pytest.raises(GraphFormatError, match="not a"):
        load_graph(path=other)
