"""Every caller places points on the street they stand on, the same way: a home mid-way along a 400 m street
whose nearest vertex belongs to another road. Snapped to that vertex, the home would walk about 1 km round to
a facility 210 m away along its own street; each test below fails with vertex snapping."""

import numpy as np
import pytest
import shapely
from pyproj import Transformer

from civicgrid.servicecircle.engine import (
    at_nodes,
    attach_points,
    check_new_compound,
    coverage_from_network,
    isochrones_by_distance,
    make_graph,
    nearest_from_attached,
    reach_from_sources,
    snap_points,
)
from civicgrid.volunteering.matching import _network_distances

CRS = "EPSG:32650"
ORIGIN = (430_000.0, 4_420_000.0)  # UTM 50N, Shijingshan


def _lonlat(x, y):
    to_wgs = Transformer.from_crs(CRS, "EPSG:4326", always_xy=True)
    return to_wgs.transform(ORIGIN[0] + np.asarray(x, float), ORIGIN[1] + np.asarray(y, float))


@pytest.fixture(scope="module")
def street():
    """Street A: 0 (0, 0) — 1 (400, 0). Road B: 2 (200, 30) — 3 (200, 330) — 4 (400, 330) — 1: the vertex nearest
    to the home at (200, 10) is 2, on road B, 20 m away; street A is 10 m away."""
    x = np.array([0.0, 400.0, 200.0, 200.0, 400.0])
    y = np.array([0.0, 0.0, 30.0, 330.0, 330.0])
    lon, lat = _lonlat(x, y)
    return make_graph(lon=lon, lat=lat, u=np.array([0, 2, 3, 4]), v=np.array([1, 3, 4, 1]), crs=CRS)


HOME = _lonlat([200.0], [10.0])


def test_the_home_is_on_street_a_not_at_the_vertex_of_road_b(street):
    placed = attach_points(graph=street, lon=HOME[0], lat=HOME[1], limit_m=150.0)
    assert {int(placed.u[0]), int(placed.v[0])} == {0, 1}
    assert placed.offset_m[0] == pytest.approx(10.0, abs=0.01)
    assert placed.along_u_m[0] == pytest.approx(200.0, abs=0.01)
    # what the vertex snap did
    assert snap_points(graph=street, lon=HOME[0], lat=HOME[1], limit_m=150.0).node.tolist() == [2]


def test_isochrone_from_the_home_runs_along_its_own_street(street):
    home = attach_points(graph=street, lon=HOME[0], lat=HOME[1], limit_m=150.0)
    polygon = isochrones_by_distance(graph=street, sources=home, distances_m=[300.0], buffer_m=10.0)[0, 0]
    x, y = street.project(lon=np.array(_lonlat([20.0, 380.0, 200.0], [0.0, 0.0, 200.0])[0]),
                          lat=np.array(_lonlat([20.0, 380.0, 200.0], [0.0, 0.0, 200.0])[1]))
    # both ends of street A are within 10 + 180 m; road B's middle is far by the network
    assert shapely.contains_xy(polygon, x[:2], y[:2]).all()
    assert not shapely.contains_xy(polygon, x[2], y[2])


def test_reach_from_a_home_walks_both_ways_along_its_street(street):
    home = attach_points(graph=street, lon=HOME[0], lat=HOME[1], limit_m=150.0)
    reach = reach_from_sources(graph=street, sources=home, limit_m=1100.0)
    nodes, distance = reach.row(0)
    got = dict(zip(nodes.tolist(), distance.tolist(), strict=True))
    assert got[0] == pytest.approx(210.0, abs=0.01) and got[1] == pytest.approx(210.0, abs=0.01)
    # the vertex of road B next to the home is 1 km away on foot (a vertex snap called it 20 m)
    assert got[2] == pytest.approx(210.0 + 330 + 200 + 300, abs=0.01)


def test_site_recommendation_coverage_counts_the_home(street):
    home = attach_points(graph=street, lon=HOME[0], lat=HOME[1], limit_m=150.0)
    site = at_nodes(street, np.array([0]))
    coverage = coverage_from_network(graph=street, demand=home, candidates=site, radius_m=300.0)
    assert coverage.toarray().tolist() == [[True]]


def test_home_and_candidate_on_the_same_street_walk_straight_along_it(street):
    home = attach_points(graph=street, lon=HOME[0], lat=HOME[1], limit_m=150.0)
    site = attach_points(graph=street, lon=_lonlat([260.0], [-5.0])[0], lat=_lonlat([260.0], [-5.0])[1],
                         limit_m=150.0)
    # 10 + 60 + 5 m along street A; through either end it would be more than 400 m
    assert coverage_from_network(graph=street, demand=home, candidates=site, radius_m=80.0).toarray()[0, 0]
    assert not coverage_from_network(graph=street, demand=home, candidates=site, radius_m=70.0).toarray()[0, 0]


def test_new_compound_check_reaches_the_facility_along_its_street(street):
    nearest = {"clinic": nearest_from_attached(graph=street, facilities=at_nodes(street, np.array([0])),
                                               limit_m=300.0)}
    check = check_new_compound(graph=street, lon=float(HOME[0][0]), lat=float(HOME[1][0]), population=500,
                               nearest=nearest)
    assert check.missing == ()
    assert check.distance_m["clinic"] == pytest.approx(210.0, abs=0.01)


def test_volunteer_matching_walks_from_the_street_each_stands_on(street):
    helper = _lonlat([20.0], [-8.0])  # by vertex 0, 8 m south of street A
    straight = [999.0]
    got = _network_distances(street, (float(HOME[0][0]), float(HOME[1][0])),
                             [(float(helper[0][0]), float(helper[1][0]))], straight)
    assert got[0] == pytest.approx(10.0 + 180.0 + 8.0, abs=0.01)


def test_a_compound_with_gates_is_one_source_entered_through_any_of_them(street):
    # two gate rows of one owner: at vertex 0 and at vertex 3; the nearer one wins for every node
    gates = at_nodes(street, np.array([0, 3]))
    reach = reach_from_sources(graph=street, sources=gates, owner=np.array([0, 0]), limit_m=2000.0)
    nodes, distance = reach.row(0)
    got = dict(zip(nodes.tolist(), distance.tolist(), strict=True))
    assert got[0] == 0.0 and got[3] == 0.0
    assert got[4] == pytest.approx(200.0, abs=0.01)  # from the gate at 3
    assert got[1] == pytest.approx(400.0, abs=0.01)  # from the gate at 0 (through 3 it is 530 m)
