"""Following up: resolution milestones and honorary directors' contributions, through the pages and the API;
another community's staff get 404, bad input a stable code, and every write is audited."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from civicgrid.accounts.services import issue_token
from civicgrid.consultation import services
from civicgrid.consultation.models import Contribution, HonoraryDirector, Milestone
from civicgrid.core.models import AuditEvent
from tests.conftest import COMM_A
from tests.consultation.conftest import in_days

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=user)}"}


@pytest.fixture
def resolution(users):
    staff = users["community_a"]
    meeting = services.plan_meeting(actor=staff, community=COMM_A, title="恳谈会", starts_at=in_days(-3))
    return services.adopt_resolution(actor=staff, meeting_id=meeting.pk, title="修复路灯", owner="物业公司",
                                     due_on=timezone.localdate() + timedelta(days=20))


@pytest.fixture
def director(users) -> HonoraryDirector:
    return services.add_director(actor=users["community_a"], community=COMM_A, name="周建国", affiliation="区医院",
                                 term_start=date(2025, 1, 1), term_end=date(2027, 12, 31))


def test_staff_add_milestones_on_the_resolution_page(login, users, resolution):
    staff = login(users["community_a"])
    url = f"/consultation/resolutions/{resolution.pk}/"
    response = staff.post(f"{url}milestones/", {"title": "物业提交维修方案", "done_on": "2026-11-20"})
    assert response.status_code == 302 and response["Location"] == url
    staff.post(f"{url}milestones/", {"title": "施工队进场"})
    page = staff.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "物业提交维修方案" in page and "2026-11-20" in page and "施工队进场" in page and "尚未完成" in page
    assert list(Milestone.objects.values_list("title", "done_on")) == [("物业提交维修方案", date(2026, 11, 20)),
                                                                       ("施工队进场", None)]
    assert AuditEvent.objects.filter(action="consultation.resolution.milestone").count() == 2

    empty = staff.post(f"{url}milestones/", {"title": " "}, HTTP_ACCEPT_LANGUAGE="zh-hans", follow=True)
    assert Milestone.objects.count() == 2 and "字" in empty.content.decode()
    assert login(users["community_b"]).post(f"{url}milestones/", {"title": "越权"}).status_code == 404
    assert login(users["community_b"]).get(url).status_code == 404
    assert Milestone.objects.count() == 2


def test_milestones_through_the_api(users, resolution):
    client, url = Client(), f"/api/v1/consultation/resolutions/{resolution.pk}/milestones"
    made = client.post(url, {"title": "方案公示", "done_on": "2026-11-25"}, content_type="application/json",
                       **bearer(users["community_a"]))
    assert made.status_code == 201 and made.json()["title"] == "方案公示" and made.json()["done_on"] == "2026-11-25"
    bad = client.post(url, {"title": "x"}, content_type="application/json", **bearer(users["community_a"]))
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_milestone"
    outside = client.post(url, {"title": "越权"}, content_type="application/json", **bearer(users["community_b"]))
    assert outside.status_code == 404
    assert Milestone.objects.count() == 1


def test_staff_record_a_directors_contributions_and_see_them_in_the_annual_record(login, users, director):
    staff = login(users["community_a"])
    record = f"/consultation/directors/{director.pk}/2026/"
    response = staff.post(f"/consultation/directors/{director.pk}/contributions/",
                          {"kind": "resource", "on": "2026-06-01", "text": "医院会议室向居民开放"})
    assert response.status_code == 302 and response["Location"] == record
    page = staff.get(record, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "医院会议室向居民开放" in page and "contribution-add" in page
    bad = staff.post(f"/consultation/directors/{director.pk}/contributions/",
                     {"kind": "resource", "on": "", "text": "缺日期", "next": record}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert bad.status_code == 302 and bad["Location"] == record and Contribution.objects.count() == 1
    outside = login(users["community_b"]).post(f"/consultation/directors/{director.pk}/contributions/",
                                               {"kind": "proposal", "on": "2026-06-02", "text": "越权"})
    assert outside.status_code == 404 and Contribution.objects.count() == 1
    assert AuditEvent.objects.filter(action="consultation.director.contribution").count() == 1


def test_contributions_through_the_api(users, director):
    client, url = Client(), f"/api/v1/consultation/directors/{director.pk}/contributions"
    made = client.post(url, {"kind": "proposal", "on": "2026-05-04", "text": "建议建立独居老人探访名单"},
                       content_type="application/json", **bearer(users["community_a"]))
    assert made.status_code == 201 and made.json()["kind"] == "proposal"
    wrong = client.post(url, {"kind": "gift", "on": "2026-05-04", "text": "礼品"}, content_type="application/json",
                        **bearer(users["community_a"]))
    assert wrong.status_code == 422 and wrong.json()["code"] == "invalid_kind"
    assert client.post(url, {"kind": "proposal", "on": "2026-05-04", "text": "越权"}, content_type="application/json",
                       **bearer(users["community_b"])).status_code == 404
    assert Contribution.objects.count() == 1
