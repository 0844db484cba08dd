"""Delivery by the task queue: sent once, retried with backoff, dead letters, a second run or a killed worker
never sends a message twice."""

import json
import os
import signal
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connections, transaction
from django.utils import timezone

from civicgrid.notifications import Recipient, delivery, publish, services
from civicgrid.notifications.adapters.files import FileAdapter
from civicgrid.notifications.models import Message
from civicgrid.notifications.tasks import deliver
from tests.conftest import make_user
from tests.notifications.conftest import TIMELY, URGENT, publish_committed

pytestmark = pytest.mark.django_db


def _outbox_keys() -> list[str]:
    path = Path(django_settings.DATA_DIR) / "outbox.log"
    return [json.loads(line)["key"] for line in path.read_text().splitlines()] if path.exists() else []


@pytest.fixture(autouse=True)
def _empty_outbox_file():
    path = Path(django_settings.DATA_DIR) / "outbox.log"
    path.unlink(missing_ok=True)
    yield
    path.unlink(missing_ok=True)


@pytest.fixture
def reachable(users, file_adapters):
    """Three residents-like users with e-mail and phone, never in quiet hours for these tests (urgent kind)."""
    user = users["resident"]
    user.email = "r1@example.org"
    user.save()
    services.set_contact(actor=user, phone="13800000001", wechat_openid="oWx-1")
    return user


def test_committed_event_is_delivered_by_the_task_once(reachable, django_capture_on_commit_callbacks):
    publish_committed(django_capture_on_commit_callbacks, kind=URGENT.name, key="e1",
                      recipients=[Recipient.user(reachable)], params={"n": 1})
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}
    keys = _outbox_keys()
    assert sorted(keys) == sorted(Message.objects.values_list("key", flat=True))
    deliver.call_local()  # the task running again sends nothing new
    assert _outbox_keys() == keys
    assert "13800000001" not in (Path(django_settings.DATA_DIR) / "outbox.log").read_text()


def test_nothing_is_sent_when_the_transaction_rolls_back(reachable, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ZeroDivisionError), transaction.atomic():
        publish(kind=URGENT.name, key="e1", recipients=[Recipient.user(reachable)], params={"n": 1})
        raise ZeroDivisionError
    assert not Message.objects.exists() and _outbox_keys() == []
    publish_committed(django_capture_on_commit_callbacks, kind=URGENT.name, key="e2",
                      recipients=[Recipient.user(reachable)], params={"n": 2})
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}  # the rollback left nothing stuck


class Flaky(FileAdapter):
    failures = 2

    def send(self, message, address, content):
        from civicgrid.notifications.content import DeliveryError

        if Flaky.failures:
            Flaky.failures -= 1
            raise DeliveryError("gateway busy")
        return super().send(message, address, content)


def test_failures_are_retried_with_backoff_then_dead_lettered(reachable, settings, monkeypatch):
    settings.NOTIFY_ADAPTERS = {"sms": "tests.notifications.test_delivery.Flaky", "email": "file", "wechat": "file"}
    settings.NOTIFY_MAX_ATTEMPTS = 3
    with transaction.atomic():
        publish(kind=URGENT.name, key="e1", recipients=[Recipient.user(reachable)], params={"n": 1})
    now = timezone.now()
    delivery.deliver_due(now=now)
    sms = Message.objects.get(channel="sms")
    assert sms.status == "queued" and sms.attempts == 1 and sms.last_error == "gateway busy"
    assert sms.not_before >= now + timedelta(seconds=59)
    delivery.deliver_due(now=now + timedelta(minutes=1))
    sms.refresh_from_db()
    assert sms.attempts == 2 and sms.not_before >= now + timedelta(minutes=2)
    delivery.deliver_due(now=now + timedelta(minutes=10))
    sms.refresh_from_db()
    assert sms.status == "sent" and sms.attempts == 3
    Flaky.failures = 5
    with transaction.atomic():
        publish(kind=URGENT.name, key="e2", recipients=[Recipient.user(reachable)], params={"n": 2})
    for minutes in (0, 10, 30, 60):
        delivery.deliver_due(now=now + timedelta(minutes=minutes))
    dead = Message.objects.get(channel="sms", event_key="e2")
    assert dead.status == "failed" and dead.attempts == 3
    assert services.requeue(actor=_superuser(), message_ids=[dead.pk]) == 1
    Flaky.failures = 0
    delivery.deliver_due(now=now + timedelta(hours=2))
    dead.refresh_from_db()
    assert dead.status == "sent"


def _superuser():
    return make_user("root", "district", "110107", is_superuser=True)


