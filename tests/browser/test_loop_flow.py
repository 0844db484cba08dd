"""接诉即办 closes the loop, in a real browser at phone and desktop size: a 12345 order imported → registered and
dispatched → the unit asks for an extension and the dispatcher approves it → replied → verified → closed → the
call-back reaches the caller on the second attempt (a working day later) and records "basically satisfied" → the
statistics page shows it → the export gives the result back by order number."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from playwright.sync_api import expect

from civicgrid.accounts.models import Role, User
from civicgrid.cases.models import CallBack, Case, HandlingUnit, State
from civicgrid.cases.services.hotline import COLUMNS
from tests.browser.session import VIEWPORTS, sign_in_page, snap
from tests.cases.conftest import IN_A
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ORDER = "BJ12345-20260302-0001"


@pytest.fixture
def scene(users):
    from civicgrid.cases import taxonomy

    taxonomy.seed_defaults()  # a transactional test database is flushed: seed the categories again
    unit_user = make_user("unit-01", Role.HANDLING_UNIT, "110107")
    HandlingUnit.objects.get(code="city").members.add(unit_user)
    users["sub_a"].user_permissions.add(Permission.objects.get(codename="call_back"))
    return users


def person(browser, live_server, username, viewport):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=VIEWPORTS[viewport],
                                  accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return sign_in_page(page, username)


def act(page, action, **fields):
    for selector, value in fields.items():
        page.fill(f"[data-testid={selector}]", value)
    page.click(f"[data-testid={action}]")
    page.wait_for_selector(".flash.success")


def batch(tmp_path):
    path = tmp_path / "orders.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        writer.writerow([ORDER, timezone.localtime().isoformat(timespec="seconds"), "楼道堆物无人清理，影响通行",
                         "13900001111", IN_A[0], IN_A[1], "", "0101", ""])
    return path


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_12345_order_round_trip(browser, live_server, scene, tmp_path, viewport):
    journey = f"loop-{viewport}"
    district = person(browser, live_server, "district-110107", viewport)
    district.goto("/cases/import/")
    district.set_input_files("input[name=file]", str(batch(tmp_path)))
    district.click("button.primary")
    district.wait_for_selector(".flash.success")
    case = Case.objects.get(external_id=ORDER)
    district.set_input_files("input[name=file]", str(batch(tmp_path)))  # the same batch again: nothing changes
    district.click("button.primary")
    expect(district.locator(".flash.success")).to_contain_text("未作改动")
    assert Case.objects.count() == 1
    snap(district, journey, "1-imported", tmp_path)

    office = person(browser, live_server, "subdistrict-110107001", viewport)
    office.goto("/cases/desk/")
    office.click(f"[data-testid=open-{case.pk}]")
    act(office, "action-register")
    act(office, "action-dispatch")
    assert office.inner_text("[data-testid=case-state]") == "已派遣"

    unit = person(browser, live_server, "unit-01", viewport)
    unit.goto(f"/cases/{case.pk}/")
    act(unit, "action-accept")
    new_day = timezone.localdate() + timedelta(days=20)
    unit.select_option("[data-testid=request-kind]", "extension")
    act(unit, "request-ask", **{"request-date": new_day.isoformat(), "request-reason": "需协调物业清运"})
    snap(unit, journey, "2-extension-asked", tmp_path)

    office.goto("/cases/desk/")
    assert "延期" in office.inner_text(f"[data-testid=desk-request-{case.pk}]")
    snap(office, journey, "3-desk-with-request", tmp_path)
    office.goto(f"/cases/{case.pk}/")
    act(office, "request-approve")
    case.refresh_from_db()
    assert timezone.localtime(case.deadline).date() == new_day

    unit.goto(f"/cases/{case.pk}/")
    assert "已批准" in unit.inner_text("[data-testid=request-history]")
    act(unit, "action-reply", **{"reply-note": "已协调物业清运完毕"})
    grid = person(browser, live_server, "grid-110107001003001", viewport)
    grid.goto(f"/cases/{case.pk}/")
    act(grid, "action-verify")
    office.goto(f"/cases/{case.pk}/")
    act(office, "action-close")
    assert office.inner_text("[data-testid=case-state]") == "已结案"

    office.goto("/cases/callbacks/")
    office.click(f"[data-testid=callback-open-{case.pk}]")
    assert office.inner_text("[data-testid=callback-phone]") == "139****1111"
    office.click("[data-testid=callback-reveal]")
    assert office.inner_text("[data-testid=callback-phone]") == "13900001111"
    office.check("[data-testid=callback-unreached]")
    act(office, "callback-submit")
    assert office.inner_text("[data-testid=callback-attempts]").startswith("1 / 3")
    # A working day later (the clock cannot move in a live server): the next attempt may be made from today.
    CallBack.objects.filter(case=case).update(last_attempt_on=timezone.localdate() - timedelta(days=1),
                                              next_attempt_on=timezone.localdate())
    office.reload()
    office.click("[data-testid=callback-reveal]")
    office.check("[data-testid=callback-reached]")
    office.select_option("[data-testid=callback-resolved]", "yes")
    office.select_option("[data-testid=callback-satisfaction]", "basic")
    act(office, "callback-submit", **{"callback-comment": "来电人表示基本满意"})
    assert office.inner_text("[data-testid=callback-state]") == "已联系上 · 基本满意"
    snap(office, journey, "4-called-back", tmp_path)
    case.refresh_from_db()
    assert case.state == State.CLOSED and case.callback_satisfaction == "basic" and case.callback_resolved

    office.goto("/cases/statistics/?by=channel")
    hotline = office.locator("[data-testid=channel-hotline]")
    assert hotline.locator("[data-testid=channel-satisfaction]").inner_text() == "100.0%"
    assert hotline.locator("[data-testid=channel-called-back]").inner_text() == "1"
    snap(office, journey, "5-statistics", tmp_path)

    district.goto("/cases/import/")
    with district.expect_download() as download:
        district.click("[data-testid=export-csv]")
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    [row] = [r for r in rows if r["order_no"] == ORDER]
    assert (row["callback_satisfaction"], row["callback_resolved"], row["handling_result"]) == ("basic", "是",
                                                                                               "closed")
    assert row["reply"] == "已协调物业清运完毕" and row["phone"] == "139****1111"
    assert User.objects.filter(username="district-110107").exists()
