"""The leadership cockpit in a real browser, at phone and desktop size: the district map coloured by a layer with
its legend and the KPI panels (rates as 79.7%, charts drawn), drill-down on the map district → subdistrict →
community → grid with the same panels at each level, then the overdue figure of the grid opens the desk list of
exactly those overdue cases (the month's, not the grid's older overdue ones).
Screenshots: `make screenshots` → var/screenshots/cockpit/<step>-<size>.png."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from civicgrid.cases import taxonomy
from civicgrid.cases.models import Case
from civicgrid.cockpit import rollup
from tests.browser.session import VIEWPORTS, sign_in_page, snap
from tests.cockpit.world import make_cases
from tests.conftest import COMM_A, GRID_A, SUB_A

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
JOURNEY = "cockpit"
PERCENT = re.compile(r"^\d{1,3}\.\d%$")


@pytest.fixture
def district_year(users):
    taxonomy.seed_defaults()  # a transactional test database is flushed: seed the case categories again
    make_cases(300, seed=5, days=60)
    overdue = list(Case.objects.filter(region_code=GRID_A, state__in=["handling", "dispatched"])[:2])
    now, month_start = timezone.now(), timezone.localdate().replace(day=1)
    # this month's figure counts two overdue cases; the grid's older overdue cases are not behind it
    Case.objects.filter(region_code=GRID_A, reported_on__gte=month_start).update(overdue=False)
    older = Case.objects.filter(region_code=GRID_A, reported_on__lt=month_start, state__in=["handling", "dispatched"])
    assert older.exclude(pk__in=[c.pk for c in overdue]).update(overdue=True) > 0
    Case.objects.filter(pk__in=[c.pk for c in overdue]).update(
        overdue=True, deadline=now - timedelta(hours=5), reported_at=now - timedelta(days=1),
        reported_on=timezone.localdate() - timedelta(days=1) if timezone.localdate().day > 1 else timezone.localdate())
    rollup.refresh(full=True)
    return [c.pk for c in overdue]


def _open_child(page, code: str) -> None:
    page.wait_for_selector("[data-testid=cockpit-map][data-ready='1']")
    with page.expect_navigation():
        page.locator(f"path[data-code='{code}']").first.click(force=True)
    page.wait_for_selector(f"[data-testid=cockpit-region][data-code='{code}']")


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_from_the_district_map_to_the_overdue_cases_of_a_grid(browser, live_server, users, district_year, size,
                                                              tmp_path):
    assert len(district_year) == 2
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=VIEWPORTS[size])
    page = context.new_page()
    page.set_default_timeout(20_000)
    sign_in_page(page, "district-110107")
    page.goto("/cockpit/?layer=overdue_cases")
    page.wait_for_selector("[data-testid=cockpit-map][data-ready='1']")
    assert page.locator("[data-testid=cockpit-map]").get_attribute("data-coloured-by") == "overdue_cases"
    assert page.locator("[data-testid=region-legend]").is_visible()
    assert PERCENT.match(page.inner_text("[data-testid=kpi-link-response_rate]").strip())
    for chart in ("chart-trend", "chart-children", "chart-mix"):
        page.wait_for_selector(f"[data-testid={chart}][data-ready='1'] svg")
    snap(page, JOURNEY, "1-district", tmp_path)

    page.select_option("[data-testid=colour-by]", "response_rate")  # another layer, kept while drilling down
    assert page.locator("[data-testid=cockpit-map]").get_attribute("data-coloured-by") == "response_rate"
    _open_child(page, SUB_A)
    assert "layer=response_rate" in page.url
    snap(page, JOURNEY, "2-subdistrict", tmp_path)
    _open_child(page, COMM_A)
    _open_child(page, GRID_A)
    assert page.locator("[data-testid=kpi-response_rate]").is_visible()  # the same panels at the grid
    snap(page, JOURNEY, "3-grid", tmp_path)

    page.goto(page.url.split("?")[0] + "?period=month")
    figure = page.locator("[data-testid=kpi-link-overdue_cases]")
    assert figure.inner_text().strip() == "2"
    figure.click()
    page.wait_for_selector("[data-testid=desk-table]")
    rows = page.locator("[data-testid^=desk-row-]")
    assert sorted(int(r.get_attribute("data-testid").rsplit("-", 1)[1]) for r in rows.all()) == sorted(district_year)
    assert "共 2 件" in page.inner_text("[data-testid=desk-count]")
    assert page.locator("[data-testid=filter-reported-from]").input_value() == f"{timezone.localdate():%Y-%m}-01"
    snap(page, JOURNEY, "4-overdue-list", tmp_path)
    context.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_resolutions_figure_opens_the_resolutions_it_counts(browser, live_server, users, size, tmp_path):
    from civicgrid.consultation.models import Resolution

    first = timezone.localdate().replace(day=1)
    Resolution.objects.create(region_code=COMM_A, title="修复三号楼路灯", owner="居委会", due_on=first,
                              status=Resolution.Status.DONE, done_on=first)
    Resolution.objects.create(region_code=COMM_A, title="清理楼道杂物", owner="居委会",
                              due_on=first + timedelta(days=2))
    Resolution.objects.create(region_code=COMM_A, title="上月的决议", owner="居委会", due_on=first - timedelta(days=5))
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=VIEWPORTS[size])
    page = context.new_page()
    page.set_default_timeout(20_000)
    sign_in_page(page, "district-110107")
    page.goto(f"/cockpit/regions/{COMM_A}/?period=month")
    figure = page.locator("[data-testid=kpi-link-resolutions_on_time]")
    assert figure.inner_text().strip() == "50.0%"
    figure.click()
    page.wait_for_selector("[data-testid=due-filter]")
    assert "共 2 项，按期完成 1 项" in page.inner_text("[data-testid=due-filter]")
    board = page.inner_text("[data-testid=resolution-board]")
    assert "修复三号楼路灯" in board and "清理楼道杂物" in board and "上月的决议" not in board
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    snap(page, JOURNEY, "5-resolutions-due", tmp_path)
    context.close()