def test_a_permanent_refusal_is_not_retried(reachable):
    services.set_contact(actor=reachable, phone="")  # the phone is removed before sending
    with transaction.atomic():
        publish(kind=URGENT.name, key="e1", recipients=[Recipient.user(reachable)], params={"n": 1})
    services.set_contact(actor=reachable, wechat_openid="")
    delivery.deliver_due()
    wechat = Message.objects.get(channel="wechat")
    assert wechat.status == "failed" and wechat.attempts == 1


def test_a_message_left_sending_by_a_dead_worker_is_resolved_without_a_second_copy(reachable):
    with transaction.atomic():
        publish(kind=URGENT.name, key="e1", recipients=[Recipient.user(reachable)], params={"n": 1})
    claimed = delivery.claim(limit=10, now=timezone.now())
    FileAdapter().send(claimed[0], "x", delivery.render(claimed[0]))  # went out, then the worker died
    later = timezone.now() + delivery.lease() + timedelta(seconds=1)
    report = delivery.deliver_due(now=later)
    assert report.recovered == 3
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}
    assert sorted(_outbox_keys()) == sorted(Message.objects.values_list("key", flat=True))


def test_a_worker_whose_lease_runs_out_gives_back_what_it_has_not_sent(reachable, settings):
    with transaction.atomic():
        publish(kind=URGENT.name, key="e1", recipients=[Recipient.user(reachable)], params={"n": 1})
    settings.NOTIFY_LEASE_SECONDS = 0  # every claim is over before the first send
    report = delivery.deliver_due()
    assert report.sent == 0 and _outbox_keys() == []
    assert set(Message.objects.values_list("status", "attempts")) == {("queued", 0)}
    settings.NOTIFY_LEASE_SECONDS = 300
    assert delivery.deliver_due().sent == 3


class DiesOnThird(FileAdapter):
    """Writes the message, then the worker is killed (SIGKILL) before it can record the send."""

    sent = 0

    def send(self, message, address, content):
        provider_id = super().send(message, address, content)
        DiesOnThird.sent += 1
        if DiesOnThird.sent == 3:
            os.kill(os.getpid(), signal.SIGKILL)
        return provider_id


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_loses_nothing_and_duplicates_nothing(users, settings):
    settings.NOTIFY_ADAPTERS = {"sms": "tests.notifications.test_delivery.DiesOnThird", "email": "file",
                                "wechat": "file"}
    recipients = []
    for n in range(6):
        user = make_user(f"vol-{n}", "resident")
        services.set_contact(actor=user, phone=f"1380000000{n}")
        recipients.append(Recipient.user(user))
    # published late in the evening: the SMS wait for the morning, so nothing is sent on commit in this process
    evening = timezone.localtime() + timedelta(days=1)
    evening = evening.replace(hour=22, minute=30)
    with transaction.atomic():
        publish(kind=TIMELY.name, key="e1", recipients=recipients, params={"n": 1}, now=evening)
    morning = Message.objects.get(user=recipients[0].user_id).not_before
    assert Message.objects.filter(status="queued", not_before=morning).count() == 6 and morning > timezone.now()
    connections.close_all()
    child = os.fork()
    if child == 0:  # the worker process
        try:
            delivery.deliver_due(now=morning)
        finally:
            os._exit(0)
    _, status = os.waitpid(child, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    assert Message.objects.filter(status="sending").count() == 4  # claimed, never recorded
    settings.NOTIFY_ADAPTERS = {"email": "file", "sms": "file", "wechat": "file"}
    delivery.deliver_all(now=morning + delivery.lease() + timedelta(seconds=1))
    keys = _outbox_keys()
    assert len(keys) == len(set(keys)) == 6  # lost=0 duplicates=0
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}


def test_dead_letters_are_listed_and_requeued_in_the_admin(reachable, admin_client):
    with transaction.atomic():
        publish(kind=URGENT.name, key="e1", recipients=[Recipient.user(reachable)], params={"n": 1})
    Message.objects.filter(channel="sms").update(status="failed", last_error="Alibaba Cloud SMS refused: x")
    page = admin_client.get("/admin/notifications/message/?status__exact=failed").content.decode()
    assert "138****0001" in page and "13800000001" not in page and "r***@example.org" not in page
    dead = Message.objects.get(channel="sms")
    admin_client.post("/admin/notifications/message/", {"action": "requeue", "_selected_action": [dead.pk]})
    dead.refresh_from_db()
    assert dead.status == "queued" and dead.attempts == 0
    from civicgrid.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="notifications.requeue", detail__messages=[dead.pk]).exists()
