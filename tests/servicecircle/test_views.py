"""Pages: map, place panel, isochrone JSON, runs, recommendation, facilities with import, compound check;
another community's objects answer 404."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civicgrid.servicecircle import services
from civicgrid.servicecircle.models import AnalysisRun, Facility, Recommendation
from tests.conftest import COMM_A, DISTRICT
from tests.servicecircle.conftest import node

pytestmark = pytest.mark.xdist_group("servicecircle")


def test_map_page_embeds_coloured_compounds(login, users, done_run):
    page = login(users["district"]).get("/servicecircle/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="sc-map"' in html and "servicecircle/map.js" in html and "<script>" not in html
    assert "一刻钟社区服务圈" in html
    data = json.loads(html.split('id="sc-map-data" type="application/json">')[1].split("</script>")[0])
    scores = {f["properties"]["name"]: f["properties"]["score"] for f in data["places"]["features"]}
    assert scores == {"一号院": 1.0, "二号院": 0.5, "三号院": 0.5, "四号院": 0.0, "山上院": 0.0}
    assert data["panelUrl"] == f"/servicecircle/runs/{done_run.pk}/places/0/"
    assert 'data-testid="gaps-table"' in html and 'data-testid="communities-table"' in html


def test_map_without_a_run(login, users, regions, categories):
    page = login(users["district"]).get("/servicecircle/")
    assert page.status_code == 200 and 'data-testid="no-run"' in page.content.decode()


def test_place_panel_lists_gaps_and_isochrone_json(login, users, done_run, scene):
    client = login(users["community_a"])
    p3 = scene["places"]["p3"]
    panel = client.get(f"/servicecircle/runs/{done_run.pk}/places/{p3.pk}/").content.decode()
    assert "三号院" in panel and panel.count('data-testid="gap-row"') == 1
    iso = client.get(f"/servicecircle/places/{p3.pk}/isochrone.json").json()
    assert len(iso["features"]) == 3
    other = login(users["community_b"])
    assert other.get(f"/servicecircle/runs/{done_run.pk}/places/{p3.pk}/").status_code == 404
    assert other.get(f"/servicecircle/places/{p3.pk}/isochrone.json").status_code == 404


def test_start_a_run_from_the_page(login, users, scene, django_capture_on_commit_callbacks):
    client = login(users["community_a"])
    form = client.get("/servicecircle/runs/").content.decode()
    assert 'data-testid="run-form"' in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/servicecircle/runs/", {"region_code": COMM_A, "categories": ["kindergarten"],
                                                        "walk_speed_m_s": 1.2, "snap_limit_m": 150})
    run = AnalysisRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/servicecircle/runs/{run.pk}/"
    assert run.status == "done" and run.walk_speed_m_s == 1.2 and run.category_codes == ["kindergarten"]
    detail = client.get(response["Location"]).content.decode()
    assert 'data-testid="gaps-table"' in detail and "山上院" in detail and 'data-testid="export-xlsx"' in detail
    assert login(users["community_b"]).get(response["Location"]).status_code == 404
    assert f"/servicecircle/runs/{run.pk}/" in client.get("/servicecircle/runs/").content.decode()


def test_recommend_from_the_run_page(login, users, done_run, django_capture_on_commit_callbacks):
    client = login(users["district"])
    points = "\n".join(f"{lon},{lat}" for lon, lat in (node(2, 8), node(46, 5)))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/servicecircle/runs/{done_run.pk}/recommend/",
                               {"category": "kindergarten", "p": 2, "method": "auto", "points": points})
    rec = Recommendation.objects.get()
    assert response["Location"] == f"/servicecircle/recommendations/{rec.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert page.count('data-testid="site-row"') == 2 and 'data-testid="new-population">500<' in page
    bad = client.post(f"/servicecircle/runs/{done_run.pk}/recommend/",
                      {"category": "kindergarten", "p": 2, "method": "auto", "points": "nonsense"})
    assert bad.status_code == 302 and Recommendation.objects.count() == 1
    assert login(users["resident"]).get(response["Location"]).status_code == 404


def test_exports_from_pages(login, users, done_run):
    client = login(users["district"])
    xlsx = client.get(f"/servicecircle/runs/{done_run.pk}/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    geojson = json.loads(client.get(f"/servicecircle/runs/{done_run.pk}/export.geojson").content)
    assert len(geojson["features"]) == 5
    text = json.dumps(geojson, ensure_ascii=False)
    assert "phone" not in text and "id_number" not in text


def test_facility_list_filters_and_import(login, users, scene):
    client = login(users["district"])
    page = client.get("/servicecircle/facilities/", {"category": "kindergarten"}).content.decode()
    assert "阳光幼儿园" in page and "实验小学" not in page
    upload = SimpleUploadedFile("f.csv", "category,name,lon,lat\n温泉,x,116.152,39.902\n".encode())
    refused = client.post("/servicecircle/facilities/", {"format": "csv", "file": upload})
    assert refused.status_code == 200 and 'data-testid="import-problems"' in refused.content.decode()
    assert Facility.objects.count() == 2
    upload = SimpleUploadedFile("f.csv", "category,name,lon,lat\n药店,新药店,116.152,39.902\n".encode())
    assert client.post("/servicecircle/facilities/", {"format": "csv", "file": upload}).status_code == 302
    assert Facility.objects.count() == 3
    assert "阳光幼儿园" not in login(users["community_b"]).get("/servicecircle/facilities/").content.decode()


def test_compound_check_page_full_and_htmx(login, users, scene):
    client = login(users["district"])
    lon, lat = node(30, 10)
    page = client.get("/servicecircle/check/", {"lon": lon, "lat": lat, "population": 500}).content.decode()
    assert 'data-testid="check-missing"' in page and "幼儿园" in page and "htmx" in page
    partial = client.get("/servicecircle/check/", {"lon": node(3, 3)[0], "lat": node(3, 3)[1], "population": 5},
                         headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and 'data-testid="check-result"' in partial


def test_pages_answer_on_a_phone_sized_layout_and_link_from_home(login, users, done_run):
    client = login(users["district"])
    home = client.get("/").content.decode()
    assert 'href="/servicecircle/"' in home
    for path in ("/servicecircle/", "/servicecircle/runs/", f"/servicecircle/runs/{done_run.pk}/",
                 "/servicecircle/facilities/", "/servicecircle/check/"):
        html = client.get(path).content.decode()
        assert 'name="viewport"' in html and 'class="sc-subnav"' in html, path


def test_community_run_is_invisible_to_another_community(login, users, scene):
    run = services.start_run(actor=users["community_a"], region_code=COMM_A, enqueue=False)
    services.execute_run(run_id=run.pk)
    assert login(users["community_b"]).get(f"/servicecircle/runs/{run.pk}/").status_code == 404
    assert login(users["community_b"]).get(f"/servicecircle/?run={run.pk}").status_code == 404
    assert login(users["district"]).get(f"/servicecircle/runs/{run.pk}/").status_code == 200
    assert DISTRICT.startswith(run.region_code[:6])


def test_facilities_off_the_network_are_reported_and_isochrones_use_the_run_speed(login, users, scene):
    from civicgrid.servicecircle.models import Category

    Facility.objects.create(category=Category.objects.get(code="kindergarten"), name="山上幼儿园",
                            region_code=users["grid_a"].region_code, lon=116.155, lat=39.93)
    run = services.start_run(actor=users["district"], region_code=DISTRICT, category_codes=["kindergarten"],
                             walk_speed_m_s=0.5, enqueue=False)
    services.execute_run(run_id=run.pk)
    run.refresh_from_db()
    assert run.summary["facilities"] == {"kindergarten": 2} and run.summary["facilities_unsnapped"] == {
        "kindergarten": 1}
    client = login(users["district"])
    assert 'data-testid="facilities-unsnapped"' in client.get(f"/servicecircle/runs/{run.pk}/").content.decode()
    p1 = scene["places"]["p1"].pk
    slow = client.get(f"/servicecircle/places/{p1}/isochrone.json", {"run": run.pk}).json()
    assert [f["properties"]["distance_m"] for f in slow["features"]] == [450, 300, 150]
    assert login(users["community_b"]).get(f"/servicecircle/places/{p1}/isochrone.json").status_code == 404


def test_pages_do_not_query_per_row(login, users, scene, regions):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.servicecircle.conftest import make_place

    client = login(users["district"])

    def counts():
        run = services.start_run(actor=users["district"], region_code=DISTRICT, enqueue=False)
        services.execute_run(run_id=run.pk)
        rec = services.recommend(actor=users["district"], run_id=run.pk, category="kindergarten", p=3,
                                 enqueue=False)
        services.execute_recommendation(recommendation_id=rec.pk)
        found = []
        for path in (f"/servicecircle/?run={run.pk}", f"/servicecircle/runs/{run.pk}/", "/servicecircle/runs/",
                     "/servicecircle/facilities/", f"/servicecircle/recommendations/{rec.pk}/",
                     f"/servicecircle/runs/{run.pk}/export.xlsx"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            found.append(len(queries))
        return found

    counts()  # warm-up: the first request of a session loads more
    before = counts()
    for k in range(10):
        make_place(regions["grid_a"], f"新院{k}", (k % 8 + 1, k % 10 + 1), 100)
        make_place(regions["grid_a"], f"公建{k}", (k % 8 + 1, 10 - k % 10), 0, kind="facility_site")
        services.create_facility(actor=users["district"], category="pharmacy", name=f"药店{k}",
                                 lon=116.151 + k * 0.0008, lat=39.905)
    assert counts() == before


def test_english_pages_use_english_category_names(login, users, done_run, scene, settings):
    client = login(users["district"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/servicecircle/runs/{done_run.pk}/").content.decode()
    assert "Gaps by category" in page and "Kindergarten" in page and "幼儿园" not in page
    panel = client.get(f"/servicecircle/runs/{done_run.pk}/places/{scene['places']['p3'].pk}/").content.decode()
    assert "Kindergarten" in panel and "Primary school" in panel


def test_check_a_recorded_compound(login, users, scene, regions):
    from tests.servicecircle.conftest import make_place

    new = make_place(regions["grid_a"], "新建小区", (30, 10), 900, kind="commodity_housing")
    client = login(users["community_a"])
    page = client.get("/servicecircle/check/", {"place": new.pk}).content.decode()
    assert "新建小区" in page and 'data-testid="check-missing"' in page and "幼儿园" in page
    body = client.get(f"/api/v1/servicecircle/places/{new.pk}/check").json()
    assert body["population_affected"] == 900 and "kindergarten" in body["missing"]
    assert login(users["community_b"]).get("/servicecircle/check/", {"place": new.pk}).status_code == 404
    assert login(users["community_b"]).get(f"/api/v1/servicecircle/places/{new.pk}/check").status_code == 404
