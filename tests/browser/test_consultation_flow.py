"""The consultation scenario in a real browser, one context per person, signing in through the login form:
a verified resident proposes a topic on a phone → two neighbouring households support it → the community (on a
desktop) accepts it, plans the meeting, signs invitees in, writes and approves the minutes and adopts a
resolution that creates a grid case → the case is handled and closed through the cases workflow → the resolution
page and the public page (no sign-in, phone) show it done."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civicgrid.accounts.models import Role
from civicgrid.cases import services as cases
from civicgrid.cases.models import Category, HandlingUnit, State
from civicgrid.consultation.models import Meeting, Resolution, Topic
from civicgrid.territory.models import Place, PlaceKind
from tests.browser.session import PHONE, sign_in_page, signed_in
from tests.conftest import COMM_A, make_user
from tests.consultation.conftest import IN_A, verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def scene(users, regions):
    from civicgrid.cases import taxonomy

    taxonomy.seed_defaults()  # a transactional test database is flushed: seed the categories again
    old = Place.objects.create(name="老山东里", kind=PlaceKind.OLD_COMPOUND, grid=regions["grid_a"], lon=IN_A[0],
                               lat=IN_A[1], households=50, population=120)
    staff = users["community_a"]
    return {"staff": staff, "old": old,
            "wang": verified(staff, old, "1-101", "res-wang"), "li": verified(staff, old, "1-102", "res-li"),
            "zhao": verified(staff, old, "2-201", "res-zhao")}


def at_desk(browser, live_server, username: str):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return sign_in_page(page, username)


def no_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def handle_and_close(case_id: int, staff):
    """The unit's and the community's steps of the cases workflow, through its services."""
    unit, category = HandlingUnit.objects.get(code="city"), Category.objects.get(code="0101")
    worker = make_user("unit-city", Role.HANDLING_UNIT, "110107")
    unit.members.add(worker)
    for actor, action, extra in ((staff, "register", {}),
                                 (staff, "dispatch", {"unit_id": unit.pk, "category_id": category.pk}),
                                 (worker, "accept", {}), (worker, "reply", {"note": "门禁已修复"}),
                                 (staff, "verify", {"note": "现场核实"}), (staff, "close", {})):
        cases.perform(actor=actor, case_id=case_id, action=action, **extra)


def test_topic_to_resolution_done(browser, live_server, scene, tmp_path):
    shot = lambda page, name: page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)  # noqa: E731

    wang = signed_in(browser, live_server, "res-wang")
    wang.goto("/consultation/")
    wang.click("[data-testid=propose-link]")
    wang.fill("[data-testid=topic-title]", "单元门禁损坏")
    wang.fill("[data-testid=topic-text]", "1号楼单元门禁坏了一个月，外来人员随意进出。")
    wang.check(f"input[name=places][value='{scene['old'].pk}']")
    wang.click("[data-testid=topic-submit]")
    wang.wait_for_selector(".flash.success")
    assert wang.inner_text("[data-testid=topic-state]") == "征集支持中"
    topic = Topic.objects.get()
    assert topic.compound_kind == "old_compound" and topic.proposer == scene["wang"]
    assert no_overflow(wang)
    shot(wang, "phone-topic")

    for neighbour in ("res-li", "res-zhao"):
        page = signed_in(browser, live_server, neighbour)
        page.goto(f"/consultation/topics/{topic.pk}/")
        page.click("[data-testid=support-button]")
        page.wait_for_selector(".flash.success")
    assert page.inner_text("[data-testid=support-count]") == "2"

    desk = at_desk(browser, live_server, f"community-{COMM_A}")
    desk.goto("/consultation/")
    desk.click(f"text={topic.title}")
    desk.select_option("[data-testid=decision]", "accept")
    desk.fill("[data-testid=decision-text]", "涉及全楼安全，列入本月恳谈会")
    desk.click("[data-testid=decide-button]")
    desk.wait_for_selector(".flash.success")
    assert desk.inner_text("[data-testid=topic-state]") == "已列入协商"

    starts = timezone.localtime(timezone.now() + timedelta(days=1))
    desk.fill("[data-testid=meeting-title]", "十二月社情恳谈会")
    desk.fill("[data-testid=meeting-start]", f"{starts:%Y-%m-%dT19:00}")
    desk.click("[data-testid=plan-button]")
    desk.wait_for_selector("[data-testid=signin-sheet]")
    for name, party in (("王大爷", "resident_rep"), ("物业张经理", "property")):
        desk.fill("[data-testid=invitee-name]", name)
        desk.select_option("[data-testid=invitee-party]", party)
        desk.click("[data-testid=invite-button]")
        desk.wait_for_selector(f"text={name}")
    for row in ("sign-in-1", "sign-in-2"):
        desk.click(f"[data-testid={row}]")
        desk.wait_for_selector(f"[data-testid={row}]", state="detached")
    assert "居民代表 1/1" in desk.inner_text("[data-testid=attendance]")
    desk.fill("[data-testid=minutes-text]", "议题：单元门禁损坏。物业承诺两周内修复。")
    desk.click("[data-testid=minutes-save]")
    desk.wait_for_selector("[data-testid=minutes-approve]")
    desk.click("[data-testid=minutes-approve]")
    desk.wait_for_selector(".flash.success")
    assert desk.inner_text("[data-testid=meeting-state]") == "记录已审定"
    meeting = Meeting.objects.get()
    assert meeting.state == Meeting.State.APPROVED and meeting.minutes.approved_at is not None

    desk.fill("[data-testid=resolution-title]", "修复1号楼单元门禁")
    desk.fill("[data-testid=resolution-owner]", "物业公司")
    desk.fill("[data-testid=resolution-due]", f"{timezone.localdate() + timedelta(days=14):%Y-%m-%d}")
    desk.check("[data-testid=resolution-action]")
    desk.click("[data-testid=resolution-adopt]")
    desk.wait_for_selector("[data-testid=resolution-case]")
    resolution = Resolution.objects.select_related("case").get()
    assert resolution.case.channel == "consultation" and resolution.status == "in_progress"
    shot(desk, "desktop-meeting")

    handle_and_close(resolution.case_id, scene["staff"])
    resolution.refresh_from_db()
    assert resolution.case.state == State.CLOSED

    desk.click("[data-testid=resolution-link]")
    assert desk.inner_text("[data-testid=resolution-status]") == "已完成"  # the state in consultation's own words
    assert desk.inner_text("[data-testid=resolution-progress]") == "100%"
    assert desk.inner_text("[data-testid=resolution-case-state]") == "已结案"
    desk.fill("[data-testid=milestone-title]", "物业更换门禁主板")
    desk.fill("[data-testid=milestone-done]", f"{timezone.localdate():%Y-%m-%d}")
    desk.click("[data-testid=milestone-add]")
    desk.wait_for_selector(".flash.success")
    assert "物业更换门禁主板" in desk.inner_text("[data-testid=milestones]")
    desk.click("[data-testid=publish-resolution]")
    desk.wait_for_selector(".flash.success")
    shot(desk, "desktop-resolution")

    wang.goto(f"/consultation/topics/{topic.pk}/")
    assert resolution.case.number in wang.inner_text("[data-testid=timeline]")

    visitor = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=PHONE).new_page()
    visitor.goto(f"/consultation/public/{COMM_A}/")
    public = visitor.inner_text("[data-testid=public-resolutions]")
    assert "修复1号楼单元门禁" in public and "完成" in public and "100%" in public
    assert "涉及全楼安全" in visitor.inner_text("main")
    assert no_overflow(visitor)
    shot(visitor, "phone-public")
