"""Gates recorded in the places registry are where a compound is walked from: before OSM gates and before the
point of its outline nearest to a street; coverage, the compound check and isochrones all use them."""

import numpy as np
import pytest

from civicgrid.servicecircle import services, views_support
from civicgrid.servicecircle.models import PlaceResult
from civicgrid.territory import services as territory
from tests.conftest import DISTRICT

from .conftest import LATTICE, make_place, node

pytestmark = pytest.mark.xdist_group("servicecircle")


def at(i: float, j: float) -> list[float]:
    """(lon, lat) of a point i, j lattice steps (100 m) east and north of the lattice's corner."""
    lon, lat = LATTICE.unproject(x=np.array([LATTICE.x[0] + 100 * i]), y=np.array([LATTICE.y[0] + 100 * j]))
    return [float(lon[0]), float(lat[0])]


def outline() -> dict:
    """A compound between x 2.1–2.6 and y 2.3–2.7: 10 m from the street x = 2 (west), 40 m from x = 3 (east)."""
    ring = [at(2.1, 2.3), at(2.6, 2.3), at(2.6, 2.7), at(2.1, 2.7), at(2.1, 2.3)]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def gated(network, regions, users):
    grid = regions["grid_a"]
    plain = make_place(grid, "无门院", at(2.35, 2.5), 300)
    gated = make_place(grid, "东门院", at(2.35, 2.5), 300)
    for place in (plain, gated):
        place.geometry = outline()
        place.save()
    territory.set_place_gates(actor=users["district"], place=gated, gates=[at(2.6, 2.5)])
    k_lon, k_lat = node(4, 2)
    services.create_facility(actor=users["district"], category="kindergarten", name="幼儿园", lon=k_lon, lat=k_lat)
    return {"plain": plain, "gated": gated}


def test_a_run_walks_from_the_recorded_gate(gated, users):
    run = services.start_run(actor=users["district"], region_code=DISTRICT, category_codes=["kindergarten"],
                             enqueue=False)
    assert services.execute_run(run_id=run.pk) == "done"
    plain = PlaceResult.objects.get(run=run, place=gated["plain"])
    through_gate = PlaceResult.objects.get(run=run, place=gated["gated"])
    # west side (nearest street): 10 m to x = 2 at y = 2.3, 30 m south to (2, 2), 200 m east
    assert plain.distances["kindergarten"] == pytest.approx(240.0, abs=0.5)
    # east gate: 40 m to x = 3 at y = 2.5, 50 m south to (3, 2), 100 m east
    assert through_gate.distances["kindergarten"] == pytest.approx(190.0, abs=0.5)
    assert through_gate.snap_distance_m == pytest.approx(40.0, abs=0.5)


def test_the_compound_check_and_isochrones_use_the_recorded_gate(gated, users):
    plain = views_support.place_check(actor=users["district"], place_id=gated["plain"].pk)
    through_gate = views_support.place_check(actor=users["district"], place_id=gated["gated"].pk)
    assert plain["distances"]["kindergarten"] == pytest.approx(240.0, abs=0.5)
    assert through_gate["distances"]["kindergarten"] == pytest.approx(190.0, abs=0.5)
    iso = views_support.place_isochrone(actor=users["district"], place_id=gated["gated"].pk, minutes=(5,))
    assert iso["snapped"] and iso["snap_distance_m"] == pytest.approx(40.0, abs=0.5)
