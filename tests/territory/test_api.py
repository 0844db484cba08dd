"""The territory API on the small fixture tree: shapes, scope (404), parameter errors (422)."""

import pytest

from civicgrid.territory import services
from civicgrid.territory.models import PlaceKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(regions):
    return services.create_place(actor=None, grid=regions["grid_a"], name="金顶街三区", kind=PlaceKind.OLD_COMPOUND,
                                 lon=116.155, lat=39.905, households=40, population=100)


def test_regions_list_shape(login, users):
    body = login(users["community_a"]).get("/api/v1/regions").json()
    assert body["count"] == 2
    assert body["items"][0] == {"code": "110107001003", "name": "社区a", "level": "community",
                                "parent_code": "110107001", "population": 0, "households": 0, "area_km2": None,
                                "boundary_generated": False}


def test_regions_paging_and_filters(login, users):
    client = login(users["district"])
    body = client.get("/api/v1/regions?limit=2&offset=1").json()
    assert body["count"] == 7 and [i["code"] for i in body["items"]] == ["110107001", "110107001003"]
    assert client.get("/api/v1/regions?level=grid").json()["count"] == 2
    assert client.get("/api/v1/regions?parent=110107").json()["count"] == 2


@pytest.mark.parametrize("query", ["level=town", "limit=0", "limit=501", "offset=-1", "offset=99999999999999999999",
                                   "parent=12ab", "parent=1101070"])
def test_bad_parameters_answer_422(login, users, query):
    response = login(users["district"]).get(f"/api/v1/regions?{query}")
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"


def test_region_detail_and_scope(login, users):
    client = login(users["community_a"])
    body = client.get("/api/v1/regions/110107001003001").json()
    assert body["boundary"]["type"] == "Polygon" and body["parent_code"] == "110107001003"
    assert [a["code"] for a in body["ancestors"]] == ["110107", "110107001", "110107001003"]
    for path in ("/api/v1/regions/110107002001", "/api/v1/regions/110107002001/children.geojson",
                 "/api/v1/regions?parent=110107002001", "/api/v1/regions/999999"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"


def test_children_geojson(login, users):
    body = login(users["district"]).get("/api/v1/regions/110107/children.geojson").json()
    assert body["type"] == "FeatureCollection" and len(body["features"]) == 2
    assert body["features"][0]["properties"]["generated"] is False


def test_places(login, users, place):
    client = login(users["community_a"])
    body = client.get("/api/v1/places?kind=old_compound").json()
    assert body["count"] == 1 and body["items"][0]["grid_code"] == "110107001003001"
    detail = client.get(f"/api/v1/places/{place.id}").json()
    assert detail["kind_label"] and detail["households"] == 40
    assert login(users["community_b"]).get(f"/api/v1/places/{place.id}").status_code == 404
    assert client.get("/api/v1/places?kind=castle").status_code == 422
    assert client.get("/api/v1/places?region=110107002001").status_code == 404


def test_locate(login, users):
    client = login(users["district"])
    assert client.get("/api/v1/locate?lon=116.155&lat=39.905").json()["code"] == "110107001003001"
    outside = client.get("/api/v1/locate?lon=116.5&lat=39.5")
    assert outside.status_code == 404 and outside.json()["code"] == "outside_district"
    for query in ("lon=181&lat=39", "lon=116&lat=-91", "lon=abc&lat=39", "lat=39"):
        assert client.get(f"/api/v1/locate?{query}").status_code == 422, query
    other = login(users["community_b"]).get("/api/v1/locate?lon=116.155&lat=39.905")
    assert other.status_code == 404 and other.json()["code"] == "not_found"


def test_anonymous_gets_401(client, regions):
    assert client.get("/api/v1/regions").status_code == 401
