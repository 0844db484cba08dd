"""Service-circle fixtures: a regular 100 m street lattice over the two test grids (so walking distances are
multiples of 100 m and can be checked by hand), the default categories, and a few places and facilities.

Lattice node (i, j) lies 100·i m east and 100·j m north of the south-west corner of grid A (116.15, 39.90) in
UTM 50N. Grid A spans i = 0…8, grid B (0.05° further east) i = 43…51; j = 0…11 for both."""

import numpy as np
import pytest

from civicgrid.servicecircle import engine, services
from civicgrid.servicecircle.reference import seed_categories
from civicgrid.territory.models import Place, PlaceKind
from tests.conftest import DISTRICT

pytestmark = pytest.mark.xdist_group("servicecircle")

ORIGIN = (116.15, 39.90)
SPACING = 100.0
COLS, ROWS = 56, 12


def _lattice() -> engine.WalkGraph:
    crs = "EPSG:32650"
    probe = engine.make_graph(lon=np.array([ORIGIN[0]]), lat=np.array([ORIGIN[1]]), u=np.empty(0), v=np.empty(0),
                              crs=crs)
    ii, jj = np.meshgrid(np.arange(COLS), np.arange(ROWS), indexing="ij")
    x = probe.x[0] + SPACING * ii.ravel()
    y = probe.y[0] + SPACING * jj.ravel()
    lon, lat = probe.unproject(x=x, y=y)
    index = np.arange(COLS * ROWS).reshape(COLS, ROWS)
    u = np.concatenate([index[:-1, :].ravel(), index[:, :-1].ravel()])
    v = np.concatenate([index[1:, :].ravel(), index[:, 1:].ravel()])
    return engine.make_graph(lon=lon, lat=lat, u=u, v=v, length_m=np.full(u.shape[0], SPACING), crs=crs)


LATTICE = _lattice()


def node(i: int, j: int) -> tuple[float, float]:
    """(lon, lat) of lattice node (i, j)."""
    k = i * ROWS + j
    return float(LATTICE.lon[k]), float(LATTICE.lat[k])


@pytest.fixture
def categories(db):
    seed_categories()


@pytest.fixture
def network(regions, categories, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return services.store_network(actor=None, district_code=DISTRICT, graph=LATTICE, source="test lattice",
                                  generated=True)


def make_place(grid, name, at, population, kind=PlaceKind.OLD_COMPOUND):
    lon, lat = at if isinstance(at[0], float) else node(*at)
    return Place.objects.create(grid=grid, name=name, kind=kind, lon=lon, lat=lat, population=population,
                                households=population // 3)


@pytest.fixture
def scene(network, regions, users):
    """Five compounds (one 2 km off the network), a kindergarten (300 m) and a primary school (500 m).

    kindergarten at (4,2): P1 (2,2) 200 m ✓, P2 (6,2) 200 m ✓, P3 (2,8) 800 m ✗, P4 in grid B ✗
    primary school at (2,6): P1 400 m ✓, P2 800 m ✗, P3 200 m ✓, P4 ✗; P5 is beyond the snap limit.
    """
    a, b = regions["grid_a"], regions["grid_b"]
    places = {
        "p1": make_place(a, "一号院", (2, 2), 1000),
        "p2": make_place(a, "二号院", (6, 2), 500),
        "p3": make_place(a, "三号院", (2, 8), 200),
        "p4": make_place(b, "四号院", (46, 5), 300),
        "p5": make_place(a, "山上院", (116.155, 39.93), 100),
        "site": make_place(a, "公建用地", (5, 5), 0, kind=PlaceKind.FACILITY_SITE),
    }
    district = users["district"]
    k_lon, k_lat = node(4, 2)
    s_lon, s_lat = node(2, 6)
    facilities = {
        "kindergarten": services.create_facility(actor=district, category="kindergarten", name="阳光幼儿园",
                                                 lon=k_lon, lat=k_lat, capacity=120),
        "school": services.create_facility(actor=district, category="小学", name="实验小学", lon=s_lon, lat=s_lat),
    }
    return {"places": places, "facilities": facilities, "district": district}


@pytest.fixture
def done_run(scene, regions):
    run = services.start_run(actor=scene["district"], region_code=DISTRICT,
                             category_codes=["kindergarten", "primary_school"], enqueue=False)
    assert services.execute_run(run_id=run.pk) == "done"
    run.refresh_from_db()
    return run
