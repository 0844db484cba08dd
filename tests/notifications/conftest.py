"""Test event kinds and helpers: publish inside a committed transaction so delivery runs (huey is immediate)."""

import pytest
from django.db import transaction

from civicgrid.notifications import EventKind, SmsTemplate, Urgency, adapters, register
from civicgrid.notifications.registry import Channel

ALL = (Channel.INBOX, Channel.EMAIL, Channel.SMS, Channel.WECHAT)


def _kind(name, urgency, channels=ALL, **extra):
    return register(EventKind(name=f"tests.{name}", urgency=urgency, channels=channels,
                              texts={"zh-hans": "测试 {n} 号", "en": "Test number {n}"},
                              sms=SmsTemplate(f"SMS_TEST_{name.upper()}", ("n",)), wechat_template="tpl-test",
                              **extra))


TIMELY = _kind("timely", Urgency.TIMELY)
URGENT = _kind("urgent", Urgency.URGENT)
ROUTINE = _kind("routine", Urgency.ROUTINE)
MUST = _kind("must", Urgency.TIMELY, mandatory=True, to_addresses=True)
STAFF_ONLY = _kind("staff_only", Urgency.TIMELY, audience=frozenset({"community"}))


@pytest.fixture(autouse=True)
def _fresh_adapters():
    adapters.reset()
    yield
    adapters.reset()


@pytest.fixture
def file_adapters(settings):
    settings.NOTIFY_ADAPTERS = {"email": "file", "sms": "file", "wechat": "file"}


def publish_committed(django_capture_on_commit_callbacks, **event):
    """Publish in its own transaction and run what is queued on commit (the delivery task)."""
    from civicgrid.notifications import publish

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        return publish(**event)
