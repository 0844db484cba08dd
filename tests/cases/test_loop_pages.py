"""The pages and API operations of the closed loop: the call-back screen shows the full number only after the
audited 'show number', the desk lists requests and parked cases, the statistics page shows percentages and the
channel breakdown, and the API carries the same actions."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from civicgrid.accounts.services import issue_token
from civicgrid.cases import services
from civicgrid.cases.models import CallBack, CaseRequest, Channel
from civicgrid.cases.services import requests
from civicgrid.core.models import AuditEvent
from tests.cases.conftest import IN_A, report, to_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_hotline(users, unit, garbage):
    users["community_a"].user_permissions.add(Permission.objects.get(codename="call_back"))
    case = services.report_case(actor=users["district"], channel=Channel.HOTLINE, lon=IN_A[0], lat=IN_A[1],
                                description="楼道堆物", phone="13900001111", category_id=garbage.pk,
                                external_id="BJ-1")
    return to_state(users, case, "closed")


def test_the_call_back_screen_masks_until_the_number_is_asked_for(users, closed_hotline, login):
    client = login(users["community_a"])
    page = client.get(f"/cases/{closed_hotline.pk}/callback/").content.decode()
    assert "139****1111" in page and "13900001111" not in page
    shown = client.post(f"/cases/{closed_hotline.pk}/callback/", {"op": "reveal"}).content.decode()
    assert "13900001111" in shown
    assert AuditEvent.objects.filter(action="cases.callback.reveal_phone", outcome="success").count() == 1
    assert "13900001111" not in client.get(f"/cases/{closed_hotline.pk}/").content.decode()
    assert login(users["sub_a"]).get(f"/cases/{closed_hotline.pk}/callback/").status_code == 403
    assert login(users["community_b"]).get(f"/cases/{closed_hotline.pk}/callback/").status_code == 404


def test_recording_a_call_from_the_screen(users, closed_hotline, login):
    client = login(users["community_a"])
    assert f"callback-row-{closed_hotline.pk}" in client.get("/cases/callbacks/").content.decode()
    answer = client.post(f"/cases/{closed_hotline.pk}/callback/",
                         {"op": "attempt", "reached": "yes", "resolved": "yes", "satisfaction": "satisfied"})
    assert answer.status_code == 302
    assert CallBack.objects.get(case=closed_hotline).satisfaction == "satisfied"


def test_unit_asks_and_the_desk_shows_the_request_and_parked_cases(users, unit, garbage, login):
    case = to_state(users, report(users, category=garbage), "handling")
    day = (timezone.localdate() + timedelta(days=9)).isoformat()
    unit_page = login(users["unit"]).get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="request-form"' in unit_page
    login(users["unit"]).post(f"/cases/{case.pk}/requests/", {"kind": "extension", "reason": "待协调",
                                                              "new_deadline": day})
    assert 'data-testid="case-loop"' not in login(users["resident"]).get(f"/cases/{case.pk}/").content.decode()
    parked = to_state(users, report(users, category=garbage), "dispatched")
    services.park(actor=users["community_a"], case_id=parked.pk, note="纳入明年计划",
                  review_on=timezone.localdate() + timedelta(days=30))
    desk = login(users["community_a"]).get("/cases/desk/").content.decode()
    assert f"desk-request-{case.pk}" in desk and parked.number in desk
    answer = login(users["community_a"]).post(f"/cases/{case.pk}/requests/decide/", {"decision": "approve"})
    assert answer.status_code == 302 and CaseRequest.objects.get().state == "approved"
    desk = login(users["community_a"]).get("/cases/desk/").content.decode()
    assert "desk-request-" not in desk and f"desk-extended-{case.pk}" in desk  # under extension, with its date
    assert day in desk


def test_statistics_page_shows_percentages_and_channels(users, closed_hotline, login):
    services.perform(actor=users["community_a"], case_id=closed_hotline.pk, action="comment", note="x")
    page = login(users["community_a"]).get("/cases/statistics/").content.decode()
    assert 'data-testid="stats-channels"' in page and 'data-testid="channel-hotline"' in page
    assert "100.0%" in page  # closure rate of the one closed case


def test_the_api_carries_the_requests_and_the_call_back(users, unit, garbage, closed_hotline, client):
    case = to_state(users, report(users, category=garbage), "handling")
    unit_auth = {"Authorization": f"Bearer {issue_token(user=users['unit'], name='t')}"}
    staff_auth = {"Authorization": f"Bearer {issue_token(user=users['community_a'], name='t')}"}
    day = (timezone.localdate() + timedelta(days=5)).isoformat()
    asked = client.post(f"/api/v1/cases/{case.pk}/requests", {"kind": "extension", "reason": "待协调",
                                                               "new_deadline": day},
                        content_type="application/json", headers=unit_auth)
    assert asked.status_code == 201 and asked.json()["state"] == "pending"
    decided = client.post(f"/api/v1/cases/{case.pk}/requests/decision", {"approve": True},
                          content_type="application/json", headers=staff_auth)
    assert decided.json()["state"] == "approved"
    assert requests.counts_by_unit(actor=users["community_a"], start=timezone.localdate(),
                                   end=timezone.localdate())[0]["extension_approved"] == 1
    url = f"/api/v1/cases/{closed_hotline.pk}/callback"
    assert client.get(url, headers=staff_auth).json()["phone_masked"] == "139****1111"
    assert client.post(url + "/phone", headers=staff_auth).json() == {"phone": "13900001111"}
    done = client.post(url + "/attempts", {"reached": True, "resolved": True, "satisfaction": "basic"},
                       content_type="application/json", headers=staff_auth)
    assert done.status_code == 200 and done.json()["state"] == "reached"
    results = client.get("/api/v1/case-hotline-results", headers=staff_auth)
    assert results.status_code == 403  # only the importing offices
