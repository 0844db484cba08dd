"""Party building in a real browser, at phone and desktop size, signing in through the login form:
(1) a building workstation takes a company's request, which becomes a grid case dispatched to the routed unit, and
books its room (a second, overlapping booking is refused in Chinese);
(2) a community registers its brand project, reports progress with an evidence file, the subdistrict makes the
mid-term and the district the final evaluation and promotes it; the public showcase (no sign-in) shows it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civicgrid.cases.models import Case, Category, State
from civicgrid.partybuilding import services
from civicgrid.partybuilding.models import BrandProject, CompanyRequest
from civicgrid.territory.models import Place, PlaceKind
from tests.browser.session import VIEWPORTS, sign_in_page, snap
from tests.conftest import COMM_A
from tests.partybuilding.conftest import IN_A, credit_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = list(VIEWPORTS)


def person(browser, live_server, username: str, size: str):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=VIEWPORTS[size])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return sign_in_page(page, username)


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def tower(users, regions):
    from civicgrid.cases import taxonomy

    taxonomy.seed_defaults()  # a transactional test database is flushed: seed the categories again
    staff = users["community_a"]
    place = Place.objects.create(name="鲁谷商务楼", kind=PlaceKind.OFFICE_BUILDING, grid=regions["grid_a"],
                                 lon=IN_A[0], lat=IN_A[1])
    building = services.register_building(actor=staff, place_id=place.pk, floors=18)
    firm = services.register_enterprise(actor=staff, name="星光科技有限公司", credit_code=credit_code(31),
                                        size="small", building_id=building.pk, employees=40)
    station = services.open_workstation(actor=staff, building_id=building.pk, name="鲁谷楼宇工作站",
                                        stations=["party", "union", "youth", "women", "social"])
    services.add_room(actor=staff, workstation_id=station.pk, name="白领之家", capacity=20)
    return {"building": building, "firm": firm, "station": station}


@pytest.mark.parametrize("size", SIZES)
def test_workstation_turns_a_companys_request_into_a_case(browser, live_server, users, tower, size, tmp_path):
    category = Category.objects.filter(parent__isnull=False, active=True,
                                       parent__default_unit__isnull=False).order_by("code").first()
    page = person(browser, live_server, users["community_a"].username, size)
    page.goto("/partybuilding/")
    page.click(f"[data-testid=building-{tower['building'].pk}]")
    assert "党建工作站" in page.inner_text("[data-testid=stations]")
    form = page.locator("[data-testid=request-form]")
    form.locator("select[name=category_id]").select_option(str(category.pk))
    form.locator("textarea[name=description]").fill("楼前路灯不亮，员工夜间下班不安全")
    snap(page, "partybuilding-request", "request", tmp_path)
    form.locator("button[type=submit]").click()
    request = CompanyRequest.objects.get()
    case = Case.objects.get(pk=request.case_id)
    assert case.state == State.DISPATCHED and case.unit is not None
    flash = page.inner_text(".flash")
    assert case.number in flash and case.unit.name in flash
    assert case.number in page.inner_text("[data-testid=requests]")
    assert fits(page)
    start = timezone.now() + timedelta(days=1)
    for purpose in ("党员学习", "重复预订"):
        booking = page.locator("form[data-testid^=book-form]")
        booking.locator("input[name=starts_at]").fill(local(start))
        booking.locator("input[name=ends_at]").fill(local(start + timedelta(hours=2)))
        booking.locator("input[name=purpose]").fill(purpose)
        booking.locator("button[type=submit]").click()
    assert "该房间在此时段内已有预订" in page.inner_text(".flash.error")
    assert "党员学习" in page.inner_text("[data-testid=bookings]")
    page.click("[data-testid=request-case]")
    expect(page.locator("body")).to_contain_text(case.number)
    snap(page, "partybuilding-request", "case", tmp_path)
    page.context.close()


@pytest.mark.parametrize("size", SIZES)
def test_brand_project_from_registration_to_the_showcase(browser, live_server, users, regions, size, tmp_path):
    today = timezone.localdate()
    community = person(browser, live_server, users["community_a"].username, size)
    community.goto("/partybuilding/projects/")
    form = community.locator("[data-testid=project-form]")
    form.locator("input[name=community]").fill(COMM_A)
    form.locator("input[name=title]").fill("红色议事厅")
    form.locator("textarea[name=goal]").fill("让居民议事有场所、有规则、有结果")
    form.locator("input[name=i_name]").first.fill("议事会次数")
    form.locator("input[name=i_target]").first.fill("12次")
    form.locator("input[name=budget]").fill("50000")
    form.locator("input[name=owner]").fill("社区党委书记")
    form.locator("input[name=starts_on]").fill(str(today - timedelta(days=10)))
    form.locator("input[name=ends_on]").fill(str(today + timedelta(days=200)))
    form.locator("input[name=m_title]").first.fill("方案与台账")
    form.locator("input[name=m_due]").first.fill(str(today + timedelta(days=20)))
    snap(community, "partybuilding-brand", "register", tmp_path)
    form.locator("button[type=submit]").click()
    project = BrandProject.objects.get()
    assert "已登记" in community.inner_text("[data-testid=project-status]")
    report = community.locator("[data-testid=report-form]")
    report.locator("textarea[name=text]").fill("召开议事会三次")
    report.locator("input[name=spent]").fill("12000")
    report.locator("input[name=files]").set_input_files(
        {"name": "纪要.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 minutes"})
    report.locator("button[type=submit]").click()
    expect(community.locator("[data-testid=reports]")).to_contain_text("纪要.pdf")
    assert "推进中" in community.inner_text("[data-testid=project-status]")
    assert fits(community)
    community.context.close()

    for username, score in ((users["sub_a"].username, "86"), (users["district"].username, "92")):
        evaluator = person(browser, live_server, username, size)
        evaluator.goto(f"/partybuilding/projects/{project.pk}/")
        evaluation = evaluator.locator("[data-testid=evaluate-form]")
        evaluation.locator("input[name=score]").fill(score)
        evaluation.locator("button[type=submit]").click()
        evaluator.wait_for_selector("[data-testid=evaluations]")
        if username == users["district"].username:
            promote = evaluator.locator("[data-testid=promote-form]")
            promote.locator("textarea[name=showcase_text]").fill("居民议事从“吵架”到“商量”，一年议成十件实事。")
            promote.locator("button[type=submit]").click()
            snap(evaluator, "partybuilding-brand", "promoted", tmp_path)
        evaluator.context.close()
    project.refresh_from_db()
    assert project.status == "completed" and project.is_model
    assert [e.stage for e in project.evaluations.order_by("created_at")] == ["midterm", "final"]

    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=VIEWPORTS[size])
    public = context.new_page()
    public.goto("/partybuilding/showcase/")
    assert "红色议事厅" in public.inner_text(f"[data-testid=showcase-{project.pk}]")
    assert "50000" not in public.content()  # the budget is not public
    snap(public, "partybuilding-brand", "showcase", tmp_path)
    context.close()


@pytest.fixture
def registers(users, regions, tower):
    """Beside the tower: a party member of the register, a model enterprise, an event open for self sign-up."""
    from tests.partybuilding.conftest import resident

    staff = users["community_a"]
    compound = Place.objects.create(name="杨庄小区", kind=PlaceKind.OLD_COMPOUND, grid=regions["grid_a"], lon=IN_A[0],
                                    lat=IN_A[1], households=30, population=80)
    branch = services.create_organization(actor=staff, name="鲁谷社区党委", kind="community", region_code=COMM_A)
    member = services.register_member(actor=staff, resident_id=resident(staff, compound, "党员甲").pk,
                                      organization_id=branch.pk, employed=True)
    model = services.name_model_enterprise(actor=users["district"], enterprise_id=tower["firm"].pk,
                                           year=timezone.localdate().year, rank=1)
    event = services.create_event(actor=staff, workstation_id=tower["station"].pk, title="白领读书会",
                                  starts_at=timezone.now() + timedelta(days=3), capacity=20, self_signup=True)
    return {"member": member, "model": model, "event": event}


def _submit(page, testid: str, fields: dict, selects: dict | None = None):
    form = page.locator(f"[data-testid={testid}]")
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    for name, value in (selects or {}).items():
        form.locator(f"select[name={name}]").select_option(value)
    form.locator("button[type=submit]").click()


@pytest.mark.parametrize("size", SIZES)
def test_members_chambers_pledges_staff_and_self_sign_up_pages(browser, live_server, users, tower, registers, size,
                                                                tmp_path):
    member, firm = registers["member"], tower["firm"]
    page = person(browser, live_server, users["community_a"].username, size)
    # a member's commitments and services
    page.goto("/partybuilding/members/")
    page.click(f"[data-testid=member-{member.pk}]")
    _submit(page, "commit-form", {"text": "每月楼门值守两次", "hours": "24"})
    expect(page.locator("[data-testid=commitments]")).to_contain_text("每月楼门值守两次")
    _submit(page, "service-form", {"content": "垃圾分类引导", "minutes": "90"})
    expect(page.locator("[data-testid=member-minutes]")).to_have_text("90")
    page.locator("[data-testid^=close-commitment] input[name=outcome]").fill("全年值守26次")
    page.locator("[data-testid^=close-commitment] button").click()
    expect(page.locator("[data-testid=commitments]")).to_contain_text("全年值守26次")
    assert fits(page)
    snap(page, "partybuilding-registers", "member", tmp_path)
    # a chamber of commerce founded in the tower, a member enterprise and an activity
    page.goto("/partybuilding/chambers/")
    _submit(page, "chamber-form", {"name": "鲁谷楼宇商会"}, {"building_ids": str(tower["building"].pk)})
    expect(page.locator("h1")).to_have_text("鲁谷楼宇商会")
    _submit(page, "chamber-member-form", {}, {"enterprise_id": str(firm.pk)})
    expect(page.locator("[data-testid=chamber-members]")).to_contain_text(firm.name)
    _submit(page, "chamber-activity-form", {"title": "政企座谈会"})
    expect(page.locator("[data-testid=chamber-activities]")).to_contain_text("政企座谈会")
    assert fits(page)
    snap(page, "partybuilding-registers", "chamber", tmp_path)
    # a joint-building partner, a linked unit's pledge and its use, never beyond the quantity
    page.goto("/partybuilding/organizations/")
    _submit(page, "partner-form", {"name": "区医院", "pledge": "每月义诊一次"})
    expect(page.locator("body")).to_contain_text("区医院（每月义诊一次）")
    page.goto("/partybuilding/sunflower/")
    model = registers["model"]
    page.locator(f"[data-testid=pledge-form-{model.pk}]").locator("xpath=..").locator("summary").click()
    _submit(page, f"pledge-form-{model.pk}", {"unit": "京西出租公司", "description": "通勤车（次）", "amount": "2"},
            {"kind": "vehicle"})
    pledge = model.pledges.get()
    for amount in ("2", "1"):
        _submit(page, f"use-form-{pledge.pk}", {"used_on": str(timezone.localdate()), "used_by": "社区党委",
                                                "purpose": "接送老人体检", "amount": amount})
    expect(page.locator(".flash.error")).to_contain_text("剩余量")
    expect(page.locator(f"[data-testid=left-{pledge.pk}]")).to_have_text("0")
    assert fits(page)
    snap(page, "partybuilding-registers", "pledges", tmp_path)
    # the workstation's staff on the building page
    page.goto(f"/partybuilding/buildings/{tower['building'].pk}/")
    _submit(page, "staff-form", {"name": "林雪", "post": "团建专员"}, {"station": "youth"})
    expect(page.locator("[data-testid=staff]")).to_contain_text("林雪")
    snap(page, "partybuilding-registers", "staff", tmp_path)
    page.locator("[data-testid^=remove-staff]").first.click()
    expect(page.locator("[data-testid=staff]")).not_to_contain_text("林雪")
    page.context.close()

    # a white-collar worker signs up and cancels on a phone-sized page
    event = registers["event"]
    worker = person(browser, live_server, users["resident"].username, size)
    worker.goto("/partybuilding/events/")
    _submit(worker, f"join-form-{event.pk}", {"name": "张白领"}, {"enterprise_id": str(firm.pk)})
    expect(worker.locator(f"[data-testid=mine-{event.pk}]")).to_contain_text(firm.name)
    expect(worker.locator(f"[data-testid=seats-{event.pk}]")).to_contain_text("19")
    assert fits(worker)
    snap(worker, "partybuilding-registers", "signed-up", tmp_path)
    worker.click(f"[data-testid=cancel-{event.pk}]")
    expect(worker.locator(f"[data-testid=seats-{event.pk}]")).to_contain_text("20")
    worker.context.close()
