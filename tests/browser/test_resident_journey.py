"""The resident's journey on a phone and on a desktop: the report form over the district's own base map (streets
from the walking network, division names), "my location" naming grid and community, a refused report that keeps
everything (the photo too) with the error beside its field, the case page in plain words with a small map, the
follow page linked from home, confirmation and footer, and a rating that replaces its form with a thank-you.
Screenshots go to var/screenshots/resident/ under `make screenshots`."""

import pytest
from playwright.sync_api import expect

from civicgrid.accounts.models import Role
from civicgrid.cases import services
from civicgrid.cases.models import Case, CasePhoto, Category, HandlingUnit
from tests.browser.session import DESKTOP, PHONE, sign_in_page, snap
from tests.cases.conftest import jpeg_with_gps
from tests.conftest import make_user
from tests.servicecircle.conftest import categories, network  # noqa: F401 - the stored test street lattice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IN_A = {"longitude": 116.155, "latitude": 39.905}
OUTSIDE = {"longitude": 117.5, "latitude": 40.5}
SIZES = {"phone": PHONE, "desktop": DESKTOP}
STAFF_JARGON = ("首接人", "返工次数", "管辖范围", "report →", "dispatched", "110107001003001")


@pytest.fixture
def scene(users, network):  # noqa: F811 - the fixture imported above
    from civicgrid.basemap import tiles
    from civicgrid.cases import taxonomy

    taxonomy.seed_defaults()  # a transactional test database is flushed: seed the categories again
    unit_user = make_user("unit-01", Role.HANDLING_UNIT, "110107")
    HandlingUnit.objects.get(code="city").members.add(unit_user)
    users["unit"] = unit_user
    tiles.invalidate()
    return users


def person(browser, live_server, size, geolocation=None, username=None):
    options = {"permissions": ["geolocation"], "geolocation": geolocation} if geolocation else {}
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=SIZES[size], **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return sign_in_page(page, username) if username else page


