import json
from datetime import date

from civicgrid.core.models import AuditEvent
from civicgrid.people.models import Resident
from tests.people.conftest import grant_reveal, make_id

API = "/api/v1"


def test_list_is_masked_and_scoped(register, login, users):
    number = make_id(seq="401")
    mine = register(id_number=number, name="王芳")
    register(place_key="b", name="李雷")
    response = login(users["community_a"]).get(f"{API}/residents")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and [item["id"] for item in body["items"]] == [mine.pk]
    item = body["items"][0]
    assert item["id_number_masked"] == f"110107********{number[-4:]}" and item["phone_masked"] == "138****5678"
    assert number not in response.content.decode() and "13812345678" not in response.content.decode()
    assert item["place"]["name"] == "阳光小区" and item["unit_label"] == "1号楼1单元101室"


def test_list_filters(register, login, users):
    register(name="老王", id_number=make_id(birth=date(1940, 1, 1), seq="111"))
    register(name="小李", id_number=make_id(birth=date(2000, 1, 1), seq="222"),
             groups=["disability"])
    client = login(users["district"])
    assert client.get(f"{API}/residents", {"age_min": 60}).json()["count"] == 1
    assert client.get(f"{API}/residents", {"group": "disability"}).json()["items"][0]["name"] == "小李"
    assert client.get(f"{API}/residents", {"gender": "male", "q": "王"}).json()["count"] == 1
    assert client.get(f"{API}/residents", {"region": "110107002"}).json()["count"] == 0
    assert client.get(f"{API}/residents", {"limit": 1, "offset": 1}).json()["count"] == 2
    assert client.get(f"{API}/residents", {"age_min": -1}).status_code == 422


def test_other_community_gets_404(register, login, users):
    theirs = register(place_key="b")
    client = login(users["community_a"])
    assert client.get(f"{API}/residents/{theirs.pk}").status_code == 404
    response = client.post(f"{API}/residents/{theirs.pk}/reveal", {"field": "phone"}, content_type="application/json")
    assert response.status_code == 404
    assert login(users["community_b"]).get(f"{API}/residents/{theirs.pk}").status_code == 200


def test_create_resident(login, users, places):
    client = login(users["community_a"])
    payload = {"place_id": places["a"].pk, "unit_label": "3号楼2单元501室", "name": "赵敏",
               "id_number": make_id(seq="602"), "phone": "13900001234", "groups": ["veteran"]}
    response = client.post(f"{API}/residents", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["groups"] == ["veteran"] and response.json()["phone_masked"] == "139****1234"
    again = client.post(f"{API}/residents", payload, content_type="application/json")
    assert again.status_code == 422 and again.json()["code"] == "duplicate_id_number"
    bad = client.post(f"{API}/residents", {**payload, "id_number": "110107198005171230"},
                      content_type="application/json")
    assert bad.status_code == 422
    assert bad.json()["code"] == "invalid_id_number" and bad.json()["field"] == "id_number"
    elsewhere = client.post(f"{API}/residents", {**payload, "place_id": places["b"].pk, "id_number": make_id()},
                            content_type="application/json")
    assert elsewhere.status_code == 404
    assert Resident.objects.count() == 1


def test_reveal_needs_permission(register, login, users):
    number = make_id(seq="703")
    resident = register(id_number=number)
    url = f"{API}/residents/{resident.pk}/reveal"
    denied = login(users["community_a"]).post(url, {"field": "id_number"}, content_type="application/json")
    assert denied.status_code == 403 and denied.json()["code"] == "permission_denied"
    revealer = login(grant_reveal(users["community_a"]))
    unexplained = revealer.post(url, {"field": "id_number"}, content_type="application/json")
    assert unexplained.status_code == 422 and unexplained.json()["code"] == "purpose_required"
    allowed = revealer.post(url, {"field": "id_number", "purpose": "核实低保申请人身份"},
                            content_type="application/json")
    assert allowed.status_code == 200 and allowed.json() == {"field": "id_number", "value": number}
    assert allowed["Cache-Control"] == "no-store"
    outcomes = list(AuditEvent.objects.filter(action="people.resident.reveal").values_list("outcome", flat=True))
    assert outcomes == ["denied", "success"]


def test_lookup(register, login, users):
    number = make_id(seq="804")
    resident = register(id_number=number)

    def lookup(value, user=users["grid_a"]):
        return login(user).post(f"{API}/residents/lookup", json.dumps({"id_number": value}),
                                content_type="application/json")

    assert lookup(number).json()["id"] == resident.pk
    assert lookup(make_id(seq="805")).status_code == 404
    invalid = lookup(number[:-1] + ("1" if number[-1] == "0" else "0"))
    assert invalid.status_code == 422 and invalid.json()["code"] == "invalid_id_number"
    assert lookup(number, users["community_b"]).status_code == 404


def test_lookup_by_query_string_is_retired(register, login, users):
    number = make_id(seq="806")
    register(id_number=number)
    answer = login(users["grid_a"]).get(f"{API}/residents/lookup", {"id_number": number})
    assert answer.status_code == 405
    assert not AuditEvent.objects.filter(action="people.resident.lookup").exists()


def test_resident_role_sees_nothing(register, login, users):
    register()
    assert login(users["resident"]).get(f"{API}/residents").json() == {"count": 0, "items": []}


def test_staff_list(login, users, regions):
    from civicgrid.people.services import register_staff_member

    register_staff_member(actor=users["district"], region=regions["grid_a"], name="周强", body="grid",
                          grids=[regions["grid_a"]], phone="13700001111")
    register_staff_member(actor=users["district"], region=regions["community_b"], name="吴静",
                          body="residents_committee")
    body = login(users["community_a"]).get(f"{API}/staff").json()
    assert body["count"] == 1 and body["items"][0]["grids"] == [regions["grid_a"].code]
    assert body["items"][0]["phone_masked"] == "137****1111"
