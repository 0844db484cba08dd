"""Each outside channel end to end against a real local server: SMTP (aiosmtpd), the Alibaba Cloud and Tencent
Cloud SMS SDKs against gateways that verify their signatures, and the WeChat template-message API."""

import json
import socket
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import cache

from civicgrid.notifications import services
from civicgrid.notifications.models import Message, Preference
from tests.notifications.conftest import TIMELY, URGENT
from tests.notifications.conftest import send_now as _send
from tests.notifications.gateways import wechat_gateway

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_quiet_hours(settings):
    """These tests are about the channels, not the hour: at night (21-8 Beijing by default) a timely SMS and WeChat
    message would wait for the morning, and CI runs at any hour."""
    settings.NOTIFY_QUIET_HOURS = (0, 0)


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.NOTIFY_ADAPTERS = {"email": "smtp", "sms": "file", "wechat": "file"}
    yield handler
    controller.stop()


def test_email_reaches_the_smtp_server_with_a_working_unsubscribe_link(resident, smtp_server, client):
    report = _send(TIMELY, resident)
    assert report.sent == 3
    [envelope] = smtp_server.messages
    assert envelope.rcpt_tos == ["resident1@example.org"]
    mail = message_from_bytes(envelope.content)
    assert str(make_header(decode_header(mail["Subject"]))) == "测试 7 号"
    body = mail.get_payload(decode=True).decode()
    link = "".join(mail["List-Unsubscribe"].split()).strip("<>")
    assert link in body and mail["Message-ID"].startswith("<")
    path = link.removeprefix("http://127.0.0.1:8000")
    assert client.get(path).status_code == 200  # asks first: mail scanners following links change nothing
    assert not Preference.objects.filter(user=resident, kind=TIMELY.name).exists()
    assert client.post(path).status_code == 200
    assert "email" not in Preference.objects.get(user=resident, kind=TIMELY.name).channels
    assert client.post(path.replace("unsubscribe/", "unsubscribe/x")).status_code == 404


