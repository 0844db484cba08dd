"""The organizations API: registry, eligibility, hubs, incubation and sign-in through /api/v1/organizations/,
with the error envelope's stable codes and 404 outside the caller's jurisdiction."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from civicgrid.accounts.services import issue_token
from civicgrid.organizations import services
from tests.conftest import DISTRICT, SUB_A
from tests.organizations.conftest import PUBLISHED

pytestmark = pytest.mark.django_db


def api(user):
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=user, name='t')}", HTTP_ACCEPT_LANGUAGE="zh-hans")


def _post(client, path, body):
    return client.post(f"/api/v1/organizations/{path}", body, content_type="application/json")


def test_register_list_detail_and_eligibility(users, org_user):
    client = api(users["district"])
    body = {"name": "石景山区青少年发展基金会", "kind": "foundation", "field": "children_youth",
            "registration": "registered", "registration_authority": "石景山区民政局", "registered_on": "2019-03-01",
            "region_code": DISTRICT, "rep_name": "李明", "credit_code": PUBLISHED[0], "rep_phone": "13812345678",
            "service_area": [SUB_A]}
    created = _post(client, "", body)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["rep_name_masked"] == "李*" and data["rep_phone_masked"] == "138****5678"
    assert data["service_area"] == [SUB_A] and "13812345678" not in created.content.decode()
    again = _post(client, "", body)
    assert again.status_code == 409 and again.json()["code"] == "duplicate_organization"
    bad = _post(client, "", {**body, "name": "另一家", "credit_code": PUBLISHED[0][:17] + "0"})
    assert bad.status_code == 422 and bad.json()["code"] == "credit_code_invalid"
    assert [o["name"] for o in client.get("/api/v1/organizations/?kind=foundation").json()] == [body["name"]]
    eligibility = client.get(f"/api/v1/organizations/{data['id']}/eligibility?min_rating=3").json()
    assert eligibility["eligible"] is False and len(eligibility["problems"]) == 2
    assert api(users["resident"]).get(f"/api/v1/organizations/{data['id']}").status_code == 404
    assert api(org_user).get(f"/api/v1/organizations/{data['id']}").status_code == 404
    assert api(org_user).get("/api/v1/organizations/me").json()["name"] == "乐龄养老服务中心"


def test_hub_designation_and_member_figures(users, org, sub_org, org_user):
    office = api(users["sub_a"])
    body = {"organization_id": sub_org.pk, "subdistrict_code": SUB_A, "field": "elderly",
            "designated_on": "2025-01-01"}
    hub = _post(office, "hubs", body)
    assert hub.status_code == 201 and hub.json()["subdistrict_code"] == SUB_A
    second = _post(api(users["district"]), "hubs", {**body, "organization_id": org.pk})
    assert second.status_code == 409 and second.json()["code"] == "hub_already_designated"
    hub_id = hub.json()["id"]
    member = _post(office, f"hubs/{hub_id}/members", {"member_id": org.pk, "joined_on": "2025-02-01"})
    assert member.status_code == 201
    figures = office.get(f"/api/v1/organizations/hubs/{hub_id}/member-figures").json()
    assert [row["name"] for row in figures] == [org.name]
    assert api(org_user).get(f"/api/v1/organizations/hubs/{hub_id}/member-figures").status_code == 403
    assert api(users["community_b"]).get(f"/api/v1/organizations/hubs/{hub_id}/member-figures").status_code == 404


def test_incubation_through_the_api(users, org_user, cohort):
    applied = _post(api(org_user), "incubation/applications", {"cohort_id": cohort.pk, "needs": "项目设计"})
    assert applied.status_code == 201
    centre = api(users["district"])
    decided = _post(centre, f"incubation/applications/{applied.json()['id']}/decision", {"admit": True})
    incubation_id = decided.json()["incubation_id"]
    assert decided.status_code == 200 and incubation_id
    today = timezone.localdate().isoformat()
    logged = _post(centre, f"incubations/{incubation_id}/services",
                   {"kind": "training", "delivered_on": today, "hours": "1.5"})
    assert logged.status_code == 201 and logged.json()["hours"] == 1.5
    refused = _post(api(org_user), f"incubations/{incubation_id}/services",
                    {"kind": "training", "delivered_on": today, "hours": "1.5"})
    assert refused.status_code == 403
    milestone = _post(centre, f"incubations/{incubation_id}/milestones", {"title": "完成登记", "due_on": today})
    done = _post(centre, f"incubation/milestones/{milestone.json()['id']}/done", {"evidence": "证书"})
    assert done.json()["done_on"] == today
    board = centre.get("/api/v1/organizations/incubation/board").json()
    assert board[-1]["name"] == "total" and board[-1]["services"] == 1 and board[-1]["milestones_done"] == 1


def test_training_checkin(users, org_user):
    now = timezone.now()
    session = services.create_session(actor=users["district"], title="培训", region_code=DISTRICT,
                                      starts_at=now, ends_at=now + timedelta(hours=1))
    signed = _post(api(org_user), "training/checkin", {"token": session.checkin_token})
    assert signed.status_code == 201
    again = _post(api(org_user), "training/checkin", {"token": session.checkin_token})
    assert again.status_code == 409 and again.json()["code"] == "already_signed_in"
