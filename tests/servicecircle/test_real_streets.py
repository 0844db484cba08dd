"""Coverage on streets: places attached mid-street with their offset, islands flagged "not connected" on the
page and in the exports."""

import json

import numpy as np
import pytest
from django.urls import reverse

from civicgrid.servicecircle import engine, exporting, services
from civicgrid.servicecircle.models import PlaceResult
from tests.conftest import DISTRICT

from .conftest import LATTICE, SPACING, make_place, node

pytestmark = pytest.mark.xdist_group("servicecircle")


def _with_island(graph):
    """The lattice plus a 3-vertex street 300 m north of it, joined to nothing."""
    x = graph.x[0] + SPACING * np.array([10, 11, 12])
    y = graph.y[0] + SPACING * np.array([14, 14, 14])
    lon, lat = graph.unproject(x=x, y=y)
    n = graph.n_nodes
    return engine.make_graph(
        lon=np.concatenate([graph.lon, lon]), lat=np.concatenate([graph.lat, lat]),
        u=np.concatenate([graph.u, [n, n + 1]]), v=np.concatenate([graph.v, [n + 1, n + 2]]),
        length_m=np.concatenate([graph.length_m, [SPACING, SPACING]]), crs=graph.crs)


@pytest.fixture
def island_run(regions, categories, users, settings, tmp_path, client):
    settings.DATA_DIR = tmp_path
    graph = _with_island(LATTICE)
    network = services.store_network(actor=None, district_code=DISTRICT, graph=graph, source="lattice+island",
                                     generated=True)
    assert network.components["count"] == 2 and network.components["largest"] == [LATTICE.n_nodes, 3]
    grid = regions["grid_a"]
    (a_lon, a_lat), (b_lon, b_lat) = node(2, 2), node(3, 2)
    x, y = LATTICE.project(lon=np.array([(a_lon + b_lon) / 2]), lat=np.array([(a_lat + b_lat) / 2]))
    mid_lon, mid_lat = LATTICE.unproject(x=x, y=y + 20.0)
    island_lon, island_lat = graph.lon[graph.n_nodes - 2], graph.lat[graph.n_nodes - 2]
    places = {
        "mid": make_place(grid, "路中院", (float(mid_lon[0]), float(mid_lat[0])), 400),
        "island": make_place(grid, "孤岛院", (float(island_lon), float(island_lat)), 100),
    }
    k_lon, k_lat = node(4, 2)
    services.create_facility(actor=users["district"], category="kindergarten", name="幼儿园", lon=k_lon, lat=k_lat)
    run = services.start_run(actor=users["district"], region_code=DISTRICT, category_codes=["kindergarten"],
                             enqueue=False)
    assert services.execute_run(run_id=run.pk) == "done"
    run.refresh_from_db()
    return run, places


def test_a_home_mid_street_walks_from_where_it_stands(island_run):
    run, places = island_run
    mid = PlaceResult.objects.get(run=run, place=places["mid"])
    # 50 m along its street to (3,2), 100 m on to the kindergarten at (4,2), plus 20 m from the home to the street
    assert mid.distances["kindergarten"] == pytest.approx(170.0, abs=0.5)
    assert mid.snap_distance_m == pytest.approx(20.0, abs=0.5) and mid.connected


def test_an_island_home_is_flagged_not_connected_with_its_component_size(island_run, users, client):
    run, places = island_run
    island = PlaceResult.objects.get(run=run, place=places["island"])
    assert island.snapped and not island.connected and island.component_size == 3
    assert island.distances["kindergarten"] is None and island.snap_distance_m == pytest.approx(0.0, abs=0.5)
    assert run.summary["places_not_connected"] == 1
    assert run.summary["not_connected_places"] == [{"id": places["island"].pk, "name": "孤岛院", "component_size": 3}]
    client.force_login(users["district"])
    page = client.get(reverse("servicecircle:run", args=[run.pk])).content.decode()
    assert 'data-testid="not-connected"' in page and "孤岛院" in page
    geo = json.loads(exporting.run_geojson_bytes(actor=users["district"], run=run))
    props = {f["properties"]["name"]: f["properties"] for f in geo["features"]}
    assert props["孤岛院"]["connected"] is False and props["孤岛院"]["component_size"] == 3
    assert props["路中院"]["snap_offset_m"] == pytest.approx(20.0, abs=0.5)
    panel = client.get(reverse("servicecircle:place_panel", args=[run.pk, places["island"].pk])).content.decode()
    assert 'data-testid="not-connected"' in panel and 'data-testid="snap-offset"' in panel
