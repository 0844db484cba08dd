"""The volunteering scenario in a real browser, one context per person, signing in through the login form:
sign up → check in with the shift's QR link → attendance confirmed → points credited → redeemed at a shop →
certificate verified on its public page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civicgrid.accounts.models import Role
from civicgrid.volunteering import services
from tests.browser.session import signed_in, snap
from tests.conftest import COMM_A, make_user
from tests.volunteering.conftest import end_shift, make_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scene(users):
    organizer = users["community_a"]
    team = services.create_team(actor=organizer, name="阳光志愿队", region_code=COMM_A)
    activity = services.create_activity(actor=organizer, team_id=team.pk, title="探访空巢老人",
                                        place_name="社区服务站", target_groups=["empty_nest"])
    now = timezone.now()
    shift = services.add_shift(actor=organizer, activity_id=activity.pk, starts_at=now - timedelta(minutes=5),
                               ends_at=now + timedelta(hours=2), capacity=5)
    shop_user = make_user("shop-01", Role.PARTNER_SHOP, "110107")
    services.register_shop(actor=organizer, username="shop-01", name="便民超市", region_code=COMM_A)
    today = timezone.localdate()
    offer = services.create_offer(actor=shop_user, title="洗衣液一瓶", points=20, stock=5,
                                  valid_from=today, valid_until=today + timedelta(days=30))
    volunteer_user = make_user("xiaoming", Role.RESIDENT)
    return {"organizer": organizer, "shift": shift, "offer": offer, "shop": shop_user, "volunteer": volunteer_user}


def test_sign_up_to_verified_certificate(browser, live_server, scene, tmp_path):
    shift, offer = scene["shift"], scene["offer"]
    volunteer = signed_in(browser, live_server, "xiaoming")
    volunteer.goto("/volunteering/register/")
    volunteer.fill("input[name=name]", "王小明")
    volunteer.fill("input[name=id_number]", make_id(555))
    volunteer.fill("input[name=phone]", "13700001111")
    volunteer.select_option("select[name=region_code]", COMM_A)
    volunteer.check("input[name=consent]")
    volunteer.click("[data-testid=register-submit]")
    volunteer.wait_for_selector("[data-testid=home-balance]")

    volunteer.goto("/volunteering/activities/")
    volunteer.click(f"[data-testid=signup-{shift.pk}]")
    volunteer.wait_for_selector(".flash")

    organizer = signed_in(browser, live_server, scene["organizer"].username)
    organizer.goto(f"/volunteering/desk/shifts/{shift.pk}/")
    checkin_url = organizer.get_attribute("[data-testid=checkin-url]", "href")

    volunteer.goto(checkin_url)
    volunteer.click("[data-testid=scan-button]")
    volunteer.wait_for_selector(".flash.success")

    organizer.reload()
    assert "已签到" in organizer.inner_text("[data-testid=signup-status]")
    # hours are confirmed once the community has verified the registration and the shift is over
    services.verify_volunteer(actor=scene["organizer"], volunteer_id=scene["volunteer"].volunteer.pk)
    end_shift(shift)
    organizer.reload()
    snap(organizer, "volunteer", "10-shift-desk-check-in", tmp_path)
    organizer.click("[data-testid^=attended-]")
    organizer.wait_for_selector(".flash.success")
    assert "已签退" in organizer.inner_text("[data-testid=signup-status]")

    volunteer.goto("/volunteering/me/records/")
    assert "已确认" in volunteer.inner_text("[data-testid=record-status]")
    volunteer.goto("/volunteering/me/points/")
    balance = int(volunteer.inner_text("[data-testid=balance]"))
    assert balance >= offer.points
    volunteer.once("dialog", lambda dialog: dialog.accept())  # redeeming asks first
    volunteer.click(f"[data-testid=claim-{offer.pk}]")
    code = volunteer.inner_text("[data-testid=redemption-code]").strip()
    assert int(volunteer.inner_text("[data-testid=balance]")) == balance - offer.points

    shop = signed_in(browser, live_server, "shop-01")
    shop.goto("/volunteering/shop/")
    shop.fill("[data-testid=code-input]", code)
    shop.click("[data-testid=code-submit]")
    shop.wait_for_selector(".flash.success")
    assert shop.inner_text("[data-testid=shop-balance]") == str(offer.points)

    volunteer.goto("/volunteering/me/certificates/")
    volunteer.click("[data-testid=issue-certificate]")
    verify_url = volunteer.get_attribute("[data-testid=certificate-verify]", "href")
    number = volunteer.inner_text("[data-testid=certificate]").split("·")[0].strip()

    public = browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    public.goto(verify_url)
    assert public.inner_text("[data-testid=verify-number]") == number
    assert "王小明" not in public.content() and "王*" in public.inner_text("[data-testid=verify-holder]")
    snap(public, "volunteer", "11-public-certificate-check", tmp_path)
    for page in (volunteer, organizer, shop, public):
        page.context.close()
