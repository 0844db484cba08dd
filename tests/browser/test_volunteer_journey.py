"""The volunteer's and the partner shop's journeys as they live them, on a phone and on a desktop window:
a resident becomes a volunteer, finds an activity where it happens, signs up (已报名, one place fewer), gets
hours only once the shift is over and the community has verified them, redeems points (never beyond the balance,
always asked first), gets a certificate; the shop confirms the code. Screenshots: `make screenshots`."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from civicgrid.accounts.models import Role
from civicgrid.volunteering import services
from tests.browser.session import VIEWPORTS, sign_in_page, snap
from tests.conftest import COMM_A, COMM_B, make_user
from tests.volunteering.conftest import end_shift, make_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scene(users):
    organizer = users["community_a"]
    team = services.create_team(actor=organizer, name="阳光志愿队", region_code=COMM_A)
    activity = services.create_activity(actor=organizer, team_id=team.pk, title="探访空巢老人",
                                        place_name="阳光小区活动室", target_groups=["empty_nest"])
    tomorrow = timezone.localdate() + timedelta(days=1)
    start = timezone.make_aware(datetime(tomorrow.year, tomorrow.month, tomorrow.day, 9))
    shift = services.add_shift(actor=organizer, activity_id=activity.pk, starts_at=start,
                               ends_at=start + timedelta(hours=2), capacity=3)
    other_team = services.create_team(actor=users["community_b"], name="和平志愿队", region_code=COMM_B)
    other = services.create_activity(actor=users["community_b"], team_id=other_team.pk, title="垃圾分类宣传",
                                     place_name="和平里广场", target_groups=["general"])
    services.add_shift(actor=users["community_b"], activity_id=other.pk, starts_at=start + timedelta(days=2),
                       ends_at=start + timedelta(days=2, hours=2), capacity=5)
    shop_user = make_user("shop-01", Role.PARTNER_SHOP, "110107")
    services.register_shop(actor=organizer, username="shop-01", name="便民超市", region_code=COMM_A)
    today = timezone.localdate()
    offers = [services.create_offer(actor=shop_user, title=title, points=points, stock=5, valid_from=today,
                                    valid_until=today + timedelta(days=30))
              for title, points in (("洗衣液一瓶", 20), ("大米5公斤", 500))]
    make_user("xiaoming", Role.RESIDENT)
    return {"organizer": organizer, "shift": shift, "offers": offers}


def _context(browser, live_server, size):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=VIEWPORTS[size])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _box(page, selector):
    return page.locator(selector).bounding_box()


def _check_header(page, size):
    """The phone header takes at most a sixth of the screen; "退出登录" stays on one line; the language menu names
    each language in its own name; the favicon is there."""
    height = page.evaluate("document.querySelector('header.topbar').getBoundingClientRect().height")
    if size == "phone":
        assert height <= VIEWPORTS["phone"]["height"] / 6, height
    sign_out = page.locator("[data-testid=sign-out]")
    assert sign_out.inner_text() == "退出登录"
    lines = page.evaluate("""() => { const r = document.createRange();
        r.selectNodeContents(document.querySelector('[data-testid=sign-out]'));
        return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }""")
    assert lines == 1
    assert page.locator("[data-testid=language-menu] option").all_inner_texts() == ["简体中文", "English"]
    icon = page.get_attribute("link[rel=icon]", "href")
    assert page.request.get(icon).status == 200


def _ticks_beside_labels(page):
    for label in page.locator("[data-testid=register-form] label.check").all():
        tick, text = label.locator("input").bounding_box(), label.locator("span").bounding_box()
        assert tick["x"] + tick["width"] <= text["x"] + 1 and text["x"] - (tick["x"] + tick["width"]) < 24
        assert abs((tick["y"] + tick["height"] / 2) - (text["y"] + min(text["height"], 24) / 2)) < 14


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_volunteer_and_partner_shop_journeys(browser, live_server, scene, size, tmp_path):
    shift, (affordable, dear) = scene["shift"], scene["offers"]
    me = sign_in_page(_context(browser, live_server, size), "xiaoming")
    _check_header(me, size)
    snap(me, "volunteer", "01-home", tmp_path)

    me.click("[data-testid=become-volunteer]")
    form = me.locator("[data-testid=register-form]")
    assert form.locator("[data-testid=field-name] label").inner_text().startswith("姓名")
    assert me.inner_text("[data-testid=register-submit]") == "提交注册"
    _ticks_beside_labels(me)
    me.fill("input[name=name]", "王小明")
    me.fill("input[name=id_number]", make_id(556))
    me.fill("input[name=phone]", "13700001112")
    me.select_option("select[name=region_code]", COMM_A)
    me.check("input[name=skills][value=visit]")
    me.check("input[name=consent]")
    snap(me, "volunteer", "02-register", tmp_path)
    me.click("[data-testid=register-submit]")
    me.wait_for_selector("[data-testid=home-balance]")
    assert "成为志愿者" not in me.content()

    me.goto("/volunteering/activities/")
    assert me.locator("[data-testid=activity]").count() == 2
    assert me.inner_text("[data-testid=filter-submit]") == "筛选"
    me.select_option("[data-testid=filter-community]", COMM_A)
    me.click("[data-testid=filter-submit]")
    me.wait_for_url("**community=*")
    assert me.locator("[data-testid=activity]").count() == 1
    assert me.inner_text("[data-testid=activity-where]") == "地点：阳光小区活动室，社区a"
    assert me.inner_text(f"[data-testid=places-left-{shift.pk}]") == "剩余 3/3 个名额"
    me.click(f"[data-testid=signup-{shift.pk}]")
    me.wait_for_selector(f"[data-testid=signed-up-{shift.pk}]")
    assert me.inner_text(f"[data-testid=signed-up-{shift.pk}]") == "已报名"
    assert me.inner_text(f"[data-testid=places-left-{shift.pk}]") == "剩余 2/3 个名额"
    snap(me, "volunteer", "03-signed-up", tmp_path)

    # hours: not for an unverified registration, not before the shift has ended
    desk = sign_in_page(_context(browser, live_server, size), scene["organizer"].username)
    desk.goto(f"/volunteering/desk/shifts/{shift.pk}/")
    assert desk.locator("[data-testid^=unverified-]").count() == 1
    assert desk.locator("[data-testid^=attended-]").count() == 0
    desk.goto("/volunteering/community/")
    desk.click("form[action*='/verify/'] button")
    desk.wait_for_selector(".flash.success")
    desk.goto(f"/volunteering/desk/shifts/{shift.pk}/")
    assert desk.locator("[data-testid^=attended-]").is_disabled()
    width = desk.evaluate("document.documentElement.scrollWidth")
    assert width <= desk.viewport_size["width"], width  # the check-in link wraps instead of widening the page
    snap(desk, "volunteer", "04-organizer-before-the-shift-ends", tmp_path)
    end_shift(shift)
    desk.reload()
    desk.click("[data-testid^=attended-]")
    desk.wait_for_selector(".flash.success")
    assert "2 小时" in desk.inner_text(".flash.success")

    me.goto("/volunteering/me/records/")
    assert me.inner_text("[data-testid=record-hours]") == "2 小时"
    assert "已确认" in me.inner_text("[data-testid=record-status]")
    snap(me, "volunteer", "05-my-hours", tmp_path)

    me.goto("/volunteering/me/points/")
    balance = int(me.inner_text("[data-testid=balance]"))
    assert affordable.points <= balance < dear.points
    assert me.locator(f"[data-testid=claim-{dear.pk}]").is_disabled()
    asked = []
    me.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    me.click(f"[data-testid=claim-{affordable.pk}]")
    assert asked and "洗衣液一瓶" in asked[0] and str(affordable.points) in asked[0]
    assert int(me.inner_text("[data-testid=balance]")) == balance  # dismissed: nothing redeemed
    me.once("dialog", lambda dialog: dialog.accept())
    me.click(f"[data-testid=claim-{affordable.pk}]")
    code = me.inner_text("[data-testid=redemption-code]").strip()
    assert int(me.inner_text("[data-testid=balance]")) == balance - affordable.points
    snap(me, "volunteer", "06-points", tmp_path)

    me.goto("/volunteering/me/certificates/")
    me.click("[data-testid=issue-certificate]")
    me.click("[data-testid=certificate-verify]")
    assert me.inner_text("[data-testid=verify-hours]") == "2 小时"
    snap(me, "volunteer", "07-certificate", tmp_path)

    shop = sign_in_page(_context(browser, live_server, size), "shop-01")
    _check_header(shop, size)
    shop.goto("/volunteering/shop/")
    shop.fill("[data-testid=code-input]", code)
    snap(shop, "partner-shop", "01-code-entered", tmp_path)
    shop.click("[data-testid=code-submit]")
    shop.wait_for_selector(".flash.success")
    assert shop.inner_text("[data-testid=shop-balance]") == str(affordable.points)
    snap(shop, "partner-shop", "02-redeemed", tmp_path)
    for page in (me, desk, shop):
        page.context.close()
