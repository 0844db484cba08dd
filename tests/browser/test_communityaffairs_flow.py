"""Community standardization in a real browser, at phone and desktop size, signing in through the login form:
(1) a community worker adds a post to the service station's charter (a quota below zero is refused in Chinese),
sees the vacancies, removes the post again; records a worker's social-worker certificate that expires soon, sees the
flag on the workforce section, renews it and removes it;
(2) the district raises the space standard for existing communities on the standards page, marks its source as
checked, and the gap list follows."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civicgrid.communityaffairs import services
from civicgrid.communityaffairs.models import CharterPost, Qualification, Standard
from civicgrid.people.models import StaffMember
from tests.browser.session import VIEWPORTS, sign_in_page, snap
from tests.conftest import COMM_A, SUB_A

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = list(VIEWPORTS)
JOURNEY = "communityaffairs"


def person(browser, live_server, username: str, size: str):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=VIEWPORTS[size])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())  # "remove this …?" asks first
    return sign_in_page(page, username)


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("size", SIZES)
def test_a_community_keeps_its_charter_posts_and_certificates(browser, live_server, users, regions, size,
                                                               tmp_path):
    services.save_charter(actor=users["community_a"], community=COMM_A, body="service_station",
                          duties="受理居民事项\n组织社区服务")
    for name in ("王芳", "李强"):
        StaffMember.objects.create(name=name, body="service_station", position="工作人员",
                                   region=regions["community_a"])
    page = person(browser, live_server, users["community_a"].username, size)
    page.goto(f"/communityaffairs/?code={COMM_A}")
    page.click("#charters ~ details summary")
    form = page.locator("[data-testid=post-form-service_station]")
    form.locator("[data-testid=post-title]").fill("工作人员")
    form.locator("[data-testid=post-quota]").fill("-1")
    form.locator("[data-testid=save-post]").click()
    expect(page.locator(".flash.error")).to_contain_text("编制数不能小于零。")
    assert not CharterPost.objects.exists()
    page.click("#charters ~ details summary")
    form.locator("[data-testid=post-title]").fill("工作人员")
    form.locator("[data-testid=post-quota]").fill("5")
    form.locator("[data-testid=save-post]").click()
    expect(page.locator("[data-testid=vacancies]")).to_have_text("3")
    page.click("#charters ~ details summary")
    assert fits(page)
    snap(page, JOURNEY, "charter-post", tmp_path)
    page.locator("[data-testid=post-工作人员] [data-testid=remove-post]").click()
    expect(page.locator("[data-testid=vacancies]")).to_have_text("0")
    assert not CharterPost.objects.exists()

    page.click("[data-testid=certificates-link]")
    page.select_option("[data-testid=staff]", label="王芳 · 工作人员")
    page.select_option("[data-testid=add-certificate] [data-testid=level]", "intermediate")
    page.fill("[data-testid=add-certificate] [data-testid=certificate-no]", "S2019110123")
    page.fill("[data-testid=add-certificate] [data-testid=issued-on]", "2019-06-16")
    soon = timezone.localdate() + timedelta(days=20)
    page.fill("[data-testid=add-certificate] [data-testid=expires-on]", soon.isoformat())
    page.click("[data-testid=add-certificate] [data-testid=add]")
    card = page.locator("[data-testid=certificate-S2019110123]")
    expect(card.locator("[data-testid=state-expiring]")).to_have_text("即将到期")
    assert fits(page)
    snap(page, JOURNEY, "certificates", tmp_path)
    page.goto(f"/communityaffairs/?code={COMM_A}")
    expect(page.locator("[data-testid=certificates]")).to_contain_text("即将到期")
    assert fits(page)
    snap(page, JOURNEY, "workforce", tmp_path)

    page.click("[data-testid=certificates-link]")
    card.locator("summary").click()
    card.locator("[data-testid=expires-on]").fill(date(soon.year + 6, soon.month, 1).isoformat())
    card.locator("[data-testid=save]").click()
    expect(page.locator(".flash.success")).to_contain_text("证书已更正")
    expect(card.locator("[data-testid=state-expiring]")).to_have_count(0)
    assert Qualification.objects.get().expires_on == date(soon.year + 6, soon.month, 1)
    card.locator("[data-testid=remove]").click()
    expect(page.locator(".flash.success")).to_contain_text("证书已删除")
    assert not Qualification.objects.exists()


@pytest.mark.parametrize("size", SIZES)
def test_the_district_edits_a_standard_and_the_gap_list_follows(browser, live_server, users, regions, size,
                                                                tmp_path):
    services.add_room(actor=users["community_a"], community=COMM_A, name="办公室", use="office", area_m2="300")
    page = person(browser, live_server, users["district"].username, size)
    page.goto("/communityaffairs/gaps/")
    expect(page.locator(f"[data-testid=gaps-{SUB_A}]")).to_contain_text("50.0")
    page.goto("/communityaffairs/standards/")
    expect(page.locator("[data-testid=unverified]")).to_have_count(len(Standard.Key.choices))
    edit = page.locator("[data-testid=edit-space_min_existing]")
    edit.locator("summary").click()
    edit.locator("[data-testid=value-input]").fill("400")
    edit.locator("[data-testid=source-input]").fill("区社会工作部通知（2026年12月，已核对原文）")
    edit.locator("[data-testid=checked-input]").check()
    assert fits(page)
    snap(page, JOURNEY, "standards", tmp_path)
    edit.locator("[data-testid=save-space_min_existing]").click()
    expect(page.locator(".flash.success")).to_contain_text("标准已保存")
    expect(page.locator("[data-testid=standard-space_min_existing] [data-testid=value]")).to_have_text("400")
    expect(page.locator("[data-testid=unverified]")).to_have_count(len(Standard.Key.choices) - 1)
    page.click("text=分街道缺口清单")
    expect(page.locator(f"[data-testid=gaps-{SUB_A}]")).to_contain_text("100.0")
    assert fits(page)
    snap(page, JOURNEY, "gaps", tmp_path)