def test_an_unreachable_smtp_server_means_a_retry(resident, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # discard port: nothing listens
    settings.NOTIFY_ADAPTERS = {"email": "smtp", "sms": "file", "wechat": "file"}
    _send(TIMELY, resident)
    mail = Message.objects.get(channel="email")
    assert mail.status == "queued" and mail.attempts == 1 and mail.last_error.startswith("SMTP")


def test_aliyun_sms_is_signed_and_names_the_approved_template(resident, aliyun):
    _send(URGENT, resident)
    [request] = aliyun.requests
    assert request["signed"], "the gateway recomputed a different ACS3-HMAC-SHA256 signature"
    params = request["params"]
    assert params["PhoneNumbers"] == "13800000001" and params["SignName"] == "石景山区"
    assert params["TemplateCode"] == "SMS_465730012" and json.loads(params["TemplateParam"]) == {"n": "7"}
    sms = Message.objects.get(channel="sms")
    assert sms.status == "sent" and sms.provider_id == "900619746936498440^0" and params["OutId"] == sms.key[:32]


def test_aliyun_error_answers(resident, aliyun, settings):
    aliyun.answers = [(200, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控", "RequestId": "x"})]
    _send(URGENT, resident)
    sms = Message.objects.get(channel="sms")
    assert sms.status == "queued" and "BUSINESS_LIMIT_CONTROL" in sms.last_error  # flow control: retried
    aliyun.answers = [(200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号", "RequestId": "y"})]
    _send(URGENT, resident, key="e2")
    assert Message.objects.get(channel="sms", event_key="e2").status == "failed"
    settings.NOTIFY_ALIYUN = {**settings.NOTIFY_ALIYUN, "access_key_secret": "wrong"}
    from civicgrid.notifications import adapters

    adapters.reset()
    _send(URGENT, resident, key="e3")
    refused = Message.objects.get(channel="sms", event_key="e3")
    assert refused.status == "failed" and "SignatureDoesNotMatch" in refused.last_error
    assert not aliyun.requests[-1]["signed"]


def test_tencent_sms_is_signed_and_names_the_approved_template(resident, tencent):
    _send(URGENT, resident)
    [request] = tencent.requests
    assert request["signed"], "the gateway recomputed a different TC3-HMAC-SHA256 signature"
    payload = request["payload"]
    assert payload["PhoneNumberSet"] == ["+8613800000001"] and payload["TemplateId"] == "1110"
    assert payload["TemplateParamSet"] == ["7"] and payload["SmsSdkAppId"] == "1400787878"
    sms = Message.objects.get(channel="sms")
    assert sms.status == "sent" and sms.provider_id.startswith("5000:")


def test_tencent_error_answers(resident, tencent, settings):
    tencent.answers = [{"Code": "LimitExceeded.PhoneNumberThirtySecondLimit", "Message": "30秒内限制"}]
    _send(URGENT, resident)
    assert Message.objects.get(channel="sms").status == "queued"
    tencent.answers = [{"Code": "InvalidParameterValue.IncorrectPhoneNumber", "Message": "手机号格式错误"}]
    _send(URGENT, resident, key="e2")
    assert Message.objects.get(channel="sms", event_key="e2").status == "failed"
    settings.NOTIFY_TENCENT = {**settings.NOTIFY_TENCENT, "secret_key": "wrong"}
    from civicgrid.notifications import adapters

    adapters.reset()
    _send(URGENT, resident, key="e3")
    refused = Message.objects.get(channel="sms", event_key="e3")
    assert refused.status == "failed" and "AuthFailure.SignatureFailure" in refused.last_error


@pytest.fixture
def wechat(settings):
    with wechat_gateway("wx-app", "wx-secret") as gateway:
        settings.NOTIFY_ADAPTERS = {"email": "file", "sms": "file", "wechat": "wechat"}
        settings.NOTIFY_WECHAT = {"app_id": "wx-app", "app_secret": "wx-secret",
                                  "endpoint": f"http://{gateway.endpoint}"}
        cache.delete("notifications:wechat:access_token")
        yield gateway


def _token_fetches(gateway) -> int:
    return sum(1 for r in gateway.requests if r["path"] == "/cgi-bin/token")


def test_wechat_token_is_cached_and_an_expired_one_is_refreshed_once(resident, wechat):
    _send(URGENT, resident, key="e1")
    _send(URGENT, resident, key="e2")
    assert _token_fetches(wechat) == 1  # cached between sends
    sends = [r for r in wechat.requests if r["path"] == "/cgi-bin/message/template/send"]
    assert [r["token"] for r in sends] == ["tok-1", "tok-1"]
    assert sends[0]["payload"]["touser"] == "oWx-resident-1" and sends[0]["payload"]["template_id"] == "tpl-test"
    wechat.expired.add("tok-1")  # the server expires it before our cached expiry
    _send(URGENT, resident, key="e3")
    assert _token_fetches(wechat) == 2
    assert [r["token"] for r in wechat.requests if r["path"].endswith("/send")][-2:] == ["tok-1", "tok-2"]
    assert Message.objects.get(channel="wechat", event_key="e3").status == "sent"


def test_wechat_token_expiry_from_expires_in(resident, settings):
    with wechat_gateway("wx-app", "wx-secret", expires_in=301) as gateway:  # 1 s after the refresh margin
        settings.NOTIFY_ADAPTERS = {"email": "file", "sms": "file", "wechat": "wechat"}
        settings.NOTIFY_WECHAT = {"app_id": "wx-app", "app_secret": "wx-secret",
                                  "endpoint": f"http://{gateway.endpoint}"}
        cache.delete("notifications:wechat:access_token")
        from civicgrid.notifications.adapters.wechat import WechatTemplateAdapter

        adapter = WechatTemplateAdapter()
        assert adapter.token() == "tok-1"
        cache.delete("notifications:wechat:access_token")  # what the cache does when the timeout passes
        assert adapter.token() == "tok-2" and gateway.issued == 2


def test_wechat_refusal_is_a_dead_letter(resident, wechat):
    wechat.answers = [{"errcode": 43004, "errmsg": "require subscribe"}]
    _send(URGENT, resident)
    assert Message.objects.get(channel="wechat").status == "failed"


def test_a_must_receive_email_has_no_unsubscribe_link_but_says_why(resident, smtp_server, client):
    from civicgrid.notifications.models import Contact
    from tests.notifications.conftest import MUST

    Contact.objects.filter(user=resident).update(muted=True)  # "only what I must receive"
    report = _send(MUST, resident)
    assert report.sent >= 1
    [envelope] = smtp_server.messages
    mail = message_from_bytes(envelope.content)
    body = mail.get_payload(decode=True).decode()
    assert mail["List-Unsubscribe"] is None and "/unsubscribe/" not in body
    assert "无法退订" in body
    forged = services.unsubscribe_token(user_id=resident.pk, kind=MUST.name)
    assert client.post(f"/notifications/unsubscribe/{forged}/").status_code == 404
    assert not Preference.objects.filter(user=resident, kind=MUST.name).exists()
