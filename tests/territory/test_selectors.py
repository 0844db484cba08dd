"""Jurisdiction: a user sees its own subtree; anything else is NotFound; ancestors only as breadcrumbs."""

import pytest

from civicgrid.core.errors import NotFound
from civicgrid.territory import selectors, services
from civicgrid.territory.models import PlaceKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(regions):
    return {
        key: services.create_place(actor=None, grid=regions[f"grid_{key}"], name=f"小区{key}",
                                   kind=PlaceKind.OLD_COMPOUND, lon=lon, lat=39.905, households=5, population=12)
        for key, lon in (("a", 116.155), ("b", 116.205))
    }


def _codes(queryset):
    return [r.code for r in queryset]


def test_district_user_sees_everything(regions, users):
    assert len(_codes(selectors.list_regions(actor=users["district"]))) == 7


def test_community_user_sees_its_community_and_grids_only(regions, users):
    actor = users["community_a"]
    assert _codes(selectors.list_regions(actor=actor)) == [regions["community_a"].code, regions["grid_a"].code]
    assert _codes(selectors.list_regions(actor=actor, level="grid")) == [regions["grid_a"].code]
    with pytest.raises(NotFound):
        selectors.get_region(actor=actor, code=regions["community_b"].code)
    with pytest.raises(NotFound):
        selectors.get_region(actor=actor, code=regions["sub_a"].code)  # an ancestor is not browsable
    with pytest.raises(NotFound):
        list(selectors.list_regions(actor=actor, parent=regions["community_b"].code))
    with pytest.raises(NotFound):
        selectors.children_geojson(actor=actor, code=regions["community_b"].code)


def test_breadcrumbs_show_ancestors_without_links(regions, users):
    crumbs = selectors.breadcrumbs(actor=users["community_a"], region=regions["grid_a"])
    assert [c.code for c in crumbs] == ["110107", "110107001", "110107001003", "110107001003001"]
    assert [c.linked for c in crumbs] == [False, False, True, True]


def test_filters_by_level_parent_and_text(regions, users):
    actor = users["district"]
    assert _codes(selectors.list_regions(actor=actor, level="subdistrict")) == ["110107001", "110107002"]
    assert _codes(selectors.list_regions(actor=actor, parent="110107002")) == ["110107002001"]
    assert _codes(selectors.list_regions(actor=actor, q="社区b")) == ["110107002001"]
    assert _codes(selectors.list_regions(actor=actor, q="110107002")) == ["110107002", "110107002001",
                                                                          "110107002001001"]
    assert _codes(selectors.list_regions(actor=actor, q="\x00")) != []


def test_places_are_scoped_too(places, users):
    actor = users["community_a"]
    assert [p.name for p in selectors.list_places(actor=actor)] == ["小区a"]
    assert selectors.get_place(actor=actor, place_id=places["a"].id) == places["a"]
    with pytest.raises(NotFound):
        selectors.get_place(actor=actor, place_id=places["b"].id)
    with pytest.raises(NotFound):
        list(selectors.list_places(actor=actor, region="110107002001"))
    assert [p.name for p in selectors.list_places(actor=users["district"], kind=PlaceKind.OLD_COMPOUND)] == [
        "小区a", "小区b"]
    assert list(selectors.list_places(actor=users["district"], kind=PlaceKind.SHOP)) == []


def test_users_without_an_area_see_nothing(regions, users, places):
    resident = users["resident"]
    assert list(selectors.list_regions(actor=resident)) == []
    assert list(selectors.list_places(actor=resident)) == []
    assert selectors.top_region(actor=resident) is None
    with pytest.raises(NotFound):
        selectors.get_region(actor=resident, code="110107")


def test_children_geojson(regions, users):
    collection = selectors.children_geojson(actor=users["district"], code="110107")
    assert collection["type"] == "FeatureCollection"
    assert [f["properties"]["code"] for f in collection["features"]] == ["110107001", "110107002"]
    props = collection["features"][0]["properties"]
    assert set(props) == {"code", "name", "level", "population", "households", "area_km2", "generated"}
    assert collection["features"][0]["geometry"]["type"] == "Polygon"
