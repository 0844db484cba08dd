"""The boundary generator on the real Shijingshan outline: pieces, no gaps or overlaps, areas by weight."""

import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon

from civicgrid.territory import geometry as geo

WEIGHTS = [3.0, 1.0, 2.0, 1.5, 0.7, 2.2, 1.1, 0.9, 1.6]


@pytest.fixture(scope="module")
def pieces(outline):
    return geo.partition(outline, WEIGHTS, seed=11)


def test_partition_gives_one_valid_polygon_per_weight(pieces):
    assert len(pieces) == len(WEIGHTS)
    assert all(isinstance(p, Polygon) and p.is_valid and not p.is_empty for p in pieces)


def test_partition_has_no_gaps_or_overlaps(outline, pieces):
    figures = geo.check_partition(outline, pieces)
    assert figures["union_area_error"] < 1e-9
    assert figures["symmetric_difference"] < 1e-9
    assert figures["overlap"] < 1e-9
    assert figures["invalid"] == 0


def test_partition_areas_follow_the_weights_on_the_ground(pieces):
    areas = geo.areas_km2(pieces)
    shares = areas / areas.sum()
    expected = np.array(WEIGHTS) / sum(WEIGHTS)
    assert np.all(np.abs(shares / expected - 1) < 0.03)


def test_partition_is_deterministic_by_seed(outline, pieces):
    again = geo.partition(outline, WEIGHTS, seed=11)
    assert all(a.equals_exact(b, 0) for a, b in zip(pieces, again, strict=True))
    other = geo.partition(outline, WEIGHTS, seed=12)
    assert not all(a.equals_exact(b, 0) for a, b in zip(pieces, other, strict=True))


def test_nested_partition_of_many_small_pieces_stays_exact(pieces):
    rng = np.random.default_rng(3)
    parent = pieces[0]
    children = geo.partition(parent, rng.lognormal(0, 0.5, 18), seed=5)
    figures = geo.check_partition(parent, children)
    assert figures["invalid"] == 0 and figures["union_area_error"] < 1e-9 and figures["overlap"] < 1e-9


def test_one_weight_returns_the_polygon_and_bad_weights_fail(outline):
    assert geo.partition(outline, [1])[0].equals(outline)
    for weights in ([], [1, 0], [1, -2], [1, float("nan")]):
        with pytest.raises(geo.PartitionError):
            geo.partition(outline, weights)


def test_district_area_is_plausible(outline):
    assert 80 < geo.area_km2(outline) < 90  # Shijingshan is about 84 km²


def test_random_points_fall_inside(outline):
    lons, lats = geo.random_points(outline, 500, np.random.default_rng(1))
    assert len(lons) == 500
    assert shapely.contains_xy(outline, lons, lats).all()


def test_center_is_inside_even_for_a_crescent():
    crescent = shapely.Point(0, 0).buffer(1).difference(shapely.Point(0.5, 0).buffer(0.9))
    lon, lat = geo.center(crescent)
    assert crescent.contains(shapely.Point(lon, lat))


def test_geojson_round_trip(outline):
    data = geo.to_geojson(outline)
    assert data["type"] == "Polygon" and isinstance(data["coordinates"][0][0], list)
    assert geo.from_geojson(geo.feature(outline, {"code": "110107"})).equals(outline)


def test_geometry_problems_are_reported():
    bowtie = Polygon([(116, 39), (116.1, 39.1), (116.1, 39), (116, 39.1)])
    assert any("invalid" in p for p in geo.geometry_problems(bowtie))
    assert geo.geometry_problems(shapely.Point(116, 39))
    far = Polygon([(500, 10), (501, 10), (501, 11)])
    assert any("range" in p for p in geo.geometry_problems(far))
