"""The API's refusals with their stable codes, the pages for staff and residents, and the xlsx export (masked)."""

import io
import json

import pytest
from openpyxl import load_workbook

from civicgrid.communityaffairs import services
from tests.communityaffairs.conftest import next_slot
from tests.conftest import COMM_A, COMM_B

pytestmark = pytest.mark.django_db
API = "/api/v1/communityaffairs"


def _post(client, path, body):
    return client.post(f"{API}{path}", data=json.dumps(body), content_type="application/json",
                       HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_a_negative_quota_is_refused_in_the_users_language(users, login):
    client = login(users["community_a"])
    charter = _post(client, "/charters", {"community": COMM_A, "body": "party_org", "duties": "职能一\n职能二"})
    assert charter.status_code == 201
    refused = _post(client, f"/charters/{charter.json()['id']}/posts", {"title": "书记", "quota": -2})
    assert refused.status_code == 422
    assert refused.json()["code"] == "negative_quota" and refused.json()["message"] == "编制数不能小于零。"
    assert client.get(f"{API}/communities/{COMM_A}/staffing").json()["quota"] == 0
    assert login(users["community_b"]).get(f"{API}/communities/{COMM_A}/staffing").status_code == 404


def test_booking_a_taken_slot_answers_409(users, login, item):
    slot = next_slot().isoformat()
    body = {"community": COMM_A, "item_id": item.pk, "starts_at": slot, "applicant": "李女士", "phone": "13800138000"}
    first = _post(login(users["resident"]), "/appointments", body)
    assert first.status_code == 201 and first.json()["phone_masked"] == "138****8000"
    second = _post(login(users["community_b"]), "/appointments", body)
    assert second.status_code == 409 and second.json()["code"] == "slot_taken"


def test_the_catalogue_is_public(client, users, item):
    answer = client.get(f"{API}/communities/{COMM_A}/items")
    assert answer.status_code == 200 and [row["code"] for row in answer.json()] == ["T-001"]
    page = client.get(f"/communityaffairs/onestop/items/{item.pk}/?code={COMM_A}", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "户口簿" in page.content.decode() and "预约办理" in page.content.decode()


def test_staff_pages_render_in_chinese(users, login, item):
    services.add_room(actor=users["community_a"], community=COMM_A, name="活动室", use="activity", area_m2="100")
    client = login(users["community_a"])
    for path in ("", "gaps/", "trainings/", "assessments/", "standards/", f"window/?code={COMM_A}"):
        answer = client.get(f"/communityaffairs/{path}", HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert answer.status_code == 200, path
    home = client.get(f"/communityaffairs/?code={COMM_A}", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert ">250.0<" in home  # 350 m² required, 100 m² of rooms
    assert client.get(f"/communityaffairs/?code={COMM_B}").status_code == 404


def test_export_masks_applicants(users, login, item):
    handling = services.receive_walk_in(actor=users["community_a"], community=COMM_A, item_id=item.pk,
                                        applicant="欧阳娜娜")
    services.finish(actor=users["community_a"], handling_id=handling.pk, result="done")
    answer = login(users["district"]).get("/communityaffairs/export.xlsx")
    book = load_workbook(io.BytesIO(answer.content))
    sheet = book.worksheets[2]
    cells = [str(c.value) for row in sheet.iter_rows() for c in row]
    assert "欧***" in cells and "欧阳娜娜" not in cells
    gaps = [[c.value for c in row] for row in book.worksheets[0].iter_rows(min_row=2)]
    assert sorted(row[5] for row in gaps) == [350.0, 350.0]
