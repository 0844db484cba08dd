"""Demo assets are generated along the demo streets: valid codes of their class, inside a grid, owned by the
demo owner units; the streets come from the generated network's long straight runs."""

import numpy as np
import pytest
import shapely

from civicgrid.assets.classes import BY_CODE, code_problem
from civicgrid.assets.demo import OWNER_NAMES, seed_demo_assets
from civicgrid.assets.models import Asset
from civicgrid.servicecircle import engine
from civicgrid.servicecircle.engine.streets import name_streets
from civicgrid.territory import services as territory
from tests.conftest import DISTRICT, GRID_A, GRID_B

pytestmark = pytest.mark.django_db


def test_assets_are_placed_along_each_street_with_codes_of_their_class(regions):
    territory.replace_streets(actor=None, district_code=DISTRICT, generated=True, source="test", streets=[
        ("鲁谷路", [(116.150, 39.905), (116.160, 39.905)]), ("杨庄路", [(116.205, 39.901), (116.205, 39.909)])])
    summary = seed_demo_assets(district_code=DISTRICT)
    assets = list(Asset.objects.all())
    assert summary["assets"] == len(assets) > 40
    assert {a.region_code for a in assets} == {GRID_A, GRID_B}
    assert all(code_problem(a.code, a.kind) is None and a.kind in BY_CODE and a.generated for a in assets)
    assert {a.owner_unit for a in assets} <= set(OWNER_NAMES)
    lamps = sorted((a for a in assets if a.kind == "0118" and a.address == "鲁谷路"), key=lambda a: a.lon)
    gaps = np.diff([a.lon for a in lamps]) * 111_320 * np.cos(np.radians(39.905))
    assert np.allclose(gaps, 40, atol=1)  # one lamp every 40 m
    assert seed_demo_assets(district_code=DISTRICT) == summary  # re-seeding replaces, never duplicates
    assert Asset.objects.count() == len(assets)


def test_streets_of_a_generated_grid_are_long_straight_and_apart():
    square = shapely.box(116.15, 39.90, 116.20, 39.94)
    graph = engine.synthetic_street_grid(n_nodes=3000, seed=3, boundary=square)
    streets = name_streets(graph, east_west=["东西一路", "东西二路"], north_south=["南北一路"], min_gap_m=500)
    assert [name for name, _ in streets] == ["东西一路", "东西二路", "南北一路"]
    for name, coords in streets:
        lons, lats = np.array(coords).T
        along, across = (lons, lats) if name.startswith("东西") else (lats, lons)
        assert np.ptp(along) > 0.009 and np.ptp(across) < 0.002  # over 800 m long, nearly straight
    first, second = (np.median(np.array(c)[:, 1]) for _n, c in streets[:2])
    assert abs(first - second) * 111_320 >= 500
