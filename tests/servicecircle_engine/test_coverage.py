import numpy as np
import pytest

from civicgrid.servicecircle.engine import (
    at_nodes,
    check_new_compound,
    group_coverage,
    nearest_facility,
    nearest_from_attached,
    place_coverage,
    uncovered_population,
)


def test_place_and_group_coverage(square):
    nearest = {
        "clinic": nearest_facility(graph=square, facility_nodes=np.array([0]), limit_m=120.0),
        "market": nearest_facility(
            graph=square, facility_nodes=np.array([2]), limit_m=500.0, facility_offset_m=np.array([30.0])
        ),
    }
    # places at nodes 0, 1, 2 with snap distances; the last one failed to snap
    coverage = place_coverage(
        place_nodes=np.array([0, 1, 2, -1]), place_offset_m=np.array([0.0, 15.0, 0.0, 900.0]), nearest=nearest
    )
    assert coverage.categories == ("clinic", "market")
    np.testing.assert_allclose(coverage.distance_m[:3], [[0, 180], [115, 145], [np.inf, 30]])
    assert coverage.covered.tolist() == [[True, True], [True, True], [False, True], [False, False]]
    population = np.array([100.0, 200.0, 300.0, 400.0])
    groups = group_coverage(coverage=coverage, group=np.array(["A", "A", "B", "B"]), population=population)
    assert groups.groups.tolist() == ["A", "B"]
    np.testing.assert_allclose(groups.covered_population, [[300, 300], [0, 300]])
    np.testing.assert_allclose(groups.uncovered_population, [[0, 0], [700, 400]])
    np.testing.assert_allclose(groups.score, [1.0, 300 / (700 * 2)])
    assert uncovered_population(coverage=coverage, population=population) == {"clinic": 700.0, "market": 400.0}


def test_new_compound_lacks(square):
    # facilities at vertices 0 and 2; the compound stands on edge 1-2, 10 m (of its 100) from vertex 1
    nearest = {
        "clinic": nearest_from_attached(graph=square, facilities=at_nodes(square, np.array([0])), limit_m=120.0),
        "school": nearest_from_attached(graph=square, facilities=at_nodes(square, np.array([2])), limit_m=50.0),
    }
    check = check_new_compound(graph=square, lon=116.201, lat=39.9001, population=800, nearest=nearest)
    assert check.snapped and check.snap_distance_m < 0.5
    assert check.missing == ("school",)
    assert check.distance_m["clinic"] == pytest.approx(10 + 100 + check.snap_distance_m, abs=0.01)
    far = check_new_compound(graph=square, lon=116.3, lat=39.9, population=800, nearest=nearest)
    assert not far.snapped and far.missing == ("clinic", "school")
