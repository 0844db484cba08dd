"""Fan-out rules: preferences, role defaults, audience, mandatory kinds, idempotency, quiet hours, SMS limit,
digests."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from civicgrid.notifications import Recipient, publish, services
from civicgrid.notifications.digests import send_digests
from civicgrid.notifications.models import Message, Notification
from tests.notifications.conftest import MUST, ROUTINE, STAFF_ONLY, TIMELY, URGENT

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOON = datetime(2026, 5, 6, 12, 0, tzinfo=SHANGHAI)  # a Wednesday
NIGHT = datetime(2026, 5, 6, 22, 30, tzinfo=SHANGHAI)


@pytest.fixture
def resident(users):
    user = users["resident"]
    user.email = "resident1@example.org"
    user.save()
    services.set_contact(actor=user, phone="13800000001", wechat_openid="oWx-resident-1")
    services.set_preferences(actor=user, choices={}, digest="immediately")
    return user


def _publish(kind, key, recipients, now=NOON, n=1):
    with transaction.atomic():
        return publish(kind=kind.name, key=key, recipients=recipients, params={"n": n}, now=now)


def _channels(user, kind):
    return sorted(Message.objects.filter(user=user, kind=kind.name).values_list("channel", flat=True))


def test_default_channels_inbox_text_in_the_users_language(resident):
    _publish(TIMELY, "e1", [Recipient.user(resident)])
    assert _channels(resident, TIMELY) == ["email", "sms", "wechat"]
    assert Notification.objects.get(user=resident).text == "测试 1 号"
    services.set_preferences(actor=resident, choices={}, language="en")
    _publish(TIMELY, "e2", [Recipient.user(resident)])
    assert Notification.objects.get(user=resident, event_key="e2").text == "Test number 1"


def test_preferences_choose_channels_and_muting_spares_only_mandatory_kinds(resident):
    services.set_preferences(actor=resident, choices={TIMELY.name: ["email"]})
    _publish(TIMELY, "e1", [Recipient.user(resident)])
    assert _channels(resident, TIMELY) == ["email"]
    services.set_preferences(actor=resident, choices={}, muted=True)
    _publish(TIMELY, "e2", [Recipient.user(resident)])
    _publish(MUST, "e3", [Recipient.user(resident)])
    assert Message.objects.filter(event_key="e2").count() == 0
    assert Notification.objects.filter(event_key="e2").exists()  # the inbox keeps everything
    assert _channels(resident, MUST) == ["email", "sms", "wechat"]


def test_audience_limits_who_receives(users, resident):
    _publish(STAFF_ONLY, "e1", [Recipient.user(resident), Recipient.user(users["community_a"])])
    assert list(Notification.objects.filter(event_key="e1").values_list("user", flat=True)) == [
        users["community_a"].pk]


def test_publishing_the_same_event_twice_adds_nothing(resident):
    _publish(TIMELY, "e1", [Recipient.user(resident)])
    _publish(TIMELY, "e1", [Recipient.user(resident), Recipient.user(resident)])
    assert Notification.objects.filter(user=resident).count() == 1
    assert Message.objects.filter(user=resident).count() == 3


@pytest.mark.django_db(transaction=True)
def test_publish_outside_a_transaction_is_refused(resident):
    with pytest.raises(RuntimeError):
        publish(kind=TIMELY.name, key="e1", recipients=[Recipient.user(resident)])


def test_quiet_hours_delay_sms_and_wechat_but_not_email_or_urgent(resident):
    _publish(TIMELY, "night", [Recipient.user(resident)], now=NIGHT)
    due = dict(Message.objects.filter(event_key="night").values_list("channel", "not_before"))
    morning = datetime(2026, 5, 7, 8, 0, tzinfo=SHANGHAI)
    assert due["sms"] == morning and due["wechat"] == morning and due["email"] == NIGHT
    _publish(URGENT, "fire", [Recipient.user(resident)], now=NIGHT)
    assert set(Message.objects.filter(event_key="fire").values_list("not_before", flat=True)) == {NIGHT}


def test_quiet_hours_are_configurable(resident, settings):
    settings.NOTIFY_QUIET_HOURS = (23, 7)
    _publish(TIMELY, "late", [Recipient.user(resident)], now=NIGHT)
    assert Message.objects.get(event_key="late", channel="sms").not_before == NIGHT


def test_sms_over_the_daily_limit_is_held_for_the_digest(resident, settings):
    settings.NOTIFY_SMS_PER_DAY = 2
    for n in range(4):
        _publish(TIMELY, f"e{n}", [Recipient.user(resident)], n=n)
    _publish(URGENT, "urgent", [Recipient.user(resident)])
    sms = Message.objects.filter(user=resident, channel="sms")
    assert sms.filter(status=Message.Status.QUEUED).count() == 3  # two timely + the urgent one
    assert sms.filter(status=Message.Status.HELD, last_error="daily SMS limit").count() == 2


def test_routine_events_wait_for_the_daily_digest(resident, file_adapters):
    services.set_preferences(actor=resident, choices={}, digest="daily")
    for n in range(3):
        _publish(ROUTINE, f"r{n}", [Recipient.user(resident)], n=n)
    assert set(Message.objects.filter(kind=ROUTINE.name).values_list("status", flat=True)) == {"held"}
    assert send_digests(now=NOON.replace(hour=7)) == 0  # before the digest hour
    assert send_digests(now=NOON) == 1
    assert send_digests(now=NOON + timedelta(hours=2)) == 0  # one a day
    digest = Message.objects.get(kind="notifications.digest")
    assert digest.channel == "email" and digest.items.count() == 9  # 3 events × email, SMS, WeChat
    assert set(Message.objects.filter(kind=ROUTINE.name).values_list("status", flat=True)) == {"digested"}
    _publish(ROUTINE, "r9", [Recipient.user(resident)], n=9)
    assert send_digests(now=NOON + timedelta(hours=20)) == 0
    assert send_digests(now=NOON + timedelta(days=1)) == 1


def test_weekly_digest_waits_a_week(resident):
    services.set_preferences(actor=resident, choices={}, digest="weekly")
    _publish(ROUTINE, "r1", [Recipient.user(resident)])
    assert send_digests(now=NOON) == 1
    _publish(ROUTINE, "r2", [Recipient.user(resident)])
    assert send_digests(now=NOON + timedelta(days=3)) == 0
    assert send_digests(now=NOON + timedelta(days=7)) == 1


def test_bare_phone_recipients_only_for_kinds_that_allow_them(users, resident):
    from civicgrid.notifications.models import Contact

    contact = Contact.objects.get(user=resident)
    _publish(TIMELY, "e1", [Recipient.phone_of(contact)])
    _publish(MUST, "e2", [Recipient.phone_of(contact)])
    assert not Message.objects.filter(event_key="e1").exists()
    message = Message.objects.get(event_key="e2")
    assert message.channel == "sms" and message.recipient_masked == "138****0001" and message.user is None
    assert "13800000001" not in str(list(Message.objects.values()))


def _rows_of(publishing) -> tuple[list, list]:
    """What `publishing()` writes, then rolled back."""
    with transaction.atomic():
        publishing()
        notes = sorted(Notification.objects.values_list("user_id", "kind", "event_key", "text"))
        messages = sorted(Message.objects.values_list("user_id", "kind", "event_key", "channel", "status",
                                                      "last_error", "recipient_masked", "not_before"))
        transaction.set_rollback(True)
    return notes, messages


def test_publish_all_writes_what_publishing_one_by_one_writes(users, resident, settings):
    settings.NOTIFY_SMS_PER_DAY = 2  # shared by the events: the third SMS is held in both ways
    services.set_preferences(actor=resident, choices={ROUTINE.name: ["email"]})
    everyone = [Recipient.user(resident), Recipient.user(users["community_a"])]
    events = [{"kind": kind.name, "key": f"e{i}", "recipients": everyone, "params": {"n": i}, "url": "/x/"}
              for i, kind in enumerate([TIMELY, URGENT, ROUTINE, STAFF_ONLY, TIMELY, MUST])]
    one_by_one = _rows_of(lambda: [publish(**event, now=NIGHT) for event in events])
    together = _rows_of(lambda: services.publish_all(events, now=NIGHT))
    assert together == one_by_one
    assert ("daily SMS limit" in {m[5] for m in one_by_one[1]}) and len(one_by_one[0]) == 11
