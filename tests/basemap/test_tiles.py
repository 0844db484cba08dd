"""The base-map tiles: streets from the stored walking network, compounds without names, division names per
zoom; gzip, ETag and caching headers; the point lookup names grid and community."""

import gzip
import json
import math

import numpy as np
import pytest
import shapely
from django.test import Client

from civicgrid.basemap import tiles
from tests.servicecircle.conftest import make_place, node

pytestmark = pytest.mark.xdist_group("servicecircle")


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    n = 2**z
    return z, int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


@pytest.fixture
def sheet(network, regions):
    make_place(regions["grid_a"], "ZQX秘密小区", (3, 3), 300)
    tiles.invalidate()
    yield
    tiles.invalidate()


def features(response) -> list[dict]:
    body = gzip.decompress(response.content) if response.get("Content-Encoding") == "gzip" else response.content
    return json.loads(body)["features"]


def kinds(found) -> set:
    return {f["properties"]["k"] for f in found}


def test_close_tile_has_streets_compound_and_grid_name_but_no_place_name(sheet, client):
    response = client.get("/basemap/tiles/{}/{}/{}.geojson".format(*tile_of(*node(3, 3), 16)),
                          HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
    assert response["Cache-Control"].startswith("public") and response["ETag"]
    found = features(response)
    assert kinds(found) == {"street", "compound", "label"}
    streets = next(f for f in found if f["properties"]["k"] == "street")
    assert streets["geometry"]["type"] in ("LineString", "MultiLineString")
    labels = {f["properties"]["name"] for f in found if f["properties"]["k"] == "label"}
    assert labels <= {"网格a", "网格b"} and labels
    assert "ZQX" not in response.content.decode("latin-1") and "ZQX" not in json.dumps(found, ensure_ascii=False)


def test_names_follow_the_zoom(sheet):
    sheet_now, lon, lat = tiles.current()[0], *node(3, 3)

    def around(z):  # the tile of the point and its neighbours: a label sits in the tile of its own point
        _z, x, y = tile_of(lon, lat, z)
        return [f for dx in (-1, 0, 1) for dy in (-1, 0, 1) for f in sheet_now.features(z, x + dx, y + dy)]

    far, near = around(12), around(16)
    assert {f["properties"]["level"] for f in far if f["properties"]["k"] == "label"} == {"subdistrict"}
    assert {f["properties"]["level"] for f in near if f["properties"]["k"] == "label"} == {"grid"}
    assert "compound" not in kinds(far)  # compounds only from zoom 14


def test_streets_are_merged_and_simplified_per_zoom():
    """A 200 m street of 20 segments wiggling by about 1 m: one line at every zoom, its wiggles kept close up
    (half a pixel is ~0.5 m at zoom 17) and dropped far out (~15 m at zoom 12)."""
    lon0, lat0 = 116.2, 39.9
    points = [(lon0 + i * 0.0001175, lat0 + (0.000009 if i % 2 else 0.0)) for i in range(21)]
    segments = [shapely.LineString([points[i], points[i + 1]]) for i in range(20)]
    sheet = tiles.Sheet(segments, np.ones(20, dtype=bool), [], [])

    def vertices(z):
        found = [f for f in sheet.features(*tile_of(lon0 + 0.001, lat0, z)) if f["properties"]["k"] == "street"]
        assert len(found) == 1 and found[0]["geometry"]["type"] == "LineString"
        return len(found[0]["geometry"]["coordinates"])

    assert vertices(17) == 21 and vertices(12) == 2


def test_etag_answers_not_modified_and_plain_without_gzip(sheet, client):
    url = "/basemap/tiles/{}/{}/{}.geojson".format(*tile_of(*node(3, 3), 15))
    first = client.get(url)
    assert first.status_code == 200 and "Content-Encoding" not in first and features(first)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and not again.content


def test_tile_outside_the_zoom_range_is_404(client):
    assert client.get("/basemap/tiles/3/1/1.geojson").status_code == 404
    assert client.get("/basemap/tiles/16/99999999/1.geojson").status_code == 404


def test_a_new_network_version_changes_the_tiles(sheet, client, settings):
    from civicgrid.servicecircle import services
    from tests.conftest import DISTRICT
    from tests.servicecircle.conftest import LATTICE

    url = "/basemap/tiles/{}/{}/{}.geojson".format(*tile_of(*node(3, 3), 16))
    before = client.get(url)["ETag"]
    keep = LATTICE.u < 0  # no edge: an empty network
    from civicgrid.servicecircle import engine

    empty = engine.make_graph(lon=LATTICE.lon, lat=LATTICE.lat, u=LATTICE.u[keep], v=LATTICE.v[keep],
                              length_m=LATTICE.length_m[keep], crs=LATTICE.crs)
    services.store_network(actor=None, district_code=DISTRICT, graph=empty, source="empty", generated=True)
    tiles.invalidate()  # another process would notice the new stamp within CHECK_SECONDS
    after = client.get(url)
    assert after["ETag"] != before and "street" not in kinds(features(after))


@pytest.mark.parametrize("anonymous", [True, False])
def test_where_names_grid_and_community(regions, users, anonymous):
    client = Client()
    if not anonymous:
        client.force_login(users["resident"])
    inside = client.get("/basemap/where/", {"lon": 116.155, "lat": 39.905}).json()
    assert inside == {"inside": True, "grid": "网格a", "community": "社区a", "subdistrict": inside["subdistrict"],
                      "grid_code": "110107001003001"}
    outside = client.get("/basemap/where/", {"lon": 117.5, "lat": 40.5}).json()
    assert outside["inside"] is False and outside["message"]
    assert client.get("/basemap/where/", {"lon": "x", "lat": "nan"}).status_code == 400
