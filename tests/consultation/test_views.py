"""Pages: the resident's phone flow, the staff board, the public page (published records only), exports."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from civicgrid.consultation import services
from civicgrid.consultation.models import Topic
from tests.conftest import COMM_A
from tests.consultation.conftest import in_days, topic_of

pytestmark = pytest.mark.django_db


def test_a_resident_proposes_and_a_neighbour_supports_through_the_pages(login, compounds, neighbours):
    page = login(neighbours["wang"]).post("/consultation/topics/new/", {
        "title": "小区路灯不亮", "text": "三号楼前路灯坏了两周", "places": [compounds["old"].pk]})
    topic = Topic.objects.get(title="小区路灯不亮")
    assert page.status_code == 302 and page["Location"] == f"/consultation/topics/{topic.pk}/"
    neighbour = login(neighbours["li"])
    page = neighbour.get(f"/consultation/topics/{topic.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "我家支持" in page.content.decode()
    neighbour.post(f"/consultation/topics/{topic.pk}/support/")
    again = neighbour.post(f"/consultation/topics/{topic.pk}/support/", HTTP_ACCEPT_LANGUAGE="zh-hans", follow=True)
    assert "您家已支持过该议题" in again.content.decode()
    assert Topic.objects.get(pk=topic.pk).supports == 1


def test_another_communitys_topic_and_meeting_answer_404(login, users, compounds, neighbours):
    topic = topic_of(neighbours["wang"], compounds)
    meeting = services.plan_meeting(actor=users["community_a"], community=COMM_A, title="草稿会议",
                                    starts_at=in_days(3))
    outsider = login(users["community_b"])
    assert outsider.get(f"/consultation/topics/{topic.pk}/").status_code == 404
    assert outsider.get(f"/consultation/meetings/{meeting.pk}/").status_code == 404
    assert login(users["resident"]).get(f"/consultation/topics/{topic.pk}/").status_code == 404


def test_the_public_page_shows_only_what_was_published(client, users, compounds, neighbours):
    staff = users["community_a"]
    decided = topic_of(neighbours["wang"], compounds, title="公开议题甲")
    services.decide_topic(actor=staff, topic_id=decided.pk, decision="accept", reason="公开理由乙")
    topic_of(neighbours["li"], compounds, title="未决议题丙")
    meeting = services.plan_meeting(actor=staff, community=COMM_A, title="公开会议丁", starts_at=in_days(2),
                                    topic_ids=[decided.pk])
    services.plan_meeting(actor=staff, community=COMM_A, title="未发布会议戊", starts_at=in_days(2))
    services.publish_meeting(actor=staff, meeting_id=meeting.pk)
    shown = services.adopt_resolution(actor=staff, meeting_id=meeting.pk, title="公开决议己", owner="物业",
                                      due_on=timezone.localdate() + timedelta(days=9))
    services.publish_resolution(actor=staff, resolution_id=shown.pk)
    services.adopt_resolution(actor=staff, meeting_id=meeting.pk, title="内部决议庚", owner="物业",
                              due_on=timezone.localdate())
    text = client.get(f"/consultation/public/{COMM_A}/").content.decode()
    for word in ("公开议题甲", "公开理由乙", "公开会议丁", "公开决议己"):
        assert word in text
    for word in ("未决议题丙", "未发布会议戊", "内部决议庚"):
        assert word not in text
    assert client.get("/consultation/public/110107999999/").status_code == 404


def test_staff_export_meetings_and_resolutions_and_print_a_meeting_record(login, users, compounds):
    staff = users["community_a"]
    meeting = services.plan_meeting(actor=staff, community=COMM_A, title="=恳谈会", starts_at=in_days(1),
                                    place_id=compounds["old"].pk)
    services.save_minutes(actor=staff, meeting_id=meeting.pk, text="各方同意修路")
    services.adopt_resolution(actor=staff, meeting_id=meeting.pk, title="修路", owner="街道",
                              due_on=timezone.localdate())
    client = login(staff)
    book = load_workbook(io.BytesIO(client.get("/consultation/export.xlsx").content))
    assert book.worksheets[0]["B2"].value == "'=恳谈会"  # no formula
    assert book.worksheets[1]["B2"].value == "修路"
    pdf = client.get(f"/consultation/meetings/{meeting.pk}/record.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert login(users["community_b"]).get(f"/consultation/meetings/{meeting.pk}/record.pdf").status_code == 404
    assert "修路" not in login(users["community_b"]).get("/consultation/export.xlsx").content.decode("latin-1")


def test_statistics_page_for_the_subdistrict(login, users, compounds, neighbours):
    topic_of(neighbours["chen"], compounds, place_ids=[compounds["rental"].pk])
    page = login(users["sub_a"]).get("/consultation/statistics/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200 and "公租房" in page.content.decode()
