"""A resident reports a broken street lamp by typing the street's name, picking the suggestion (the pin moves
there), then picking the lamp among the street assets near the pin; the community dispatches and the case goes
to the lamp's owner unit, not to the category's unit. At phone and desktop size, with screenshots."""

import pytest

from civicgrid.assets.models import Asset
from civicgrid.cases.models import Case, HandlingUnit
from civicgrid.territory import services as territory
from tests.browser.session import VIEWPORTS, sign_in_page, snap
from tests.conftest import DISTRICT, GRID_A

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LAMP = "1101070118000007"


@pytest.fixture
def scene(users):
    from civicgrid.cases import taxonomy

    taxonomy.seed_defaults()  # a transactional test database is flushed: seed the categories again
    HandlingUnit.objects.create(code="lighting", name="区路灯管理所")
    territory.replace_streets(actor=None, district_code=DISTRICT, generated=True, source="test",
                              streets=[("鲁谷路", [(116.151, 39.905), (116.159, 39.905)])])
    Asset.objects.create(code=LAMP, kind="0118", name="鲁谷路7号灯杆", lon=116.1552, lat=39.9051,
                         region_code=GRID_A, owner_unit="lighting", owner_name="区路灯管理所")
    Asset.objects.create(code="1101070101000001", kind="0101", lon=116.1547, lat=39.9049, region_code=GRID_A,
                         owner_unit="city", owner_name="自来水公司")
    return users


def open_as(browser, live_server, username, size):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=VIEWPORTS[size])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return sign_in_page(page, username)


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_report_by_street_name_and_asset_goes_to_the_owner_unit(browser, live_server, scene, tmp_path, size):
    resident = open_as(browser, live_server, "resident-1", size)
    resident.goto("/cases/report/")
    resident.fill("[data-testid=report-description]", "路灯不亮，晚上很黑")
    resident.locator("[data-testid=address-input]").press_sequentially("鲁谷路74号")
    suggestion = resident.locator("[data-testid=address-suggestion]").first
    suggestion.wait_for()
    assert "鲁谷路74号" in suggestion.inner_text() and "大致" in suggestion.inner_text()
    snap(resident, "resident", "address-suggestions", tmp_path)
    suggestion.click()
    assert "鲁谷路" in resident.inner_text("[data-testid=address-note]")
    assert resident.inner_text("[data-testid=pin-coords]")
    resident.wait_for_selector("[data-testid=asset-marker]")
    assert resident.locator("[data-testid=asset-select] option").count() == 3  # "none" + the two assets
    resident.select_option("[data-testid=asset-select]", LAMP)
    snap(resident, "resident", "asset-step", tmp_path)
    resident.click("[data-testid=report-submit]")
    resident.wait_for_selector("[data-testid=case-number]")
    case = Case.objects.get()
    assert (case.asset_id, case.region_code, case.address) == (Asset.objects.get(code=LAMP).pk, GRID_A, "鲁谷路74号")

    community = open_as(browser, live_server, "community-110107001003", size)
    community.goto(f"/cases/{case.pk}/")
    community.click("[data-testid=action-register]")
    community.wait_for_selector(".flash.success")
    community.click("[data-testid=action-dispatch]")
    community.wait_for_selector(".flash.success")
    assert "区路灯管理所" in community.inner_text("[data-testid=case-unit]")
    assert LAMP in community.inner_text("[data-testid=case-asset]")
    snap(community, "community", "dispatched-to-owner", tmp_path)
    assert Case.objects.get().unit.code == "lighting"


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_district_staff_upload_assets_see_bad_lines_then_import(browser, live_server, scene, tmp_path, size):
    header = "code,kind,name,owner_unit,owner_name,lon,lat,address,state\n"
    bad = tmp_path / "bad.csv"
    bad.write_text(header + "1101070118000100,0118,,lighting,,116.156,39.906,,\n"
                   "1101070118000101,0101,,lighting,,116.156,39.906,,\n", encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text(header + "1101070118000100,0118,,lighting,,116.156,39.906,,\n", encoding="utf-8")
    staff = open_as(browser, live_server, "district-110107", size)
    staff.goto("/assets/import/")
    staff.set_input_files("[data-testid=asset-file]", str(bad))
    staff.click("[data-testid=asset-import]")
    errors = staff.inner_text("[data-testid=import-errors]")
    assert "3" in errors and "asset_code_kind_mismatch" in errors
    snap(staff, "district", "asset-import-errors", tmp_path)
    assert not Asset.objects.filter(code="1101070118000100").exists()
    staff.set_input_files("[data-testid=asset-file]", str(good))
    staff.click("[data-testid=asset-import]")
    assert "新增 1 个" in staff.inner_text("[data-testid=import-done]")
    assert Asset.objects.get(code="1101070118000100").region_code == GRID_A
