"""Case figures on the region pages: registered by cases through core.registry, shown by territory (which does
not import cases) beside population, in the children's table and on the map data."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from civicgrid.cases.models import Case
from civicgrid.cases.region_figures import open_cases, overdue, per_thousand
from civicgrid.core import registry
from civicgrid.territory.models import Region
from tests.cases.conftest import IN_B, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases_a(users):
    Region.objects.filter(code="110107001003001").update(population=2500)
    Region.objects.filter(code="110107001003").update(population=12500)
    made = [report(users) for _ in range(5)]
    Case.objects.filter(pk=made[0].pk).update(deadline=timezone.now() - timedelta(hours=1))
    report(users, where=IN_B)  # community B: never counted for community A
    return made


def test_figures_per_region_within_the_jurisdiction(users, cases_a):
    grids = list(Region.objects.filter(parent__code="110107001003"))
    assert per_thousand(users["community_a"], grids)["110107001003001"] == 2.0  # 5 cases / 2,500 residents
    assert open_cases(users["community_a"], grids)["110107001003001"] == 5
    assert overdue(users["community_a"], grids)["110107001003001"] == 1
    subdistricts = list(Region.objects.filter(code__in=["110107001", "110107002"]))
    assert open_cases(users["district"], subdistricts) == {"110107001": 5, "110107002": 1}
    assert open_cases(users["community_a"], subdistricts) == {"110107001": 5, "110107002": 0}


def test_region_page_shows_case_figures_beside_population(login, users, cases_a):
    keys = [figure.key for figure in registry.region_figures()]
    assert {"cases_per_thousand", "open_cases", "overdue_cases"} <= set(keys)
    html = login(users["community_a"]).get("/regions/").content.decode()
    assert '<dd data-testid="region-population">12,500</dd>' in html
    assert '<dd data-testid="region-figure-open_cases">5</dd>' in html
    assert '<dd data-testid="region-figure-cases_per_thousand">0.4</dd>' in html
    assert re.search(r'data-testid="child-figure-overdue_cases">1</td>', html)
    assert "2,500" in html
    data = json.loads(re.search(r'id="region-map-data" type="application/json">(.*?)</script>', html).group(1))
    grid = next(f for f in data["children"]["features"] if f["properties"]["code"] == "110107001003001")
    assert grid["properties"]["figures"]["cases_per_thousand"] == 2.0
    assert grid["properties"]["shown"]["cases_per_thousand"] == "2.0"
    assert [f["key"] for f in data["figures"]][:3] == ["cases_per_thousand", "open_cases", "overdue_cases"]


def test_a_registered_figure_reaches_the_page_without_territory_knowing_it(login, users, monkeypatch):
    figures = dict(registry._region_figures)
    monkeypatch.setattr(registry, "_region_figures", figures)
    registry.add_region_figure("trees", "Trees", lambda actor, regions: {r.code: 0.5 for r in regions}, kind="share")
    html = login(users["community_a"]).get("/regions/").content.decode()
    assert '<dd data-testid="region-figure-trees">50.0%</dd>' in html
    with pytest.raises(ValueError):
        registry.add_region_figure("bad", "Bad", lambda actor, regions: {}, kind="ratio")
