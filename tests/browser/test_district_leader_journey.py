"""The district leader's journey in a real browser, at phone and desktop size: the statistics page (rates as
79.7%, three charts, the bubble map's legend, table labels on a phone), the region map (labelled shapes coloured
by a figure, with a legend; case figures beside population with thousands separators), the audit log in Chinese
words with filters, the service circle (readable tooltips, recommended sites with their reach, a new analysis
that shows progress and refreshes the page by itself) and the Django admin in Chinese.

Screenshots of each step: `make screenshots` → var/screenshots/district-leader/<step>-<phone|desktop>.png."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from civicgrid.accounts.models import Role
from civicgrid.cases import services as case_services
from civicgrid.cases import taxonomy
from civicgrid.cases.models import Case, Category, HandlingUnit
from civicgrid.servicecircle import services
from civicgrid.territory.models import Region
from tests.browser.session import VIEWPORTS, sign_in_page, snap
from tests.cases.conftest import IN_B, report, to_state
from tests.conftest import DISTRICT, make_user
from tests.servicecircle.conftest import done_run, network, scene  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("servicecircle")]
JOURNEY = "district-leader"
PERCENT = re.compile(r"^\d{1,3}\.\d%$")


@pytest.fixture
def categories(db):
    from civicgrid.servicecircle.reference import seed_categories

    seed_categories()


@pytest.fixture
def leader(users, scene, done_run):  # noqa: F811
    taxonomy.seed_defaults()  # a transactional test database is flushed: seed the case categories again
    users["unit"] = make_user("unit-01", Role.HANDLING_UNIT, "110107")
    HandlingUnit.objects.get(code="city").members.add(users["unit"])
    for code, population in (("110107", 560000), ("110107001", 320000), ("110107002", 240000),
                             ("110107001003", 12500), ("110107001003001", 2500), ("110107002001", 9000)):
        Region.objects.filter(code=code).update(population=population)
    garbage = Category.objects.get(code="0101")
    closed = to_state(users, report(users, category=garbage), "closed")
    case_services.perform(actor=users["resident"], case_id=closed.pk, action="rate", satisfaction="satisfied",
                          resolved=True)
    to_state(users, report(users, category=garbage), "closed")
    late = to_state(users, report(users, category=garbage, description="路灯不亮已经一周"), "dispatched")
    Case.objects.filter(pk=late.pk).update(deadline=timezone.now() - timedelta(hours=3))
    report(users, where=IN_B)
    rec = services.recommend(actor=scene["district"], run_id=done_run.pk, category="primary_school", p=1,
                             enqueue=False)
    services.execute_recommendation(recommendation_id=rec.pk)
    district = users["district"]
    district.is_superuser = district.is_staff = True  # the district office also runs the Django admin
    district.save()
    return {"users": users, "recommendation": rec}


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_district_leader_journey(browser, live_server, leader, size, tmp_path):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=VIEWPORTS[size])
    page = context.new_page()
    page.set_default_timeout(20_000)
    sign_in_page(page, "district-110107")

    # Statistics: percentages with one decimal, three charts, a legend on the bubble map, labelled cells.
    page.goto("/cases/statistics/")
    for chart in ("chart-trend", "chart-regions", "chart-categories"):
        page.wait_for_selector(f"[data-testid={chart}][data-ready='1'] svg")
    total = page.locator("[data-testid=stats-total]")
    for rate in ("response", "resolution", "satisfaction"):
        assert PERCENT.match(total.locator(f"[data-testid=rate-{rate}]").inner_text().strip()), rate
    assert total.locator("[data-testid=rate-satisfaction]").inner_text().strip() == "100.0%"
    assert "街道a" in page.inner_text("[data-testid=chart-regions]")  # bars named by subdistrict
    legend = page.locator("[data-testid=heat-legend]")
    assert legend.is_visible() and "件" in legend.inner_text()
    label = page.evaluate("""() => getComputedStyle(document.querySelector(
        '[data-testid=stats-total] [data-testid=rate-response]'), '::before').content""")
    if size == "phone":
        assert "响应率" in label  # the stacked table keeps its column names
    snap(page, JOURNEY, "statistics", tmp_path)

    # The region map: shapes labelled, coloured by a figure with a legend; figures beside population.
    page.goto("/regions/")
    page.wait_for_selector("[data-testid=region-map][data-ready='1']")
    assert page.locator("[data-testid=region-label]").count() == 2
    assert "街道a" in page.inner_text("[data-testid=region-map]")
    assert page.get_attribute("[data-testid=region-map]", "data-coloured-by") == "cases_per_thousand"
    assert "每千人案件数" in page.inner_text("[data-testid=region-legend]")
    assert page.inner_text("[data-testid=region-population]") == "560,000"
    assert page.inner_text("[data-testid=region-figure-overdue_cases]") == "1"
    page.select_option("[data-testid=colour-by]", "overdue_cases")
    assert "超期案件" in page.inner_text("[data-testid=region-legend]")
    snap(page, JOURNEY, "region-map", tmp_path)

    # The audit log in Chinese words, filtered by action.
    page.goto("/audit/")
    actions = page.locator("[data-testid=audit-action]").all_inner_texts()
    assert "上报案件" in actions and "派遣案件" in actions
    assert not any(re.fullmatch(r"[a-z_.]+", text) for text in actions)
    page.select_option("select[name=action]", "cases.dispatch")
    page.click("[data-testid=audit-filters] button[type=submit]")
    page.wait_for_url(re.compile(r"action=cases\.dispatch"))
    assert set(page.locator("[data-testid=audit-action]").all_inner_texts()) == {"派遣案件"}
    snap(page, JOURNEY, "audit-log", tmp_path)

    # Service circle: a readable tooltip, recommended sites with the reach they add.
    page.goto("/servicecircle/")
    page.wait_for_selector("[data-testid=sc-map][data-ready='1']")
    page.locator("[data-testid=sc-place]").last.hover()  # the compound nearest the right edge of the map
    tooltip = page.wait_for_selector(".leaflet-tooltip")
    box = tooltip.bounding_box()
    assert box["width"] > 90 and box["height"] < box["width"] * 1.5  # not one character per line
    snap(page, JOURNEY, "service-circle-map", tmp_path)
    page.goto(f"/servicecircle/recommendations/{leader['recommendation'].pk}/")
    page.wait_for_selector("[data-testid=rec-map][data-ready='1']")
    assert page.locator("[data-testid=site-reach]").count() == 1
    assert page.inner_text("[data-testid=site-gain]") == "+500"
    snap(page, JOURNEY, "recommended-sites", tmp_path)

    # A new analysis shows its progress and the page refreshes by itself when it is done.
    run = services.start_run(actor=leader["users"]["district"], region_code=DISTRICT, enqueue=False)
    page.goto(f"/servicecircle/runs/{run.pk}/")
    assert page.locator("[data-testid=progress]").is_visible()
    snap(page, JOURNEY, "analysis-in-progress", tmp_path)
    assert services.execute_run(run_id=run.pk) == "done"
    page.wait_for_selector("[data-testid=run-status].status-done", timeout=20_000)  # reloaded by itself
    assert PERCENT.match(page.inner_text("[data-testid=run-score]"))
    assert page.locator("[data-testid=progress]").count() == 0

    # The Django admin names apps and models in Chinese.
    page.goto("/admin/")
    admin = page.inner_text("#content-main")
    assert "案件" in admin and "审计记录" in admin and "登录锁定" in admin
    snap(page, JOURNEY, "admin", tmp_path)
    context.close()
