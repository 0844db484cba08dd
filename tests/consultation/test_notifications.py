"""Supporters are told: a topic's news reaches every supporting household's account through the notification
service (inbox), once per timeline event, and never anyone who did not support it."""

from civicgrid.consultation import services
from civicgrid.notifications.models import Notification
from tests.conftest import COMM_A
from tests.consultation.conftest import in_days, topic_of


def test_supporters_hear_that_a_meeting_is_planned(users, neighbours, compounds):
    topic = topic_of(neighbours["wang"], compounds)
    services.support_topic(actor=neighbours["li"], topic_id=topic.pk)
    services.support_topic(actor=neighbours["zhao"], topic_id=topic.pk)
    services.decide_topic(actor=users["community_a"], topic_id=topic.pk, decision="accept", reason="列入协商")
    services.plan_meeting(actor=users["community_a"], community=COMM_A, title="加装电梯恳谈会",
                          starts_at=in_days(3), topic_ids=[topic.pk])
    told = Notification.objects.filter(kind="consultation.topic_news", text__contains="已安排协商会议")
    supporters = {n.user for n in told}
    assert {neighbours["li"], neighbours["zhao"]} <= supporters
    assert neighbours["chen"] not in {n.user for n in Notification.objects.filter(kind="consultation.topic_news")}
    assert told.count() == len(supporters)  # once per account and event
