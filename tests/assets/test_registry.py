"""Reads of the registry: scope by grid (another community's asset is 404), the picker's `near`, the API."""

import pytest

from civicgrid.assets import selectors
from civicgrid.assets.models import Asset, AssetState
from civicgrid.core.errors import NotFound
from tests.conftest import GRID_A, GRID_B

pytestmark = pytest.mark.django_db


def make_asset(code_tail: int, lon: float, lat: float, grid: str, kind="0118", **extra) -> Asset:
    return Asset.objects.create(code=f"110107{kind}{code_tail:06d}", kind=kind, lon=lon, lat=lat, region_code=grid,
                                owner_unit=extra.pop("owner_unit", "city"), **extra)


@pytest.fixture
def assets(regions):
    return {"a": make_asset(1, 116.155, 39.905, GRID_A, name="路灯A"),
            "a_near": make_asset(2, 116.1556, 39.905, GRID_A),  # about 51 m east
            "a_far": make_asset(3, 116.158, 39.905, GRID_A),  # about 256 m east
            "removed": make_asset(4, 116.1551, 39.905, GRID_A, state=AssetState.REMOVED),
            "b": make_asset(5, 116.205, 39.905, GRID_B)}


def test_staff_see_the_assets_of_their_area_and_another_communitys_asset_is_404(users, assets):
    codes = set(selectors.list_assets(actor=users["community_a"]).values_list("code", flat=True))
    assert assets["a"].code in codes and assets["b"].code not in codes
    with pytest.raises(NotFound):
        selectors.get_asset(actor=users["community_a"], code=assets["b"].code)
    with pytest.raises(NotFound):
        selectors.get_asset(actor=users["resident"], code=assets["a"].code)
    assert selectors.list_assets(actor=users["district"]).count() == 5


def test_near_lists_assets_in_use_within_the_radius_nearest_first(assets):
    found = selectors.near(lon=116.155, lat=39.905, radius_m=150)
    assert [a.code for a, _d in found] == [assets["a"].code, assets["a_near"].code]
    assert found[1][1] == pytest.approx(51, abs=2)
    assert len(selectors.near(lon=116.155, lat=39.905, radius_m=300)) == 3


def test_api_near_answers_public_fields_and_the_detail_is_scoped(users, assets, login):
    client = login(users["resident"])
    answer = client.get("/api/v1/assets/near", {"lon": 116.155, "lat": 39.905}).json()
    assert [row["code"] for row in answer] == [assets["a"].code, assets["a_near"].code]
    assert set(answer[0]) == {"code", "kind", "kind_name", "name", "owner_name", "lon", "lat", "distance_m"}
    assert client.get(f"/api/v1/assets/{assets['a'].code}").status_code == 404
    staff = login(users["community_a"])
    assert staff.get(f"/api/v1/assets/{assets['a'].code}").json()["region_code"] == GRID_A
    assert staff.get(f"/api/v1/assets/{assets['b'].code}").status_code == 404
    assert staff.get("/api/v1/assets").json()["count"] == 4


def test_api_import_returns_the_report(users, login, regions):
    client = login(users["district"])
    data = b"code,kind,lon,lat\n1101070118000009,0118,116.155,39.905\n1101070118000010,0118,x,39.9\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    answer = client.post("/api/v1/assets/import", {"file": SimpleUploadedFile("a.csv", data)}).json()
    assert answer["created"] == 0 and answer["errors"][0]["line"] == 3
    assert login(users["community_a"]).post(
        "/api/v1/assets/import", {"file": SimpleUploadedFile("a.csv", data)}).status_code == 403


def test_the_upload_page_shows_each_bad_line_and_imports_a_good_file(users, login, regions):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(users["district"])
    bad = b"code,kind,lon,lat\n1101070118000009,0118,116.155,39.905\n1101070118000010,0118,x,39.9\n"
    page = client.post("/assets/import/", {"file": SimpleUploadedFile("a.csv", bad)}).content.decode()
    assert 'data-testid="import-errors"' in page and "<td>3</td>" in page
    good = bad.splitlines()[0] + b"\n" + bad.splitlines()[1] + b"\n"
    page = client.post("/assets/import/", {"file": SimpleUploadedFile("a.csv", good)}).content.decode()
    assert 'data-testid="import-done"' in page and Asset.objects.count() == 1
    assert login(users["community_a"]).get("/assets/import/").status_code == 403
