"""Public by decision, in a real browser: a resident asks to publish a report that names a phone number, the
community moderates it on the case page, and an anonymous visitor on a phone and on a desktop finds it on the
public case map and list, with the phone number removed; a hotline order never shows."""

import pytest

from civicgrid.cases import services
from civicgrid.cases.models import Case, Channel, Publication
from tests.browser.session import PHONE, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}
IN_A = (116.155, 39.905)


@pytest.fixture
def reports(users):
    from civicgrid.cases import taxonomy

    taxonomy.seed_defaults()  # a transactional test database is flushed: seed the categories again
    web = services.report_case(actor=users["resident"], channel=Channel.RESIDENT, lon=IN_A[0], lat=IN_A[1],
                               description="路灯坏了一个月，请联系13912345678", publish=True)
    hotline = services.report_case(actor=users["community_a"], channel=Channel.HOTLINE, lon=IN_A[0], lat=IN_A[1],
                                   description="12345来电：噪音扰民", publish=True)
    return web, hotline


def test_moderated_report_on_the_public_map(browser, live_server, reports, tmp_path):
    web, hotline = reports
    community = signed_in(browser, live_server, "community-110107001003")
    community.goto(f"/cases/{web.pk}/")
    proposal = community.input_value("[data-testid=moderation] textarea")
    assert "13912345678" not in proposal and "路灯坏了" in proposal
    community.click("[data-testid=moderate-publish]")
    community.wait_for_selector(".flash.success")
    assert Case.objects.get(pk=web.pk).publication == Publication.PUBLISHED

    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=viewport)
        visitor = context.new_page()
        visitor.goto("/cases/public/")
        visitor.wait_for_selector(f"[data-testid=public-case-{web.number}]")
        listing = visitor.inner_text("[data-testid=public-cases]")
        assert "路灯坏了" in listing and "13912345678" not in listing and "噪音扰民" not in listing
        assert visitor.locator("[data-testid=public-map] .leaflet-interactive").count() >= 1
        visitor.screenshot(path=str(tmp_path / f"public-list-{name}.png"), full_page=True)
        visitor.click(f"[data-testid=public-case-{web.number}] a")
        visitor.wait_for_selector("[data-testid=public-description]")
        assert "13912345678" not in visitor.content()
        visitor.screenshot(path=str(tmp_path / f"public-detail-{name}.png"), full_page=True)
        assert visitor.goto(f"/cases/public/{hotline.number}/").status == 404
        context.close()
