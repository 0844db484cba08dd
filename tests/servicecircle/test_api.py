"""API: every endpoint through the test client with session auth, errors with stable codes, 404 across
jurisdiction, exports."""

import io
import json

import pytest
from openpyxl import load_workbook

from tests.conftest import COMM_A, DISTRICT
from tests.servicecircle.conftest import node

pytestmark = pytest.mark.xdist_group("servicecircle")

BASE = "/api/v1/servicecircle"


def test_categories_carry_distance_level_and_source(login, users, categories):
    body = login(users["resident"]).get(f"{BASE}/categories").json()
    by_code = {c["code"]: c for c in body}
    assert by_code["middle_school"]["walk_distance_m"] == 1000 and by_code["middle_school"]["level"] == "15min"
    assert by_code["kindergarten"]["walk_distance_m"] == 300 and "GB 50180-2018" in by_code["kindergarten"]["source"]
    assert by_code["convenience_store"]["level"] == "convenience" and "商务部" in by_code["pharmacy"]["source"]


def test_facility_create_list_and_scope(login, users, scene):
    client = login(users["community_a"])
    lon, lat = node(3, 4)
    response = client.post(f"{BASE}/facilities", {"category": "pharmacy", "name": "平安药店", "lon": lon, "lat": lat,
                                                  "opening_hours": "08:00-22:00"}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["region_code"] == users["grid_a"].region_code
    listed = client.get(f"{BASE}/facilities", {"category": "pharmacy"}).json()
    assert listed["count"] == 1 and listed["items"][0]["name"] == "平安药店"
    assert login(users["community_b"]).get(f"{BASE}/facilities").json()["count"] == 0
    assert login(users["community_b"]).get(f"{BASE}/facilities", {"region": COMM_A}).status_code == 404
    outside = client.post(f"{BASE}/facilities", {"category": "pharmacy", "name": "x", "lon": 116.9, "lat": 39.5},
                          content_type="application/json")
    assert outside.status_code == 422 and outside.json()["code"] == "outside_district"
    unknown = client.post(f"{BASE}/facilities", {"category": "spa", "name": "x", "lon": lon, "lat": lat},
                          content_type="application/json")
    assert unknown.json()["code"] == "unknown_category"
    grid = login(users["grid_a"]).post(f"{BASE}/facilities", {"category": "pharmacy", "name": "x", "lon": lon,
                                                              "lat": lat}, content_type="application/json")
    assert grid.status_code == 403


def test_run_lifecycle_results_and_exports(login, users, scene, django_capture_on_commit_callbacks):
    client = login(users["district"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{BASE}/runs", {"region_code": DISTRICT, "categories": ["kindergarten",
                                                                                        "primary_school"]},
                               content_type="application/json")
    assert response.status_code == 201, response.content
    run_id = response.json()["id"]
    detail = client.get(f"{BASE}/runs/{run_id}").json()
    assert detail["status"] == "done" and detail["summary"]["places_unsnapped"] == 1
    assert detail["summary"]["unsnapped_places"][0]["name"] == "山上院" and detail["network_generated"]
    assert [r["id"] for r in client.get(f"{BASE}/runs").json()] == [run_id]

    communities = client.get(f"{BASE}/runs/{run_id}/communities").json()
    assert {c["community_code"]: c["score"] for c in communities} == {COMM_A: 0.75, "110107002001": 0}
    gaps = client.get(f"{BASE}/runs/{run_id}/gaps").json()
    assert [(g["code"], g["uncovered_population"]) for g in gaps] == [("primary_school", 900),
                                                                      ("kindergarten", 600)]
    # community A's worker sees the district run cut to its own community
    mine = login(users["community_a"]).get(f"{BASE}/runs/{run_id}/gaps").json()
    assert {g["code"]: g["uncovered_population"] for g in mine} == {"primary_school": 600, "kindergarten": 300}

    sheet = load_workbook(io.BytesIO(client.get(f"{BASE}/runs/{run_id}/export.xlsx").content))
    rows = list(sheet.worksheets[1].iter_rows(values_only=True))
    assert len(rows) == 6 and {r[0] for r in rows[1:]} == {"一号院", "二号院", "三号院", "四号院", "山上院"}
    geojson = client.get(f"{BASE}/runs/{run_id}/export.geojson")
    assert geojson["Content-Type"] == "application/geo+json"
    features = json.loads(geojson.content)["features"]
    assert len(features) == 5 and set(features[0]["properties"]) == {
        "place_id", "name", "grid_code", "population", "snapped", "snap_offset_m", "connected", "component_size",
        "score", "distances_m", "missing"}
    b_export = json.loads(login(users["community_b"]).get(f"{BASE}/runs/{run_id}/export.geojson").content)
    assert [f["properties"]["name"] for f in b_export["features"]] == ["四号院"]

    with django_capture_on_commit_callbacks(execute=True):
        rec = client.post(f"{BASE}/runs/{run_id}/recommendations",
                          {"category": "kindergarten", "p": 2, "use_facility_sites": False,
                           "points": [list(node(2, 8)), list(node(46, 5))]}, content_type="application/json")
    assert rec.status_code == 201, rec.content
    fetched = client.get(f"{BASE}/recommendations/{rec.json()['id']}").json()
    assert fetched["status"] == "done" and [s["gain"] for s in fetched["sites"]] == [300, 200]
    assert len(client.get(f"{BASE}/runs/{run_id}/recommendations").json()) == 1


