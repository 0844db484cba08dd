"""The staff journeys on a phone and on a desktop, each step screenshotted:

grid worker — his grid's whole open queue (new reports first), ages and time left coloured, a map of the queue,
filters, then an on-site check with a photo taken by the phone's camera;
dispatcher and unit — the district home dashboard, the desk filtered subdistrict → community, verbs on the buttons
(voiding asks first), register and dispatch; the unit's desk with clocks, accept, reply with a photo; the people
list filtered in steps and a full ID number revealed only for a stated purpose."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civicgrid.accounts.models import Role
from civicgrid.cases import services
from civicgrid.cases.models import Case, CasePhoto, Category, Channel, HandlingUnit, State
from civicgrid.core.models import AuditEvent
from tests.browser.session import DESKTOP, PHONE, sign_in_page, snap
from tests.cases.conftest import IN_A, IN_B, jpeg_with_gps
from tests.conftest import COMM_A, GRID_A, SUB_A, make_user
from tests.people.conftest import grant_reveal, make_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
ID_A = make_id(seq="611")


@pytest.fixture
def scene(users, regions):
    from civicgrid.cases import taxonomy
    from civicgrid.people import services as people
    from civicgrid.territory.models import Place, PlaceKind

    taxonomy.seed_defaults()  # a transactional test database is flushed: seed the categories again
    unit_user = make_user("unit-01", Role.HANDLING_UNIT, "110107")
    HandlingUnit.objects.get(code="city").members.add(unit_user)
    users["unit"] = unit_user
    garbage = Category.objects.get(code="0101")

    def case(text, where=IN_A, **extra):
        return services.report_case(actor=users["resident"], channel=Channel.RESIDENT, lon=where[0], lat=where[1],
                                    description=text, **extra)

    cases = {"late": case("人行道井盖破损，行人容易绊倒", category_id=garbage.pk),
             "replied": case("楼下垃圾桶满溢", category_id=garbage.pk),
             "other": case("另一社区的路灯不亮", where=IN_B)}
    community = users["community_a"]
    for key in ("late", "replied"):
        services.register(actor=community, case_id=cases[key].pk)
        services.dispatch(actor=community, case_id=cases[key].pk)
    services.accept(actor=unit_user, case_id=cases["replied"].pk)
    services.reply(actor=unit_user, case_id=cases["replied"].pk, note="已清运")
    Case.objects.filter(pk=cases["late"].pk).update(deadline=timezone.now() - timedelta(hours=5), overdue=True)
    cases["new"] = case("小区门口有暴露垃圾，已经两天没人清运")
    place = Place.objects.create(name="阳光小区", kind=PlaceKind.COMMODITY_HOUSING, grid=regions["grid_a"],
                                 lon=IN_A[0], lat=IN_A[1], population=1000, households=400)
    people.register_resident(actor=users["district"], place=place, unit_label="3号楼2单元501室", name="王秀兰",
                             id_number=ID_A, phone="13912345678")
    grant_reveal(users["district"])
    return {"users": users, "cases": cases}


def open_as(browser, live_server, username, size):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=size)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return sign_in_page(page, username)


def rows(page) -> list[str]:
    return page.locator("[data-testid^=case-row-]").evaluate_all("els => els.map(e => e.dataset.testid)")


@SIZES
def test_grid_worker_journey(browser, live_server, scene, size, tmp_path):
    cases = scene["cases"]
    page = open_as(browser, live_server, f"grid-{GRID_A}", size)
    page.goto("/cases/")
    page.click("[data-testid=go-patrol]")
    page.wait_for_selector("[data-testid=queue-marker]")
    snap(page, "grid-worker", "1-queue", tmp_path)
    assert rows(page)[0] == f"case-row-{cases['new'].pk}"  # the new report first
    assert set(rows(page)) == {f"case-row-{cases[k].pk}" for k in ("new", "late", "replied")}
    late = page.locator(f"[data-testid=case-row-{cases['late'].pk}]")
    assert "超期" in late.locator("[data-testid=case-left]").inner_text()
    assert "clock-overdue" in late.locator("[data-testid=case-left]").get_attribute("class")
    assert late.locator("[data-testid=case-age]").inner_text()
    assert page.locator("[data-testid=queue-marker]").count() == 3
    assert page.locator("[data-testid=step-sub]").count() == 0  # a grid worker has no region to choose

    page.check("[data-testid=filter-overdue]")
    page.locator("[data-testid=queue-filters] button[type=submit]").click()
    page.wait_for_url("**overdue=1**")
    assert rows(page) == [f"case-row-{cases['late'].pk}"]
    snap(page, "grid-worker", "2-overdue", tmp_path)

    page.click("[data-testid=to-verify]")
    page.wait_for_url("**state=replied**")
    assert rows(page) == [f"case-row-{cases['replied'].pk}"]
    page.click(f"[data-testid=open-{cases['replied'].pk}]")
    camera = page.locator("[data-testid=verify-photo]")
    assert camera.get_attribute("accept") == "image/*" and camera.get_attribute("capture") == "environment"
    photo = tmp_path / "site.jpg"
    photo.write_bytes(jpeg_with_gps())
    page.fill("[data-testid=verify-note]", "现场已清理干净")
    camera.set_input_files(str(photo))
    snap(page, "grid-worker", "3-verify", tmp_path)
    page.click("[data-testid=action-verify]")
    page.wait_for_selector(".flash.success")
    assert page.inner_text("[data-testid=case-state]") == "已核查"
    assert page.locator("[data-testid=case-photo]").count() == 1
    assert CasePhoto.objects.filter(case=cases["replied"], event__kind="verify").count() == 1
    snap(page, "grid-worker", "4-verified", tmp_path)


@SIZES
def test_dispatcher_and_unit_journey(browser, live_server, scene, size, tmp_path):
    cases = scene["cases"]
    page = open_as(browser, live_server, "district-110107", size)
    assert page.locator("[data-testid=figure-new]").inner_text().startswith("4")
    assert page.locator("[data-testid=figure-overdue]").inner_text().startswith("1")
    assert "%" in page.inner_text("[data-testid=figure-response]")
    assert page.locator("[data-testid=figure-volunteer-hours]").count() == 1
    assert page.locator("[data-testid=figure-coverage]").count() == 1
    snap(page, "dispatcher", "1-home", tmp_path)

    with page.expect_navigation():
        page.click("[data-testid=figure-overdue]")
    assert page.locator(f"[data-testid=desk-row-{cases['late'].pk}]").count() == 1
    page.goto("/cases/desk/")
    assert page.locator("[data-testid=step-community]").count() == 0
    with page.expect_navigation():
        page.select_option("[data-testid=step-sub]", SUB_A)  # steps submit themselves
    with page.expect_navigation():
        page.select_option("[data-testid=step-community]", COMM_A)
    assert page.locator("[data-testid=step-grid] option").count() == 2  # "all" and the community's one grid
    assert page.locator(f"[data-testid=desk-row-{cases['new'].pk}]").count() == 1
    assert page.locator(f"[data-testid=desk-row-{cases['other'].pk}]").count() == 0
    page.wait_for_selector("[data-testid=queue-marker]")
    snap(page, "dispatcher", "2-desk", tmp_path)

    page.click(f"[data-testid=open-{cases['new'].pk}]")
    void = page.locator("[data-testid=action-void]")
    assert void.inner_text().strip() == "作废" and void.get_attribute("class") == "danger"
    assert page.locator("[data-testid=action-register]").get_attribute("class") == "primary"
    page.fill("[data-testid=void-note]", "重复上报")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    void.click()
    assert asked and "作废" in asked[0]
    assert page.inner_text("[data-testid=case-state]") == "已上报"  # dismissed: nothing happened
    snap(page, "dispatcher", "3-case", tmp_path)
    page.click("[data-testid=action-register]")
    page.wait_for_selector(".flash.success")
    page.click("[data-testid=action-dispatch]")
    page.wait_for_selector(".flash.success")
    assert page.inner_text("[data-testid=case-state]") == "已派遣"

    unit = open_as(browser, live_server, "unit-01", size)
    unit.goto("/cases/unit/")
    row = unit.locator(f"[data-testid=case-row-{cases['new'].pk}]")
    assert "剩余" in row.locator("[data-testid=case-left]").inner_text()
    assert "超期" in unit.locator(f"[data-testid=case-row-{cases['late'].pk}] [data-testid=case-left]").inner_text()
    unit.wait_for_selector("[data-testid=queue-marker]")
    snap(unit, "dispatcher", "4-unit-desk", tmp_path)
    unit.click(f"[data-testid=open-{cases['new'].pk}]")
    unit.click("[data-testid=action-accept]")
    unit.wait_for_selector(".flash.success")
    camera = unit.locator("[data-testid=reply-photo]")
    assert camera.get_attribute("accept") == "image/*" and camera.get_attribute("capture") == "environment"
    photo = tmp_path / "done.jpg"
    photo.write_bytes(jpeg_with_gps())
    unit.fill("[data-testid=reply-note]", "已清运完毕")
    camera.set_input_files(str(photo))
    unit.click("[data-testid=action-reply]")
    unit.wait_for_selector(".flash.success")
    assert unit.inner_text("[data-testid=case-state]") == "已反馈"
    assert unit.locator("[data-testid=case-photo]").count() == 1
    snap(unit, "dispatcher", "5-unit-replied", tmp_path)

    page.goto("/people/residents/")
    assert page.locator("[data-testid=step-grid]").count() == 0
    with page.expect_navigation():
        page.select_option("[data-testid=step-sub]", SUB_A)
    with page.expect_navigation():
        page.select_option("[data-testid=step-community]", COMM_A)
    with page.expect_navigation():
        page.select_option("[data-testid=step-grid]", GRID_A)
    assert page.locator("[data-testid=resident-row]").count() == 1
    snap(page, "dispatcher", "6-people", tmp_path)
    page.locator("[data-testid=resident-row] a").first.click()
    page.click("[data-testid=reveal-id_number]")  # no purpose: the form is not sent
    assert page.locator("[data-testid=revealed-id_number]").count() == 0
    page.fill("[data-testid=reveal-purpose]", "核实低保申请人身份")
    snap(page, "dispatcher", "7-purpose", tmp_path)
    page.click("[data-testid=reveal-id_number]")
    assert page.inner_text("[data-testid=revealed-id_number]") == ID_A
    assert AuditEvent.objects.filter(action="people.resident.reveal").last().detail["purpose"] == "核实低保申请人身份"
    snap(page, "dispatcher", "8-revealed", tmp_path)
    assert Case.objects.get(pk=cases["new"].pk).state == State.REPLIED