def base_map_drawn(page, selector: str) -> None:
    """Streets of the base-map tiles are drawn under the map's own layers."""
    page.locator(f"{selector} .leaflet-basemap-pane path").first.wait_for(state="attached")


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_resident_reports_follows_and_rates(browser, live_server, scene, tmp_path, size):
    photo = tmp_path / "garbage.jpg"
    photo.write_bytes(jpeg_with_gps())
    resident = person(browser, live_server, size, IN_A, "resident-1")
    assert resident.get_attribute("[data-testid=home-follow]", "href").endswith("/cases/follow/")
    assert resident.get_attribute("[data-testid=footer-follow]", "href").endswith("/cases/follow/")
    assert "管辖范围" not in resident.inner_text("main")

    resident.goto("/cases/report/")
    base_map_drawn(resident, "#pin-map")
    resident.locator("#pin-map .basemap-label").first.wait_for(state="attached")  # division names: another tile
    resident.click("[data-testid=locate-me]")
    expect(resident.locator("[data-testid=pin-place]")).not_to_be_empty()
    assert resident.inner_text("[data-testid=pin-place]") == "社区a · 网格a"
    snap(resident, "resident", "report-located", tmp_path)

    garbage = Category.objects.get(code="0101")
    resident.fill("[data-testid=report-description]", "小区门口有暴露垃圾，已经两天没人清运")
    resident.select_option("[data-testid=report-category]", str(garbage.pk))
    resident.set_input_files("[data-testid=report-photo]", str(photo))
    resident.fill("[data-testid=address-input]", "6号楼南侧")
    resident.fill("[data-testid=report-phone]", "12345")
    resident.click("[data-testid=report-submit]")
    resident.wait_for_selector("[data-testid=error-phone]")
    snap(resident, "resident", "report-error-keeps-everything", tmp_path)
    assert "手机号" in resident.inner_text("[data-testid=error-phone]")
    assert resident.locator("[data-testid=report-form] [data-testid=error-phone]").count() == 1
    assert resident.input_value("[data-testid=report-description]") == "小区门口有暴露垃圾，已经两天没人清运"
    assert resident.input_value("[data-testid=report-category]") == str(garbage.pk)
    assert resident.input_value("[data-testid=address-input]") == "6号楼南侧"
    assert resident.input_value("[data-testid=report-phone]") == "12345"
    assert resident.input_value("#pin-lon") == "116.155000" and resident.input_value("#pin-lat") == "39.905000"
    expect(resident.locator("[data-testid=pin-place]")).not_to_be_empty()
    assert resident.inner_text("[data-testid=pin-place]") == "社区a · 网格a"
    assert resident.is_visible("[data-testid=kept-photo]") and not Case.objects.exists()

    resident.fill("[data-testid=report-phone]", "13800001234")
    resident.click("[data-testid=report-submit]")
    resident.wait_for_selector("[data-testid=case-number]")
    case = Case.objects.get()
    assert CasePhoto.objects.filter(case=case).count() == 1  # the kept photo, without choosing it again
    assert resident.locator("[data-testid=case-photo]").count() == 1
    assert resident.get_attribute("[data-testid=follow-link]", "href").endswith("/cases/follow/")
    assert case.number in resident.inner_text("[data-testid=follow-hint]")
    base_map_drawn(resident, "#case-map")
    assert "社区a" in resident.inner_text("[data-testid=case-place]")
    assert "网格a" in resident.inner_text("[data-testid=case-place]")
    assert "已提交" in resident.inner_text("[data-testid=timeline]")
    snap(resident, "resident", "reported", tmp_path)

    for action, who, params in (("register", "community_a", {}), ("dispatch", "community_a", {}),
                                ("accept", "unit", {}), ("reply", "unit", {"note": "已清运完毕"}),
                                ("verify", "grid_a", {})):
        services.perform(actor=scene[who], case_id=case.pk, action=action, **params)
    unit = HandlingUnit.objects.get(code="city").name
    resident.reload()
    timeline = resident.inner_text("[data-testid=timeline]")
    assert "已受理" in timeline and f"已派给 {unit}" in timeline and "已清运完毕" in timeline
    page_text = resident.inner_text("main")
    assert not [word for word in STAFF_JARGON if word in page_text]
    resident.select_option("[data-testid=rate-resolved]", "yes")
    resident.select_option("[data-testid=rate-satisfaction]", "satisfied")
    resident.click("[data-testid=action-rate]")
    resident.wait_for_selector(".flash.success")
    assert "评价已记录" in resident.inner_text(".flash.success")
    assert resident.locator("[data-testid=action-rate]").count() == 0
    assert resident.locator("[data-testid=rate-satisfaction]").count() == 0
    assert "已办结" in resident.inner_text("[data-testid=timeline]")
    snap(resident, "resident", "rated", tmp_path)

    visitor = person(browser, live_server, size)
    visitor.goto("/accounts/login/")
    visitor.click("[data-testid=footer-follow]")
    visitor.fill("input[name=number]", case.number)
    visitor.fill("input[name=last4]", "1234")
    visitor.click("form.filters button[type=submit]")
    visitor.wait_for_selector("[data-testid=follow-result]")
    assert "已结案" in visitor.inner_text("[data-testid=follow-result]")
    snap(visitor, "resident", "follow", tmp_path)


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_my_location_refused_or_outside_says_so(browser, live_server, scene, size):
    refused = person(browser, live_server, size, None, "resident-1")
    refused.goto("/cases/report/")
    refused.click("[data-testid=locate-me]")
    expect(refused.locator("[data-testid=pin-message]")).to_contain_text("拒绝")
    assert refused.input_value("#pin-lon") == ""

    away = person(browser, live_server, size, OUTSIDE, "resident-1")
    away.goto("/cases/report/")
    away.click("[data-testid=locate-me]")
    expect(away.locator("[data-testid=pin-message]")).to_contain_text("不在本区")
    assert away.input_value("#pin-lon") == ""