def test_other_communities_get_404(login, users, done_run, regions):
    from civicgrid.servicecircle import services

    run_a = services.start_run(actor=users["community_a"], region_code=COMM_A, enqueue=False)
    services.execute_run(run_id=run_a.pk)
    other = login(users["community_b"])
    for path in (f"/runs/{run_a.pk}", f"/runs/{run_a.pk}/gaps", f"/runs/{run_a.pk}/communities",
                 f"/runs/{run_a.pk}/export.xlsx", f"/runs/{run_a.pk}/recommendations"):
        response = other.get(BASE + path)
        assert response.status_code == 404 and response.json()["code"] == "not_found", path
    p1 = regions["grid_a"].places.get(name="一号院")
    assert other.get(f"{BASE}/places/{p1.pk}/isochrone").status_code == 404
    assert login(users["resident"]).get(f"{BASE}/runs/{done_run.pk}").status_code == 404


def test_refusals_have_stable_codes(login, users, regions, categories, scene, done_run):
    client = login(users["district"])
    queued = client.post(f"{BASE}/runs", {"region_code": DISTRICT}, content_type="application/json")
    assert queued.status_code == 201  # without on-commit execution it stays queued
    not_done = client.get(f"{BASE}/runs/{queued.json()['id']}/gaps")
    assert not_done.status_code == 409 and not_done.json()["code"] == "run_not_done"
    bad = client.post(f"{BASE}/runs/{done_run.pk}/recommendations", {"category": "kindergarten", "p": 0},
                      content_type="application/json")
    assert bad.status_code == 422 and bad.json()["code"] == "validation_failed"
    assert client.post(f"{BASE}/runs", {"region_code": "110108"}, content_type="application/json").status_code == 404


def test_no_network_is_a_conflict(login, users, regions, categories, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    response = login(users["district"]).post(f"{BASE}/runs", {"region_code": DISTRICT},
                                             content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "no_network"


def test_isochrone_and_compound_check(login, users, scene):
    client = login(users["community_a"])
    iso = client.get(f"{BASE}/places/{scene['places']['p1'].pk}/isochrone").json()
    assert iso["snapped"] and [f["properties"]["minutes"] for f in iso["features"]] == [15, 10, 5]
    assert iso["features"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    lon, lat = node(30, 10)
    check = client.post(f"{BASE}/compound-check", {"lon": lon, "lat": lat, "population": 800},
                        content_type="application/json").json()
    assert {"kindergarten", "primary_school"} <= set(check["missing"]) and check["population_affected"] == 800
    assert "小学" in check["missing_names"]
    assert login(users["resident"]).post(f"{BASE}/compound-check", {"lon": lon, "lat": lat},
                                         content_type="application/json").status_code == 404
