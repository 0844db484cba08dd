"""Delivery reports: the periodic task asks the provider (through its SDK, against a local gateway answering as
the provider documents) and marks sent SMS delivered or failed with the provider's reason."""

import pytest
from django.utils import timezone

from civicgrid.notifications import receipts, tasks
from civicgrid.notifications.models import Message
from tests.notifications.conftest import URGENT
from tests.notifications.conftest import send_now as _send

pytestmark = pytest.mark.django_db


def _detail(sms, status, err_code, received=""):
    sent = timezone.localtime(sms.sent_at)
    return {"PhoneNum": "13800000001", "SendStatus": status, "ErrCode": err_code, "TemplateCode": "SMS_465730012",
            "Content": "【石景山区】测试 7 号", "SendDate": f"{sent:%Y-%m-%d %H:%M:%S}", "ReceiveDate": received,
            "OutId": sms.key[:32]}


def test_aliyun_reports_delivered_failed_and_waiting(resident, aliyun):
    for key in ("e1", "e2", "e3"):
        _send(URGENT, resident, key=key)
    first, second, third = (Message.objects.get(channel="sms", event_key=k) for k in ("e1", "e2", "e3"))
    Message.objects.filter(pk=second.pk).update(provider_id="biz-2")
    Message.objects.filter(pk=third.pk).update(provider_id="biz-3")
    aliyun.details = {first.provider_id: [_detail(first, 3, "DELIVERED", "2024-05-06 08:03:15")],
                      "biz-2": [_detail(second, 2, "MK:0001")], "biz-3": [_detail(third, 1, "")]}

    assert tasks.poll_sms_receipts.call_local() == {"delivered": 1, "failed": 1}

    queries = [r for r in aliyun.requests if r["action"] == "QuerySendDetails"]
    assert len(queries) == 3 and all(r["signed"] for r in queries)
    assert queries[0]["params"]["PhoneNumber"] == "13800000001" and queries[0]["params"]["BizId"] == first.provider_id
    first.refresh_from_db(), second.refresh_from_db(), third.refresh_from_db()
    assert first.status == "delivered" and f"{timezone.localtime(first.delivered_at):%H:%M:%S}" == "08:03:15"
    assert second.status == "failed" and second.last_error == "not delivered: MK:0001"
    assert third.status == "sent"  # the operator has not reported yet: asked again next run
    assert receipts.poll_sms_receipts() == {"delivered": 0, "failed": 0}
    assert len([r for r in aliyun.requests if r["action"] == "QuerySendDetails"]) == 4  # only the waiting one


def test_aliyun_query_errors_leave_the_message_sent(resident, aliyun, settings):
    _send(URGENT, resident)
    settings.NOTIFY_ALIYUN = {**settings.NOTIFY_ALIYUN, "access_key_secret": "wrong"}
    from civicgrid.notifications import adapters

    adapters.reset()
    assert receipts.poll_sms_receipts() == {"delivered": 0, "failed": 0}
    assert not aliyun.requests[-1]["signed"]
    assert Message.objects.get(channel="sms").status == "sent"


def test_old_messages_are_not_asked_about(resident, aliyun):
    _send(URGENT, resident)
    Message.objects.update(sent_at=timezone.now() - receipts.WINDOW - timezone.timedelta(minutes=1))
    receipts.poll_sms_receipts()
    assert not [r for r in aliyun.requests if r["action"] == "QuerySendDetails"]


def _report(serial, status, description, session=""):
    return {"UserReceiveTime": "2024-05-06 08:03:15", "CountryCode": "86", "SubscriberNumber": "13800000001",
            "PhoneNumber": "+8613800000001", "SerialNo": serial, "ReportStatus": status,
            "Description": description, "SessionContext": session}


def test_tencent_pulls_reports_until_dry_and_matches_serial_numbers(resident, tencent, monkeypatch):
    from civicgrid.notifications.adapters import tencent as tencent_adapter

    monkeypatch.setattr(tencent_adapter, "PULL_LIMIT", 2)  # three reports: two pulls of two, the second short
    _send(URGENT, resident, key="e1")
    _send(URGENT, resident, key="e2")
    first, second = (Message.objects.get(channel="sms", event_key=k) for k in ("e1", "e2"))
    Message.objects.filter(pk=second.pk).update(provider_id="5000:serial-2")
    tencent.reports = [_report(first.provider_id, "SUCCESS", "用户接收成功", first.key[:32]),
                       _report("5000:someone-else", "SUCCESS", "用户接收成功"),
                       _report("5000:serial-2", "FAIL", "UNDELIV 用户停机")]

    assert receipts.poll_sms_receipts() == {"delivered": 1, "failed": 1}

    pulls = [r for r in tencent.requests if r["action"] == "PullSmsSendStatus"]
    assert len(pulls) == 2 and all(r["signed"] for r in pulls)
    assert pulls[0]["payload"] == {"Limit": 2, "SmsSdkAppId": "1400787878"}
    first.refresh_from_db(), second.refresh_from_db()
    assert first.status == "delivered" and first.delivered_at is not None
    assert second.status == "failed" and second.last_error == "not delivered: UNDELIV 用户停机"


def test_file_adapter_reports_nothing(resident, file_adapters):
    _send(URGENT, resident)
    assert receipts.poll_sms_receipts() == {"delivered": 0, "failed": 0}
    assert Message.objects.get(channel="sms").status == "sent"
