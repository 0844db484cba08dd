"""What consultation tells people through the notification service: the supporters of a topic hear of its news
(answered, a meeting planned, a vote opened or its results published, a resolution adopted or its case closed)."""

from civicgrid.notifications import EventKind, Recipient, SmsTemplate, Urgency, publish, register
from civicgrid.notifications.registry import Channel

TOPIC_NEWS = register(EventKind(
    name="consultation.topic_news",
    texts={"zh-hans": "您支持的议题「{topic}」有新进展：{what}",
           "en": "News on the topic you support, “{topic}”: {what}"},
    urgency=Urgency.ROUTINE, channels=(Channel.INBOX, Channel.EMAIL),
    sms=SmsTemplate("CONS_TOPIC_NEWS", ("topic", "what"))))

# the timeline's event kinds in the words a resident reads in the notification
WHAT = {"zh-hans": {"decided": "社区已作出答复", "meeting_planned": "已安排协商会议", "vote_opened": "投票已开始",
                    "vote_published": "投票结果已公示", "resolution": "已形成协商决议", "case_closed": "决议事项已办结",
                    "case_reopened": "决议事项重新办理"}}


def tell_supporters(event) -> int:
    """Inside the transaction that wrote `event`: one notification per supporting household's account."""
    from civicgrid.consultation.models import Support

    users = sorted(set(Support.objects.filter(topic_id=event.topic_id).values_list("user_id", flat=True)))
    if not users:
        return 0
    what = WHAT["zh-hans"].get(event.kind, event.text or event.kind)
    return publish(kind=TOPIC_NEWS.name, key=f"topic-event:{event.pk}", url=f"/consultation/topics/{event.topic_id}/",
                   recipients=[Recipient.user(user_id) for user_id in users],
                   params={"topic": event.topic.title[:40], "what": what})
