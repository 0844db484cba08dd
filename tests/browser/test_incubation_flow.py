"""The incubation scenario in a real browser, at phone and desktop size: an organization's account applies to the
service centre's incubator → the district centre admits it, logs a consulting service, adds a milestone and marks
it done → the incubation board shows the cohort with one organization, the service and the milestone."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civicgrid.organizations import services
from civicgrid.organizations.models import Incubation
from tests.browser.session import VIEWPORTS, sign_in_page, snap
from tests.conftest import DISTRICT
from tests.organizations.conftest import make_account, register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
JOURNEY = "incubation"


@pytest.fixture
def scene(users):
    today = timezone.localdate()
    template = services.create_template(actor=users["district"], name="能力评估（试行）", indicators=[
        {"code": "governance", "name": "内部治理", "weight": 1, "max_score": 10}])
    cohort = services.create_cohort(actor=users["district"], name="2026年第一期", region_code=DISTRICT,
                                    starts_on=today, ends_on=today + timedelta(days=730), template_id=template.pk)
    org = register(users["district"], name="阳光助残服务社", field="disability")
    return {"cohort": cohort, "org": org, "org_user": make_account(org, "org-sun")}


def _person(browser, live_server, username, size):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=VIEWPORTS[size])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, sign_in_page(page, username)


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_apply_admit_serve_and_see_it_on_the_board(browser, live_server, users, scene, size, tmp_path):
    org_context, org_page = _person(browser, live_server, "org-sun", size)
    org_page.goto("/organizations/")
    org_page.click("[data-testid=tab-incubation]")
    org_page.select_option("[data-testid=apply-cohort]", str(scene["cohort"].pk))
    org_page.fill("[data-testid=apply-needs]", "希望获得财务制度和项目设计方面的辅导")
    org_page.click("[data-testid=apply-submit]")
    expect(org_page.locator("[data-testid=application-status]")).to_have_text("已提交")
    assert _fits(org_page)
    snap(org_page, JOURNEY, "1-applied", tmp_path)

    desk_context, desk = _person(browser, live_server, users["district"].username, size)
    desk.goto("/organizations/incubation/")
    assert "阳光助残服务社" in desk.inner_text("[data-testid=pending-application]")
    desk.click(f"a[href='/organizations/incubation/cohorts/{scene['cohort'].pk}/']")
    desk.click("[data-testid=admit]")
    desk.wait_for_selector("[data-testid=incubation-status]")
    assert desk.inner_text("[data-testid=incubation-status]") == "孵化中"
    desk.select_option("[data-testid=service-kind]", "consulting")
    desk.fill("[data-testid=service-hours]", "2.5")
    desk.click("[data-testid=service-log]")
    expect(desk.locator("[data-testid=service-row]")).to_have_count(1)
    desk.fill("[data-testid=milestone-title]", "建立财务管理制度")
    desk.fill("[data-testid=milestone-due]", (timezone.localdate() + timedelta(days=30)).isoformat())
    desk.click("[data-testid=milestone-add]")
    desk.click("[data-testid=milestone-done]")
    expect(desk.locator("[data-testid=milestone-state]")).to_have_text(re.compile("完成$"))
    assert _fits(desk)
    snap(desk, JOURNEY, "2-incubation", tmp_path)

    desk.click("[data-testid=tab-board]")
    row = desk.locator("[data-testid=cohort-row]")
    assert "2026年第一期" in row.inner_text()
    assert desk.inner_text("[data-testid=cohort-current]") == "1"
    assert desk.inner_text("[data-testid=cohort-services]").startswith("1 (2.5")
    assert desk.inner_text("[data-testid=cohort-milestones]") == "1 / 0 / 0"
    assert desk.inner_text("[data-testid=board-current]") == "1"
    assert _fits(desk)
    snap(desk, JOURNEY, "3-board", tmp_path)

    org_page.reload()
    assert org_page.inner_text("[data-testid=application-status]") == "已入驻"
    assert org_page.inner_text("[data-testid=own-incubation-status]") == "孵化中"
    incubation = Incubation.objects.get(organization=scene["org"])
    assert incubation.services.get().hours == 2.5 and incubation.milestones.get().done_on == timezone.localdate()
    org_context.close()
    desk_context.close()
