"""The volunteering API: registration, sign-up, claim with idempotency, scoping, public verification."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from civicgrid.accounts.models import Role
from civicgrid.accounts.services import issue_token
from civicgrid.volunteering import services
from tests.conftest import COMM_A, make_user
from tests.volunteering.conftest import credit, end_shift, make_id

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=user)}"}


def test_register_then_me_with_masked_values(regions):
    user = make_user("api-vol", Role.RESIDENT)
    client, auth = Client(), bearer(user)
    response = client.post("/api/v1/volunteering/volunteers", {
        "name": "李四", "id_number": make_id(321), "phone": "13912345678", "region_code": COMM_A, "consent": True,
        "skills": ["visit"], "available_weekdays": [5, 6]}, content_type="application/json", **auth)
    assert response.status_code == 201, response.content
    body = client.get("/api/v1/volunteering/me", **auth).json()
    assert body["phone_masked"] == "139****5678" and body["balance"] == 0 and make_id(321) not in str(body)
    again = client.post("/api/v1/volunteering/volunteers", {
        "name": "李四", "id_number": make_id(321), "phone": "13912345678", "region_code": COMM_A, "consent": True},
        content_type="application/json", **auth)
    assert again.status_code == 409 and again.json()["code"] == "duplicate_request"


def test_not_a_volunteer_is_404_with_a_code(users):
    response = Client().get("/api/v1/volunteering/points", **bearer(users["resident"]))
    assert response.status_code == 404 and response.json()["code"] == "not_a_volunteer"


def test_claim_replay_and_insufficient_points(volunteer, offer):
    client, auth = Client(), bearer(volunteer.user)
    url = f"/api/v1/volunteering/offers/{offer.pk}/claim"
    poor = client.post(url, {"key": "api-claim-1"}, content_type="application/json", **auth)
    assert poor.status_code == 409 and poor.json()["code"] == "insufficient_points"
    credit(volunteer, 30)
    first = client.post(url, {"key": "api-claim-2"}, content_type="application/json", **auth).json()
    second = client.post(url, {"key": "api-claim-2"}, content_type="application/json", **auth).json()
    assert first == second and first["status"] == "pending"
    assert client.get("/api/v1/volunteering/points", **auth).json()["balance"] == 0


def test_records_are_scoped(users, team, volunteer):
    services.join_team(actor=volunteer.user, team_id=team.pk)
    start = timezone.now() - timedelta(hours=2)
    record = services.create_record(actor=users["community_a"], team_id=team.pk, volunteer_id=volunteer.pk,
                                    started_at=start, ended_at=start + timedelta(hours=1), content="巡河")
    assert Client().get("/api/v1/volunteering/records", **bearer(users["community_b"])).json() == []
    denied = Client().post(f"/api/v1/volunteering/records/{record.pk}/confirm", **bearer(users["community_b"]))
    assert denied.status_code == 404
    ok = Client().post(f"/api/v1/volunteering/records/{record.pk}/confirm", **bearer(users["community_a"]))
    assert ok.status_code == 200 and ok.json()["status"] == "confirmed"


def test_certificate_verification_is_public_and_masked(users, team, volunteer):
    services.join_team(actor=volunteer.user, team_id=team.pk)
    start = timezone.now() - timedelta(hours=2)
    record = services.create_record(actor=users["community_a"], team_id=team.pk, volunteer_id=volunteer.pk,
                                    started_at=start, ended_at=start + timedelta(hours=1), content="巡河")
    services.confirm_record(actor=users["community_a"], record_id=record.pk)
    certificate = services.issue_certificate(actor=volunteer.user)
    body = Client().get(f"/api/v1/volunteering/certificates/{certificate.token}").json()
    assert body["number"] == certificate.number and body["hours"] == 1.0 and volunteer.name not in str(body)
    assert Client().get("/api/v1/volunteering/certificates/nope").status_code == 404


def test_activity_list_has_no_n_plus_one(users, team, volunteer, django_assert_max_num_queries):
    client, auth = Client(), bearer(volunteer.user)
    client.get("/api/v1/volunteering/activities", **auth)
    now = timezone.now()
    for i in range(6):
        activity = services.create_activity(actor=users["community_a"], team_id=team.pk, title=f"活动{i}")
        services.add_shift(actor=users["community_a"], activity_id=activity.pk, starts_at=now + timedelta(hours=1),
                           ends_at=now + timedelta(hours=2), capacity=3)
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/v1/volunteering/activities", **auth).json()) == 6


def test_organizer_confirms_attendance_once(users, shift, volunteer):
    signup = services.sign_up(actor=volunteer.user, shift_id=shift.pk)
    end_shift(shift)
    url = f"/api/v1/volunteering/signups/{signup.pk}/attended"
    assert Client().post(url, **bearer(users["community_b"])).status_code == 404
    first = Client().post(url, **bearer(users["community_a"])).json()
    again = Client().post(url, **bearer(users["community_a"])).json()
    assert first == again and first["status"] == "confirmed"
