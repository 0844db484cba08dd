"""The cockpit's pages and their jurisdiction: district → subdistrict → community → grid with the same figures,
each linking to its list; a subdistrict leader sees his subdistrict and its rank among peers (their figures, no
link), and the other subdistricts' pages answer 404; targets are the district's."""

import pytest

from civicgrid.cockpit import rollup, selectors
from civicgrid.cockpit.models import Target
from civicgrid.cockpit.periods import Period
from civicgrid.core.models import AuditEvent
from tests.conftest import COMM_A, DISTRICT, GRID_A, SUB_A, SUB_B, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def rolled(random_cases):
    rollup.refresh()
    return random_cases


def test_drill_down_from_the_district_to_a_grid(login, users, rolled):
    client = login(users["district"])
    home = client.get("/cockpit/")
    assert home.status_code == 200
    page = home.content.decode()
    assert 'data-testid="kpi-response_rate"' in page and "cockpit-map-data" in page
    assert f"/cockpit/regions/{SUB_A}/" in page and f"/cockpit/regions/{SUB_B}/" in page
    for code in (SUB_A, COMM_A, GRID_A):
        response = client.get(f"/cockpit/regions/{code}/", {"period": "year", "layer": "overdue_cases"})
        assert response.status_code == 200, code
        assert f'data-code="{code}"' in response.content.decode()
    grid = client.get(f"/cockpit/regions/{GRID_A}/").content.decode()
    assert f"/cases/desk/?overdue=1&amp;region={GRID_A}" in grid  # the overdue figure links to its list


def test_the_same_figures_at_each_level(users, rolled):
    from civicgrid.cockpit.periods import Period
    from civicgrid.territory.models import Region

    period = Period.containing("year", rolled[0].reported_on)
    district = Region.objects.get(code=DISTRICT)
    subs = selectors.children(district)
    parts = selectors.figures(actor=users["district"], regions=subs, period=period, only=["cases_reported"])
    whole = selectors.figures(actor=users["district"], regions=[district], period=period, only=["cases_reported"])
    assert sum(parts["cases_reported"].values()) == whole["cases_reported"][DISTRICT] > 0


def test_a_subdistrict_leader_sees_his_subdistrict_and_his_rank_among_peers(login, users, rolled):
    leader = users["sub_a"]
    client = login(leader)
    assert client.get("/cockpit/").status_code == 200
    assert client.get(f"/cockpit/regions/{COMM_A}/").status_code == 200
    assert client.get(f"/cockpit/regions/{SUB_B}/").status_code == 404
    assert client.get(f"/cockpit/regions/{SUB_B}001/").status_code == 404
    assert client.get(f"/cockpit/regions/{DISTRICT}/").status_code == 404
    page = client.get("/cockpit/rankings/", {"level": "subdistrict", "sort": "cases_reported"}).content.decode()
    assert "街道b" in page and f"/cockpit/regions/{SUB_B}/" not in page and f"/cockpit/regions/{SUB_A}/" in page
    ranking = selectors.ranking(actor=leader, level="subdistrict", period=Period.containing(
        "year", rolled[0].reported_on), sort="cases_reported")
    peer = next(row for row in ranking.rows if row.region.code == SUB_B)
    assert peer.values["cases_reported"] > 0 and not peer.linked  # the peer's figure, without its drill-down


def test_who_may_not_open_the_cockpit(login, users, rolled):
    for user in (users["resident"], users["grid_a"], make_user("unit-1", "handling_unit", DISTRICT)):
        client = login(user)
        assert client.get("/cockpit/").status_code == 404
        assert client.get(f"/cockpit/regions/{COMM_A}/").status_code == 404
        assert client.get("/cockpit/rankings/").status_code == 404
    community_b = login(users["community_b"])
    assert community_b.get(f"/cockpit/regions/{COMM_A}/").status_code == 404


def test_targets_are_set_by_the_district_and_shown_with_who_set_them(login, users, rolled):
    district = login(users["district"])
    response = district.post("/cockpit/targets/", {"kpi": "response_rate", "region": SUB_A, "value": "95"})
    assert response.status_code == 302
    target = Target.objects.get(kpi="response_rate", region_code=SUB_A)
    assert target.value == 0.95 and target.set_by == users["district"]
    assert AuditEvent.objects.filter(action="cockpit.target.set", outcome="success").count() == 1
    page = login(users["sub_a"]).get("/cockpit/").content.decode()
    assert "95.0%" in page and "district-110107" in page
    refused = login(users["sub_a"]).post("/cockpit/targets/", {"kpi": "response_rate", "region": SUB_A,
                                                              "value": "10"})
    assert refused.status_code == 403 and Target.objects.get(pk=target.pk).value == 0.95
    outside = login(users["sub_a"]).post("/cockpit/targets/", {"kpi": "response_rate", "region": SUB_B,
                                                              "value": "10"})
    assert outside.status_code == 404
    district.post("/cockpit/targets/", {"kpi": "response_rate", "region": SUB_A, "value": "120"})
    assert Target.objects.get(pk=target.pk).value == 0.95  # a rate above 100 % is refused


def test_rankings_show_the_formula_and_follow_the_weights(login, users, rolled):
    client = login(users["district"])
    page = client.get("/cockpit/rankings/", {"level": "community", "w_response_rate": "3",
                                             "w_rework_rate": "0"}).content.decode()
    assert 'data-testid="formula"' in page and "× 3" in page
    ranking = selectors.ranking(actor=users["district"], level="community",
                                period=Period.containing("year", rolled[0].reported_on),
                                weights={k.key: 0 for k in selectors.kpis()} | {"response_rate": 1})
    scored = [row for row in ranking.rows if row.score is not None]
    assert scored and all(row.score == round(row.values["response_rate"] * 100, 1) for row in scored)
    assert [row.score for row in scored] == sorted((row.score for row in scored), reverse=True)


def test_weekly_brief(login, users, rolled):
    page = login(users["district"]).get("/cockpit/brief/")
    assert page.status_code == 200 and 'data-testid="brief-overdue_cases"' in page.content.decode()
    assert login(users["sub_a"]).get("/cockpit/brief/", {"region": SUB_B}).status_code == 404
