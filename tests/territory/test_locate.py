"""Point-in-grid: the STRtree index agrees with naive containment; the index follows geometry changes."""

import numpy as np
import pytest
import shapely

from civicgrid.territory import geometry as geo
from civicgrid.territory import locate, services
from civicgrid.territory.gridindex import GridIndex
from civicgrid.territory.models import Region


@pytest.fixture(scope="module")
def generated_grids(outline):
    rng = np.random.default_rng(5)
    pieces = geo.partition(outline, rng.uniform(0.5, 1.5, 120), seed=5)
    return [f"110107001001{i:03d}" for i in range(len(pieces))], pieces


def _naive(codes, geoms, lons, lats):
    found = []
    for lon, lat in zip(lons, lats, strict=True):
        point = shapely.Point(lon, lat)
        found.append(next((code for code, g in zip(codes, geoms, strict=True) if g.covers(point)), None))
    return found


def test_index_agrees_with_naive_containment_inside_and_outside(outline, generated_grids):
    codes, geoms = generated_grids
    index = GridIndex(codes, geoms)
    rng = np.random.default_rng(9)
    minx, miny, maxx, maxy = outline.buffer(0.02).bounds
    lons, lats = rng.uniform(minx, maxx, 2000), rng.uniform(miny, maxy, 2000)
    expected = _naive(codes, geoms, lons, lats)
    assert list(index.locate_many(lons, lats)) == expected
    assert [index.locate(x, y) for x, y in zip(lons[:300], lats[:300], strict=True)] == expected[:300]
    assert sum(code is None for code in expected) > 100  # the sample does include outside points
    assert sum(code is not None for code in expected) > 500


def test_a_point_on_a_shared_edge_goes_to_the_first_grid():
    left = shapely.box(0, 0, 1, 1)
    right = shapely.box(1, 0, 2, 1)
    index = GridIndex(["a", "b"], [left, right])
    assert index.locate(1.0, 0.5) == "a"
    assert list(index.locate_many([1.0, 1.5, 3.0], [0.5, 0.5, 0.5])) == ["a", "b", None]


def test_empty_index_finds_nothing():
    assert list(GridIndex([], []).locate_many([1.0], [2.0])) == [None]


@pytest.mark.django_db
def test_locate_returns_the_region(regions):
    assert locate.locate(116.155, 39.905) == regions["grid_a"]
    assert locate.locate(116.205, 39.905) == regions["grid_b"]
    assert locate.locate(116.17, 39.95) is None
    assert list(locate.locate_many([116.155, 116.205, 0.0], [39.905, 39.905, 0.0])) == [
        regions["grid_a"].code, regions["grid_b"].code, None]


@pytest.mark.django_db
def test_index_is_rebuilt_after_a_boundary_change_in_this_process(regions, django_capture_on_commit_callbacks):
    assert locate.locate(116.165, 39.915) is None
    moved = {"type": "Polygon", "coordinates": [[[116.16, 39.91], [116.17, 39.91], [116.17, 39.92],
                                                 [116.16, 39.92], [116.16, 39.91]]]}
    with django_capture_on_commit_callbacks(execute=True):
        services.set_boundary(actor=None, region=regions["grid_a"], boundary=moved)  # still inside community a
    assert locate.locate(116.165, 39.915) == regions["grid_a"]
    assert locate.locate(116.155, 39.905) is None


@pytest.mark.django_db
def test_index_notices_changes_made_by_another_process(regions, monkeypatch):
    assert locate.locate(116.155, 39.905) == regions["grid_a"]
    elsewhere = {"type": "Polygon", "coordinates": [[[117, 40], [117.01, 40], [117.01, 40.01], [117, 40]]]}
    Region.objects.filter(pk=regions["grid_a"].pk).update(boundary=elsewhere, geometry_version=7)
    assert locate.locate(116.155, 39.905) == regions["grid_a"]  # cached until the next stamp check
    monkeypatch.setattr(locate, "CHECK_SECONDS", 0.0)
    assert locate.locate(116.155, 39.905) is None
    assert locate.locate(117.005, 40.002) == regions["grid_a"]
