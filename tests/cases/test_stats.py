"""The rates on a hand-computed fixture (see civicgrid/cases/RATES.md), the rollup agreeing with the direct
aggregation, scope, and the statistics page and export."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from civicgrid.cases import rollup, services, stats
from civicgrid.cases.models import Case, DailyStat
from civicgrid.core.errors import NotFound
from tests.cases.conftest import IN_B, report, to_state

pytestmark = pytest.mark.django_db


def _set(case, **fields):
    Case.objects.filter(pk=case.pk).update(**fields)


@pytest.fixture
def fixture_cases(users, unit, garbage):
    now = timezone.now()
    t0 = now - timedelta(hours=40)

    def closed(hours, on_time, responded_on_time, rework=0, rating=None):
        case = to_state(users, report(users, category=garbage), "closed")
        fields = {"first_dispatched_at": t0, "closed_at": t0 + timedelta(hours=hours),
                  "deadline": t0 + timedelta(hours=hours + (1 if on_time else -1)),
                  "response_due": t0 + timedelta(hours=2),
                  "responded_at": t0 + timedelta(hours=1 if responded_on_time else 3), "rework_count": rework}
        if rating:
            fields.update(satisfaction=rating[0], resolved=rating[1], rated_at=t0 + timedelta(hours=hours))
        _set(case, **fields)

    closed(10, True, True, rating=("satisfied", True))          # 1
    closed(30, False, False, rework=1, rating=("unsatisfied", False))  # 2
    handling = to_state(users, report(users, category=garbage), "handling")  # 3
    _set(handling, response_due=timezone.now() + timedelta(hours=1))
    services.reject(actor=users["community_a"], case_id=report(users, category=garbage).pk, note="不属实")  # 4
    report(users, category=garbage)  # 5: reported only
    closed(20, True, True)  # 6
    report(users, where=IN_B, category=garbage)  # another community, outside community_a's scope


EXPECTED_A = {"response": 0.75, "resolution": 0.5, "satisfaction": 0.5, "closure": 0.75, "on_time_closure": 0.6667,
              "rework": 0.3333, "avg_handling_hours": 20.0}


def today_range():
    today = timezone.localdate()
    return today - timedelta(days=3), today


def test_rates_by_hand_for_a_community(users, fixture_cases):
    start, end = today_range()
    result = stats.report(actor=users["community_a"], start=start, end=end, by="region")
    assert result.source == "cases" and result.total.counts["reported"] == 6
    assert result.total.rates == EXPECTED_A


def test_rollup_gives_the_same_figures_as_the_cases(users, fixture_cases):
    start, end = today_range()
    rollup.refresh()
    assert DailyStat.objects.exists()
    for by in ("region", "unit", "category", "month"):
        direct = stats.report(actor=users["district"], start=start, end=end, by=by, use_rollup=False)
        rolled = stats.report(actor=users["district"], start=start, end=end, by=by, use_rollup=True)
        assert rolled.source == "rollup" and direct.total.counts == rolled.total.counts
        assert direct.total.rates == rolled.total.rates
    district = stats.report(actor=users["district"], start=start, end=end)
    assert district.total.counts["reported"] == 7 and [r.key for r in district.rows] == ["110107001", "110107002"]


def test_rollup_refresh_follows_changes_and_is_idempotent(users, fixture_cases):
    rollup.refresh()
    before = sum(DailyStat.objects.values_list("reported", flat=True))
    rollup.refresh()
    assert sum(DailyStat.objects.values_list("reported", flat=True)) == before
    report(users, category=None)
    rollup.refresh()
    assert sum(DailyStat.objects.values_list("reported", flat=True)) == before + 1


def test_heat_map_counts_cases_per_grid(users, fixture_cases):
    from civicgrid.territory.models import Region

    Region.objects.filter(code="110107001003001").update(center_lon=116.155, center_lat=39.905)
    start, end = today_range()
    assert stats.heat_points(actor=users["community_a"], start=start, end=end) == [[116.155, 39.905, 6]]
    assert stats.heat_points(actor=users["unit"], start=start, end=end) == [[116.155, 39.905, 4]]


def test_unit_sees_its_own_figures_and_residents_none(users, fixture_cases):
    start, end = today_range()
    unit_report = stats.report(actor=users["unit"], start=start, end=end, by="unit")
    assert unit_report.total.counts["dispatched"] == 4
    with pytest.raises(NotFound):
        stats.report(actor=users["resident"], start=start, end=end)


def test_statistics_page_and_xlsx_export(users, fixture_cases, login):
    client = login(users["community_a"])
    page = client.get("/cases/statistics/")
    assert page.status_code == 200 and 'data-testid="stats-total"' in page.content.decode()
    export = client.get("/cases/statistics.xlsx?by=unit")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[-1][0] == "合计" and rows[-1][1] == 6 and rows[-1][2] == 0.75
    assert login(users["resident"]).get("/cases/statistics/").status_code == 404


def test_statistics_page_shows_percentages_and_charts(users, fixture_cases, login):
    page = login(users["community_a"]).get("/cases/statistics/?by=unit").content.decode()
    assert 'data-testid="rate-response" data-label="响应率">75.0%</td>' in page
    assert "0.75<" not in page
    for chart in ("chart-trend", "chart-regions", "chart-categories"):
        assert f'data-chart="{chart}"' in page and f'id="{chart}"' in page


def test_chart_specs_add_up_to_the_table(users, fixture_cases):
    from civicgrid.cases import stats_charts

    start, end = today_range()
    shown = stats.report(actor=users["community_a"], start=start, end=end, by="unit")
    charts = stats_charts.charts(actor=users["community_a"], start=start, end=end, shown=shown, by="unit")
    trend = charts["trend"]
    assert trend["kind"] == "trend" and sum(trend["series"][0]["data"]) == 6
    assert all(len(label) == 10 for label in trend["categories"])  # daily points for a short period
    regions = charts["regions"]
    assert regions["categories"] and [s["percent"] for s in regions["series"]] == [True, True, True]
    assert regions["series"][0]["data"] == [75.0]  # the one grid's response rate, as a percentage
    mix = charts["categories"]
    assert mix["kind"] == "pie" and sum(mix["series"][0]["data"]) == 6


def test_xlsx_rates_are_formatted_as_percentages(users, fixture_cases, login):
    export = login(users["community_a"]).get("/cases/statistics.xlsx?by=unit")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet.cell(row=sheet.max_row, column=3).number_format == "0.0%"
