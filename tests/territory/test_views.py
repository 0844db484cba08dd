"""The region browser pages on the small fixture tree."""

import pytest

from civicgrid.territory import services
from civicgrid.territory.models import PlaceKind

pytestmark = pytest.mark.django_db


def test_browser_opens_on_the_users_own_region(login, users):
    response = login(users["community_a"]).get("/regions/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="region-map"' in html and "社区a" in html
    assert 'data-testid="child-link"' in html and "/regions/110107001003001/" in html
    assert "/static/leaflet/leaflet.js" in html and "territory/map.js" in html
    assert 'id="region-map-data"' in html
    assert "<script>" not in html  # CSP: no inline scripts


def test_breadcrumbs_link_only_inside_the_jurisdiction(login, users):
    html = login(users["community_a"]).get("/regions/110107001003001/").content.decode()
    assert 'href="/regions/110107001003/"' in html
    assert 'href="/regions/110107001/"' not in html
    assert "街道a" in html  # the ancestor is named, not linked


def test_another_communitys_region_is_404(login, users):
    client = login(users["community_a"])
    assert client.get("/regions/110107002001/").status_code == 404
    assert client.get("/regions/110107001/").status_code == 404
    assert client.get("/regions/nonsense/").status_code == 404


def test_grid_page_lists_its_places(login, users, regions):
    services.create_place(actor=None, grid=regions["grid_a"], name="鲁谷东街小区", kind=PlaceKind.COMMODITY_HOUSING,
                          lon=116.155, lat=39.905, households=80, population=200)
    html = login(users["grid_a"]).get("/regions/").content.decode()
    assert 'data-testid="places-table"' in html and "鲁谷东街小区" in html


def test_district_user_sees_subdistricts(login, users):
    html = login(users["district"]).get("/regions/").content.decode()
    assert html.count('data-testid="child-link"') == 2


def test_user_without_area_gets_an_explanation(login, users):
    response = login(users["resident"]).get("/regions/")
    assert response.status_code == 200 and 'data-testid="no-region"' in response.content.decode()


def test_anonymous_is_sent_to_login(client, regions):
    assert client.get("/regions/").status_code == 302
