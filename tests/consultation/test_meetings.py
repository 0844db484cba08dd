"""Meetings: agenda of accepted topics, invitations by party, sign-in by staff and by QR, minutes approved then
locked (amendments are new versions), honorary directors' annual record."""

from datetime import date

import pytest

from civicgrid.consultation import selectors, services
from civicgrid.consultation.errors import MinutesLocked
from civicgrid.consultation.models import Meeting
from civicgrid.core.errors import NotFound, ValidationFailed
from tests.conftest import COMM_A
from tests.consultation.conftest import in_days, topic_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(users, compounds, neighbours):
    staff = users["community_a"]
    topic = topic_of(neighbours["wang"], compounds)
    services.decide_topic(actor=staff, topic_id=topic.pk, decision="accept", reason="全楼居民关心")
    return services.plan_meeting(actor=staff, community=COMM_A, title="加装电梯恳谈会", starts_at=in_days(2),
                                 place_id=compounds["old"].pk, room="居委会会议室", topic_ids=[topic.pk])


def test_the_agenda_takes_accepted_topics_only(users, compounds, neighbours):
    open_topic = topic_of(neighbours["wang"], compounds)
    with pytest.raises(ValidationFailed) as refused:
        services.plan_meeting(actor=users["community_a"], community=COMM_A, title="恳谈会", starts_at=in_days(1),
                              topic_ids=[open_topic.pk])
    assert refused.value.code == "topic_not_accepted"


def test_sign_in_by_staff_and_by_qr_gives_attendance_by_party(users, meeting, neighbours):
    staff = users["community_a"]
    director = services.add_director(actor=staff, community=COMM_A, name="王主任", affiliation="区医院",
                                     term_start=date(2025, 1, 1), term_end=date(2027, 12, 31))
    rep = services.invite(actor=staff, meeting_id=meeting.pk, name="李代表", party="resident_rep")
    services.invite(actor=staff, meeting_id=meeting.pk, name="物业经理", party="property")
    guest = services.invite(actor=staff, meeting_id=meeting.pk, name="", party="resident_rep", director_id=director.pk)
    guest.user = neighbours["zhao"]
    guest.save()
    services.sign_in(actor=staff, invitee_id=rep.pk)
    services.scan_checkin(actor=neighbours["zhao"], token=meeting.checkin_token)
    with pytest.raises(NotFound):
        services.scan_checkin(actor=neighbours["li"], token=meeting.checkin_token)
    assert selectors.attendance(meeting) == {"resident_rep": {"invited": 1, "present": 1},
                                             "property": {"invited": 1, "present": 0},
                                             "director": {"invited": 1, "present": 1}}
    record = selectors.director_year(director, meeting.starts_at.year)
    assert record["attended"] == 1 and len(record["invitations"]) == 1


def test_approved_minutes_are_locked_and_amendments_are_new_versions(users, meeting):
    staff = users["community_a"]
    services.save_minutes(actor=staff, meeting_id=meeting.pk, text="与会各方同意加装电梯",
                          closing_report="通过一项决议")
    services.save_minutes(actor=staff, meeting_id=meeting.pk, text="与会各方一致同意加装电梯")
    approved = services.approve_minutes(actor=staff, meeting_id=meeting.pk)
    assert approved.version == 1 and Meeting.objects.get(pk=meeting.pk).state == Meeting.State.APPROVED
    with pytest.raises(MinutesLocked):
        services.save_minutes(actor=staff, meeting_id=meeting.pk, text="改写")
    amendment = services.save_minutes(actor=staff, meeting_id=meeting.pk, text="补充：物业承担电费", amend=True)
    assert amendment.version == 2 and amendment.author == staff
    approved.refresh_from_db()
    assert approved.text == "与会各方一致同意加装电梯"


def test_another_community_cannot_reach_the_meeting(users, meeting):
    with pytest.raises(NotFound):
        selectors.get_meeting(actor=users["community_b"], meeting_id=meeting.pk)
    with pytest.raises(NotFound):
        services.invite(actor=users["community_b"], meeting_id=meeting.pk, name="外人", party="staff")
    with pytest.raises(NotFound):
        selectors.get_meeting(actor=users["resident"], meeting_id=meeting.pk)
