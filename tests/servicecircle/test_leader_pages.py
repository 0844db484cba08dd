"""What a district leader reads on the service-circle pages: sites proposed only for a gap they can fill,
recommended sites on a map with the reach they add, progress that refreshes by itself, and coverage per region."""

import json
import re

import pytest

from civicgrid.servicecircle import services
from civicgrid.servicecircle.models import AnalysisRun, Recommendation, Status
from civicgrid.servicecircle.reference import DEFAULT_CATEGORIES, SITE_USES, site_fits, site_uses
from civicgrid.servicecircle.region_figures import coverage
from civicgrid.territory.demo_names import FACILITIES
from civicgrid.territory.models import PlaceKind, Region
from tests.conftest import DISTRICT
from tests.servicecircle.conftest import make_place

pytestmark = pytest.mark.django_db
CODES = {row[0] for row in DEFAULT_CATEGORIES}


def test_a_childcare_centre_never_fills_a_day_care_gap():
    assert not site_fits("elderly_daycare", "金顶街托育中心")
    assert site_fits("kindergarten", "金顶街托育中心")
    assert site_fits("elderly_daycare", "金顶街养老驿站") and not site_fits("kindergarten", "金顶街养老驿站")
    assert site_fits("elderly_daycare", "鲁谷党群服务中心") and not site_fits("primary_school", "鲁谷党群服务中心")
    assert not site_fits("market", "古城社区卫生服务站") and site_fits("health_station", "古城社区卫生服务站")
    assert all(site_fits(code, "公建用地") for code in CODES)  # a site that names no use may take anything


def test_every_site_use_names_real_categories_and_every_demo_site_has_one():
    assert all(uses <= CODES for _word, uses in SITE_USES)
    for name in FACILITIES:  # the demo's public facility sites
        assert site_uses(f"某某{name}") is not None, name


def test_recommendation_skips_a_site_built_for_another_use(done_run, scene, regions):
    # A childcare centre right beside compound P3 (which has no primary school... nor a kindergarten in reach)
    childcare = make_place(regions["grid_a"], "阳光托育中心", (2, 7), 0, kind=PlaceKind.FACILITY_SITE)
    district = scene["district"]
    for category, expected in (("kindergarten", childcare.pk), ("primary_school", scene["places"]["site"].pk)):
        rec = services.recommend(actor=district, run_id=done_run.pk, category=category, p=1, enqueue=False)
        services.execute_recommendation(recommendation_id=rec.pk)
        assert Recommendation.objects.get(pk=rec.pk).sites.get().place_id == expected, category


def test_recommendation_page_maps_each_site_with_its_reach(login, users, done_run, scene):
    rec = services.recommend(actor=scene["district"], run_id=done_run.pk, category="primary_school", p=1,
                             enqueue=False)
    services.execute_recommendation(recommendation_id=rec.pk)
    html = login(users["district"]).get(f"/servicecircle/recommendations/{rec.pk}/").content.decode()
    assert 'id="rec-map"' in html and "servicecircle/sites.js" in html
    data = json.loads(re.search(r'id="rec-map-data" type="application/json">(.*?)</script>', html).group(1))
    site = data["sites"]["features"][0]
    assert site["properties"]["gain"] == 500 and data["sites"]["distance_m"] == 500
    assert site["properties"]["reach"]["type"] in ("Polygon", "MultiPolygon")


def test_a_queued_analysis_shows_progress_and_refreshes_itself(login, users, scene):
    run = services.start_run(actor=scene["district"], region_code=DISTRICT, enqueue=False)
    client = login(users["district"])
    html = client.get(f"/servicecircle/runs/{run.pk}/").content.decode()
    assert 'data-testid="progress"' in html and 'data-status="queued"' in html
    assert "servicecircle/refresh.js" in html and "等待" in html
    AnalysisRun.objects.filter(pk=run.pk).update(status=Status.RUNNING)
    assert 'data-status="running"' in client.get(f"/servicecircle/runs/{run.pk}/").content.decode()
    AnalysisRun.objects.filter(pk=run.pk).update(status=Status.QUEUED)
    assert services.execute_run(run_id=run.pk) == "done"
    done = client.get(f"/servicecircle/runs/{run.pk}/").content.decode()
    assert 'data-testid="progress"' not in done and "refresh.js" not in done


def test_coverage_per_region_is_population_weighted(users, done_run):
    subdistricts = list(Region.objects.filter(code__in=["110107001", "110107002"]).order_by("code"))
    values = coverage(users["district"], subdistricts)
    # grid a: P1 1000 × 1.0, P2 500 × 0.5, P3 200 × 0.5, P5 100 × 0 (off the network); grid b: P4 300 × 0
    assert values == {"110107001": pytest.approx(0.75), "110107002": 0.0}
    assert coverage(users["community_a"], subdistricts)["110107002"] is None  # outside: nothing read
    html_figure = "region-figure-servicecircle_coverage"
    from django.test import Client

    client = Client()
    client.force_login(users["district"])
    page = client.get("/regions/").content.decode()
    assert f'<dd data-testid="{html_figure}">' in page


def test_coverage_map_draws_the_recommended_sites_with_their_reach(login, users, done_run, scene):
    rec = services.recommend(actor=scene["district"], run_id=done_run.pk, category="primary_school", p=1,
                             enqueue=False)
    services.execute_recommendation(recommendation_id=rec.pk)
    html = login(users["district"]).get(f"/servicecircle/?run={done_run.pk}").content.decode()
    data = json.loads(re.search(r'id="sc-map-data" type="application/json">(.*?)</script>', html).group(1))
    site = data["sites"]["features"][0]["properties"]
    assert site["gain"] == 500 and site["reach"]["type"] in ("Polygon", "MultiPolygon")
    assert "推荐选址及其新增服务范围" in html
