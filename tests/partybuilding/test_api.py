"""The API under /api/v1/partybuilding/: errors with stable codes, jurisdiction, the public showcase."""

from datetime import date, timedelta

import pytest
from django.test import Client

from civicgrid.accounts.services import issue_token
from civicgrid.cases.models import Category
from civicgrid.partybuilding import services
from tests.conftest import COMM_A, GRID_A
from tests.partybuilding.conftest import credit_code, enterprise, later, wrong_check

pytestmark = pytest.mark.django_db
P = "/api/v1/partybuilding"


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=user)}", "HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def test_enterprise_with_a_wrong_check_character_is_422_with_its_code(users):
    client, auth = Client(), bearer(users["community_a"])
    bad = client.post(f"{P}/enterprises", {"name": "错码公司", "credit_code": wrong_check(credit_code(3)),
                                           "size": "small", "region_code": GRID_A}, content_type="application/json",
                      **auth)
    assert bad.status_code == 422 and bad.json()["code"] == "credit_code_invalid"
    assert bad.json()["field"] == "credit_code" and "校验" in bad.json()["message"]
    good = client.post(f"{P}/enterprises", {"name": "正码公司", "credit_code": credit_code(3), "size": "small",
                                            "region_code": GRID_A, "employees": 80}, content_type="application/json",
                       **auth)
    assert good.status_code == 201 and good.json()["credit_code"] == credit_code(3)
    assert client.get(f"{P}/enterprises", **bearer(users["community_b"])).json() == []


def test_double_booking_is_409_room_taken(users, room):
    client, auth = Client(), bearer(users["community_a"])
    body = {"starts_at": later(2).isoformat(), "ends_at": later(3).isoformat(), "purpose": "党员活动"}
    first = client.post(f"{P}/rooms/{room.pk}/bookings", body, content_type="application/json", **auth)
    again = client.post(f"{P}/rooms/{room.pk}/bookings", body, content_type="application/json", **auth)
    assert first.status_code == 201 and again.status_code == 409 and again.json()["code"] == "room_taken"
    outsider = client.post(f"{P}/rooms/{room.pk}/bookings", body, content_type="application/json",
                           **bearer(users["community_b"]))
    assert outsider.status_code == 404


def test_company_request_answers_the_case_and_its_unit(users, station, building):
    tenant = enterprise(users["community_a"], building=building)
    category = Category.objects.filter(parent__isnull=False, active=True,
                                       parent__default_unit__isnull=False).first()
    response = Client().post(f"{P}/workstations/{station.pk}/requests",
                             {"enterprise_id": tenant.pk, "description": "电梯故障", "category_id": category.pk},
                             content_type="application/json", **bearer(users["community_a"]))
    assert response.status_code == 201
    body = response.json()
    assert body["case_number"] and body["unit"] == (category.default_unit or category.parent.default_unit).name


def test_project_board_evaluation_and_public_showcase(users):
    today = date.today()
    client = Client()
    made = client.post(f"{P}/projects", {
        "community": COMM_A, "title": "邻里守望", "goal": "独居老人每日有人问", "budget": 30000, "owner": "王书记",
        "indicators": [{"name": "探访覆盖率", "target": "100%"}], "starts_on": str(today - timedelta(days=5)),
        "ends_on": str(today + timedelta(days=200)),
        "milestones": [{"title": "建立台账", "due_on": str(today - timedelta(days=1))}]},
        content_type="application/json", **bearer(users["community_a"]))
    assert made.status_code == 201
    project_id = made.json()["id"]
    board = client.get(f"{P}/projects", **bearer(users["district"])).json()
    assert board[0]["overdue_milestones"] == 1 and board[0]["on_schedule"] is False
    early = client.post(f"{P}/projects/{project_id}/evaluations", {"stage": "midterm", "score": 80},
                        content_type="application/json", **bearer(users["sub_a"]))
    assert early.status_code == 409 and early.json()["code"] == "wrong_stage"
    assert client.get(f"{P}/projects/{project_id}", **bearer(users["community_b"])).status_code == 404
    services.report_progress(actor=users["community_a"], project_id=project_id, text_="台账建成")
    services.evaluate(actor=users["sub_a"], project_id=project_id, stage="midterm", score=85)
    services.evaluate(actor=users["district"], project_id=project_id, stage="final", score=90)
    assert client.get(f"{P}/showcase").json() == []
    services.promote(actor=users["district"], project_id=project_id, showcase_text="独居老人每天都有人问候。")
    public = client.get(f"{P}/showcase").json()
    assert [p["title"] for p in public] == ["邻里守望"] and "budget" not in public[0]


def test_coverage_per_subdistrict(users, building):
    enterprise(users["community_a"], employees=200, building=building)
    rows = Client().get(f"{P}/coverage", **bearer(users["district"])).json()
    first = rows[0]
    assert first["code"] == "110107001" and first["own_share"] == 0.0 and len(first["uncovered_above"]) == 1
    assert first["workstation_share"] == 0.0 and first["buildings_without"] == [building.pk]
