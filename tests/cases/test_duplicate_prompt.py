"""Reporter-side duplicates: open cases of the same category within the radius of the pin are shown while
reporting (phone page JSON and Open311 with `check_duplicates`), and the reporter can join one instead of
opening a new case: they get its updates, but see no more of it than the prompt showed."""

import pytest
from django.test import Client

from civicgrid.accounts.models import Role
from civicgrid.cases import duplicates, services
from civicgrid.cases.models import Case, Channel, Follower, Publication
from civicgrid.core.models import AuditEvent
from civicgrid.notifications.models import Notification
from tests.cases.conftest import IN_A, report, to_state
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
EAST_50M = (IN_A[0] + 0.00058, IN_A[1])  # about 50 m east of IN_A at this latitude
EAST_150M = (IN_A[0] + 0.00175, IN_A[1])


@pytest.fixture
def neighbour(users):
    return make_user("resident-2", Role.RESIDENT)


def ask(client, category, where) -> dict:
    answer = client.get("/cases/report/nearby/", {"category_id": category.pk, "lon": where[0], "lat": where[1]})
    assert answer.status_code == 200
    return answer.json()


def test_nearby_open_cases_of_the_same_category(users, unit, garbage, login, neighbour):
    near = report(users, category=garbage, description="张三家门口垃圾堆，电话13800001234")
    report(users, where=(IN_A[0] + 0.0025, IN_A[1]), category=garbage)  # 160 m from EAST_50M
    other = services.report_case(actor=users["resident"], channel=Channel.RESIDENT, lon=IN_A[0], lat=IN_A[1],
                                 category_id=garbage.pk + 1, description="别的问题")
    closed = to_state(users, report(users, category=garbage), "closed")
    found = ask(login(neighbour), garbage, EAST_50M)
    assert found["radius_m"] == 100 and [c["number"] for c in found["cases"]] == [near.number]
    shown = found["cases"][0]
    assert 40 <= shown["distance_m"] <= 60 and shown["stage"] == "已收到" and shown["category"] == garbage.name
    assert shown["description"] == "" and "13800001234" not in str(found) and "张三" not in str(found)
    assert other.number not in str(found) and closed.number not in str(found)
    Case.objects.filter(pk=near.pk).update(publication=Publication.PUBLISHED, public_description="门口垃圾堆")
    assert ask(login(neighbour), garbage, EAST_50M)["cases"][0]["description"] == "门口垃圾堆"


def test_nothing_without_a_pin_or_a_category(users, garbage, login, neighbour):
    report(users, category=garbage)
    client = login(neighbour)
    for query in ({}, {"category_id": garbage.pk}, {"lon": IN_A[0], "lat": IN_A[1]}, {"lon": "x", "lat": "nan",
                                                                                       "category_id": garbage.pk}):
        answer = client.get("/cases/report/nearby/", query)
        assert answer.status_code == 200 and answer.json()["cases"] == []
    assert Client().get("/cases/report/nearby/").status_code == 302  # sign in first


def test_the_radius_is_a_setting(users, garbage, login, neighbour, settings):
    report(users, category=garbage)
    settings.CASES_DUPLICATE_METERS = 250  # FixMyStreet's
    assert len(ask(login(neighbour), garbage, EAST_150M)["cases"]) == 1


