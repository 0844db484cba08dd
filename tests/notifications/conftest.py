"""Test event kinds and helpers: publish inside a committed transaction so delivery runs (huey is immediate)."""

import pytest
from django.db import transaction

from civicgrid.notifications import EventKind, Recipient, SmsTemplate, Urgency, adapters, delivery, register, services
from civicgrid.notifications.registry import Channel
from tests.notifications.gateways import aliyun_gateway, tencent_gateway

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


@pytest.fixture
def resident(users):
    user = users["resident"]
    user.email = "resident1@example.org"
    user.save()
    services.set_contact(actor=user, phone="13800000001", wechat_openid="oWx-resident-1")
    services.set_preferences(actor=user, choices={}, digest="immediately")
    return user



def send_now(kind, user, key="e1", **params):
    from civicgrid.notifications import publish

    with transaction.atomic():
        publish(kind=kind.name, key=key, recipients=[Recipient.user(user)], params={"n": 7, **params})
    return delivery.deliver_due()



@pytest.fixture
def aliyun(settings):
    with aliyun_gateway("ali-secret") as gateway:
        settings.NOTIFY_ADAPTERS = {"email": "file", "sms": "aliyun", "wechat": "file"}
        settings.NOTIFY_ALIYUN = {"access_key_id": "LTAI-test", "access_key_secret": "ali-secret",
                                  "endpoint": gateway.endpoint, "protocol": "http", "sign_name": "石景山区"}
        settings.NOTIFY_SMS_TEMPLATE_CODES = {"SMS_TEST_URGENT": "SMS_465730012"}
        yield gateway



@pytest.fixture
def tencent(settings):
    with tencent_gateway("tc-secret-key") as gateway:
        settings.NOTIFY_ADAPTERS = {"email": "file", "sms": "tencent", "wechat": "file"}
        settings.NOTIFY_TENCENT = {"secret_id": "AKIDtest", "secret_key": "tc-secret-key", "protocol": "http",
                                   "endpoint": gateway.endpoint, "app_id": "1400787878", "sign_name": "石景山区"}
        settings.NOTIFY_SMS_TEMPLATE_CODES = {"SMS_TEST_URGENT": "1110"}
        yield gateway

