"""The demo territory (built once for this module): real codes, generated geometry, places adding up."""

import re

import pytest
import shapely
from django.db.models import Sum

from civicgrid.core.errors import Conflict
from civicgrid.territory import geometry as geo
from civicgrid.territory import locate, selectors
from civicgrid.territory.demo import build_demo_territory
from civicgrid.territory.models import RESIDENTIAL_KINDS, Level, Place, Region
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

BAJIAO = "110107003"
COMMUNITY_A, COMMUNITY_B = "110107001003", "110107002001"


@pytest.fixture
def staff(demo_territory):
    return {
        "district": make_user("district-110107", "district", "110107"),
        "a": make_user(f"community-{COMMUNITY_A}", "community", COMMUNITY_A),
        "b": make_user(f"community-{COMMUNITY_B}", "community", COMMUNITY_B),
    }


def test_counts(demo_territory):
    assert demo_territory["subdistricts"] == 9 and demo_territory["communities"] == 153
    assert 153 * 4 <= demo_territory["grids"] <= 153 * 8
    assert demo_territory["places"] == Place.objects.count()
    assert 540_000 <= demo_territory["population"] <= 580_000


def test_real_codes_and_names(demo_territory):
    assert Region.objects.get(code="110107").boundary_generated is False
    assert Region.objects.get(code=BAJIAO).name == "八角街道"
    assert Region.objects.get(code=COMMUNITY_A).name == "玉泉路西社区"
    assert not Region.objects.filter(level__in=[Level.SUBDISTRICT, Level.COMMUNITY, Level.GRID],
                                     boundary_generated=False).exists()


def test_grid_codes_are_15_digits_under_their_community(demo_territory):
    for code, parent_code in Region.objects.filter(level=Level.GRID).values_list("code", "parent__code"):
        assert re.fullmatch(r"\d{15}", code) and code[:12] == parent_code
    per_community = Region.objects.filter(level=Level.COMMUNITY).values_list("children__code", flat=True)
    assert len(per_community) == demo_territory["grids"]


def test_population_adds_up_at_every_level(demo_territory):
    district = Region.objects.get(code="110107")
    homes = Place.objects.filter(kind__in=RESIDENTIAL_KINDS).aggregate(p=Sum("population"), h=Sum("households"))
    assert district.population == homes["p"] == demo_territory["population"]
    assert district.households == homes["h"]
    for level in (Level.SUBDISTRICT, Level.COMMUNITY):
        for region in Region.objects.filter(level=level).prefetch_related("children"):
            assert region.population == sum(c.population for c in region.children.all())


def test_generated_boundaries_nest_without_gaps(demo_territory):
    bajiao = Region.objects.get(code=BAJIAO)
    parts = [geo.from_geojson(c.boundary) for c in Region.objects.filter(parent=bajiao)]
    figures = geo.check_partition(geo.from_geojson(bajiao.boundary), parts)
    assert figures["union_area_error"] < 1e-9 and figures["overlap"] < 1e-9 and figures["invalid"] == 0


def test_places_lie_in_their_grid_and_are_flagged(demo_territory):
    assert not Place.objects.filter(geometry_generated=False).exists()
    codes = Place.objects.values_list("region_code", "lon", "lat")[:400]
    for code, lon, lat in codes:
        assert geo.from_geojson(Region.objects.get(code=code).boundary).covers(shapely.Point(lon, lat))
    assert set(Place.objects.values_list("kind", flat=True).distinct()) >= {"commodity_housing", "old_compound",
                                                                             "office_building", "shop"}


def test_locate_finds_the_grid_of_each_place(demo_territory):
    sample = list(Place.objects.order_by("id")[:300])
    codes = locate.locate_many([p.lon for p in sample], [p.lat for p in sample])
    assert list(codes) == [p.region_code for p in sample]


def test_building_twice_is_refused(demo_territory):
    with pytest.raises(Conflict) as exc_info:
        build_demo_territory()
    assert exc_info.value.code == "demo_exists"


def test_district_sees_153_communities_and_community_scope_holds(staff):
    assert selectors.list_regions(actor=staff["district"], level=Level.COMMUNITY).count() == 153
    assert selectors.list_regions(actor=staff["a"], level=Level.COMMUNITY).count() == 1


def test_api_lists_153_real_communities(staff, login):
    client = login(staff["district"])
    body = client.get("/api/v1/regions?level=community&limit=500").json()
    assert body["count"] == 153 and len(body["items"]) == 153
    codes = {item["code"] for item in body["items"]}
    assert COMMUNITY_A in codes and all(re.fullmatch(r"110107\d{6}", c) for c in codes)
    grids = client.get(f"/api/v1/regions?level=grid&parent={COMMUNITY_A}").json()["items"]
    assert 4 <= len(grids) <= 8 and all(g["code"].startswith(COMMUNITY_A) and len(g["code"]) == 15 for g in grids)
    assert all(g["boundary_generated"] for g in grids)
    assert client.get("/api/v1/regions?level=community").json()["count"] == 153  # default page of 100


def test_api_scope_on_the_demo(staff, login):
    client = login(staff["a"])
    assert client.get(f"/api/v1/regions/{COMMUNITY_B}").status_code == 404
    other_place = Place.objects.filter(region_code__startswith=COMMUNITY_B).first()
    assert client.get(f"/api/v1/places/{other_place.id}").status_code == 404
    assert client.get(f"/api/v1/places?region={COMMUNITY_A}").json()["count"] > 0


def test_browser_drills_down_to_a_grid(staff, login):
    client = login(staff["district"])
    html = client.get("/regions/").content.decode()
    assert html.count('data-testid="child-link"') == 9 and "八角街道" in html
    html = client.get(f"/regions/{BAJIAO}/").content.decode()
    assert 'data-testid="generated-label"' in html
    grid = Region.objects.filter(parent__code=COMMUNITY_A).first()
    html = client.get(f"/regions/{grid.code}/").content.decode()
    assert 'data-testid="place-row"' in html


def test_community_user_gets_404_for_another_community_page(staff, login):
    client = login(staff["a"])
    assert client.get("/regions/").status_code == 200
    assert client.get(f"/regions/{COMMUNITY_B}/").status_code == 404