def test_join_instead_of_reporting_again(users, unit, garbage, login, neighbour):
    case = report(users, category=garbage, description="张三家门口垃圾堆")
    client = login(neighbour)
    answer = client.post(f"/cases/{case.pk}/join/", {"lon": EAST_50M[0], "lat": EAST_50M[1],
                                                      "category_id": garbage.pk})
    assert answer.status_code == 302 and answer["Location"] == "/cases/mine/"
    assert Follower.objects.get(case=case, user=neighbour).joined
    assert AuditEvent.objects.filter(action="cases.join", target_id=str(case.pk)).count() == 1
    assert Case.objects.count() == 1
    mine = client.get("/cases/mine/").content.decode()
    assert case.number in mine and "张三" not in mine
    assert client.get(f"/cases/{case.pk}/").status_code == 404  # joining shows nothing more of the case
    assert client.post(f"/cases/{case.pk}/join/", {"lon": EAST_50M[0], "lat": EAST_50M[1],
                                                    "category_id": garbage.pk}).status_code == 302
    assert Follower.objects.filter(case=case, user=neighbour).count() == 1  # joined once
    to_state(users, case, "dispatched")
    updates = Notification.objects.filter(user=neighbour, text__contains=case.number)  # its updates reach him
    assert updates and {n.url for n in updates} == {f"/cases/mine/#joined-{case.number}"}  # a page he may open
    assert f'id="joined-{case.number}"' in client.get("/cases/mine/").content.decode()
    assert {n.url for n in Notification.objects.filter(user=users["resident"], text__contains=case.number)} == {
        f"/cases/{case.pk}/"}


@pytest.mark.parametrize("where", [EAST_150M, None])
def test_only_a_case_the_prompt_shows_can_be_joined(users, garbage, login, neighbour, where):
    case = report(users, category=garbage)
    data = {"category_id": garbage.pk, **({"lon": where[0], "lat": where[1]} if where else {})}
    answer = login(neighbour).post(f"/cases/{case.pk}/join/", data)
    assert answer.status_code == 404 and not Follower.objects.filter(user=neighbour).exists()
    assert not AuditEvent.objects.filter(action="cases.join").exists()


def test_merge_keeps_a_joined_follower_unseen(users, unit, garbage, neighbour):
    first, second = report(users, category=garbage), report(users, where=EAST_50M, category=garbage)
    services.join_case(actor=neighbour, case_id=second.pk, category_id=garbage.pk, lon=IN_A[0], lat=IN_A[1])
    services.perform(actor=users["community_a"], case_id=second.pk, action="merge", into_id=first.pk)
    assert Follower.objects.get(case=first, user=neighbour).joined
    assert not Case.objects.visible_to(neighbour).filter(pk=first.pk).exists()


def open311_post(key, **extra):
    data = {"api_key": key, "service_code": "0101", "lat": EAST_50M[1], "long": EAST_50M[0],
            "description": "门口有垃圾", **extra}
    return Client().post("/open311/v2/requests.json", data)


def test_open311_check_duplicates_then_join(users, garbage):
    key = services.issue_open311_key(actor=None, name="app")[1]
    case = report(users, category=garbage)
    refused = open311_post(key, check_duplicates="true")
    assert refused.status_code == 409 and Case.objects.count() == 1
    errors = refused.json()
    assert errors[0]["code"] == 409 and errors[1]["description"].startswith(f"service_request_id {case.number} is")
    assert open311_post(key, join_service_request_id=case.number).status_code == 400  # no phone for updates
    joined = open311_post(key, join_service_request_id=case.number, phone="13900002222")
    assert joined.status_code == 200 and joined.json()[0]["service_request_id"] == case.number
    follower = Follower.objects.get(case=case, user=None)
    assert follower.joined and follower.phone_masked == "139****2222" and Case.objects.count() == 1
    far = open311_post(key, join_service_request_id=case.number, phone="13900002222", lat=str(IN_A[1] + 0.01))
    assert far.status_code == 404
    created = open311_post(key, check_duplicates="true", service_code="0403")  # nothing of that service near
    assert created.status_code == 200 and Case.objects.count() == 2
    assert open311_post(key).status_code == 200  # without the flag, a new case as before


def test_nearby_is_nearest_first_and_limited(users, garbage):
    for step in range(7):
        report(users, where=(IN_A[0] + step * 0.0001, IN_A[1]), category=garbage)
    found = duplicates.nearby(category_id=garbage.pk, lon=IN_A[0], lat=IN_A[1])
    assert len(found) == duplicates.NEARBY_LIMIT and [round(d, -1) for _c, d in found][:2] == [0, 10]
