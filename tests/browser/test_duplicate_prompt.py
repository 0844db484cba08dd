"""The duplicate prompt in a real browser, on a phone and on a desktop: a resident pins a problem and picks its
category → the open case of that category a neighbour reported beside the pin shows ("是同一个问题吗？") → the
resident follows it instead of reporting again → "My cases" lists it, and no second case exists."""

import pytest

from civicgrid.accounts.models import Role
from civicgrid.cases import services
from civicgrid.cases.models import Case, Category, Channel, Follower
from tests.browser.session import DESKTOP, PHONE, sign_in_page, snap
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scene(users):
    from civicgrid.cases import taxonomy

    taxonomy.seed_defaults()  # a transactional test database is flushed: seed the categories again
    make_user("resident-2", Role.RESIDENT)
    return users


@pytest.mark.parametrize(("size", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_follow_the_open_case_beside_the_pin(browser, live_server, scene, tmp_path, size, viewport):
    garbage = Category.objects.get(code="0101")
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in_page(page, "resident-2")
    page.goto("/cases/report/")
    box = page.locator("[data-testid=grid-shape]").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    lon, lat = float(page.input_value("#pin-lon")), float(page.input_value("#pin-lat"))
    assert page.locator("[data-testid=duplicate-prompt]").is_hidden()  # no category yet
    existing = services.report_case(actor=scene["resident"], channel=Channel.RESIDENT, lon=lon + 0.0003, lat=lat,
                                    category_id=garbage.pk, description="李四说门口垃圾三天没人清运")
    page.select_option("select[name=category_id]", str(garbage.pk))
    page.wait_for_selector("[data-testid=duplicate-case]")
    prompt = page.inner_text("[data-testid=duplicate-prompt]")
    assert "是同一个问题吗？" in prompt and existing.number in prompt and "暴露垃圾" in prompt
    assert "相距约 30 米" in prompt and "李四" not in prompt
    snap(page, "duplicate-prompt", "prompt", tmp_path)
    page.click("[data-testid=duplicate-join]")
    page.wait_for_selector("[data-testid=joined-case]")
    assert existing.number in page.inner_text("[data-testid=joined-cases]")
    assert "已关注案件" in page.inner_text(".flash.success")
    snap(page, "duplicate-prompt", "joined", tmp_path)
    assert Case.objects.count() == 1 and Follower.objects.get(case=existing, user__username="resident-2").joined
    context.close()
