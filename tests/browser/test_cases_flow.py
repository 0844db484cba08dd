"""The grid case scenario in a real browser, one context per person, signing in through the login form:
a resident reports with a photo and a map pin → the community registers and dispatches → the unit accepts and
replies → the grid worker verifies on site → the resident rates it; the state is checked on every screen."""

import pytest

from civicgrid.accounts.models import Role
from civicgrid.cases.models import Case, CasePhoto, HandlingUnit, State
from tests.browser.session import signed_in, snap
from tests.cases.conftest import jpeg_with_gps
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scene(users):
    from civicgrid.cases import taxonomy

    taxonomy.seed_defaults()  # a transactional test database is flushed: seed the categories again
    unit_user = make_user("unit-01", Role.HANDLING_UNIT, "110107")
    HandlingUnit.objects.get(code="city").members.add(unit_user)
    return users


def state_on(page) -> str:
    return page.inner_text("[data-testid=case-state]")


def test_report_to_rating(browser, live_server, scene, tmp_path):
    photo = tmp_path / "garbage.jpg"
    photo.write_bytes(jpeg_with_gps())

    resident = signed_in(browser, live_server, "resident-1")
    resident.goto("/cases/report/")
    resident.fill("[data-testid=report-description]", "小区门口有暴露垃圾，已经两天没人清运")
    resident.set_input_files("[data-testid=report-photo]", str(photo))
    box = resident.locator("[data-testid=grid-shape]").first.bounding_box()
    resident.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert resident.inner_text("[data-testid=pin-coords]")
    snap(resident, "resident", "01-report", tmp_path)
    resident.click("[data-testid=report-submit]")
    resident.wait_for_selector("[data-testid=case-number]")
    assert state_on(resident) == "已上报"
    case = Case.objects.get()
    assert case.region_code.startswith("110107001003") and CasePhoto.objects.filter(case=case).count() == 1
    assert resident.locator("[data-testid=case-photo]").count() == 1
    snap(resident, "resident", "02-reported", tmp_path)

    community = signed_in(browser, live_server, "community-110107001003")
    community.goto("/cases/desk/")
    snap(community, "dispatcher", "01-desk", tmp_path)
    community.click(f"[data-testid=open-{case.pk}]")
    assert state_on(community) == "已上报"
    assert "暴露垃圾" in community.inner_text("[data-testid=suggestion]")
    community.click("[data-testid=action-register]")
    community.wait_for_selector(".flash.success")
    assert state_on(community) == "已立案"
    community.click("[data-testid=action-dispatch]")
    community.wait_for_selector(".flash.success")
    assert state_on(community) == "已派遣"
    assert "城市管理" in community.inner_text("[data-testid=case-unit]")
    snap(community, "dispatcher", "02-dispatched", tmp_path)

    unit = signed_in(browser, live_server, "unit-01")
    unit.goto("/cases/unit/")
    assert "已派遣" in unit.inner_text(f"[data-testid=case-row-{case.pk}]")
    unit.click(f"[data-testid=open-{case.pk}]")
    unit.click("[data-testid=action-accept]")
    unit.wait_for_selector(".flash.success")
    assert state_on(unit) == "处置中"
    unit.fill("[data-testid=reply-note]", "已清运完毕")
    unit.click("[data-testid=action-reply]")
    unit.wait_for_selector(".flash.success")
    assert state_on(unit) == "已反馈"

    grid = signed_in(browser, live_server, "grid-110107001003001")
    grid.goto("/cases/patrol/")
    snap(grid, "grid-worker", "01-patrol", tmp_path)
    assert "已反馈" in grid.inner_text(f"[data-testid=case-row-{case.pk}]")
    grid.click(f"[data-testid=open-{case.pk}]")
    grid.click("[data-testid=action-verify]")
    grid.wait_for_selector(".flash.success")
    assert state_on(grid) == "已核查"
    snap(grid, "grid-worker", "02-verified", tmp_path)

    resident.goto("/cases/mine/")
    assert "已核查" in resident.inner_text(f"[data-testid=case-row-{case.pk}]")
    resident.click(f"[data-testid=open-{case.pk}]")
    resident.select_option("[data-testid=rate-resolved]", "yes")
    resident.select_option("[data-testid=rate-satisfaction]", "satisfied")
    resident.click("[data-testid=action-rate]")
    resident.wait_for_selector(".flash.success")
    assert state_on(resident) == "已结案"
    assert resident.inner_text("[data-testid=case-satisfaction]") == "满意"
    snap(resident, "resident", "03-rated", tmp_path)
    case.refresh_from_db()
    assert case.state == State.CLOSED and case.satisfaction == "satisfied" and case.resolved
