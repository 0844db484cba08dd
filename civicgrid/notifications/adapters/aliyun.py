"""Alibaba Cloud SMS (Dysmsapi 2017-05-25) through its official SDK. The template is referenced by its
approved code with JSON parameters; `OutId` carries our idempotency key into the provider's receipts."""

import json
import logging

from django.conf import settings
from django.utils import timezone

from civicgrid.notifications import addresses
from civicgrid.notifications.content import DeliveryError
from civicgrid.notifications.receipts import Receipt, provider_time

log = logging.getLogger(__name__)

# Codes that a later attempt may get past (flow control, provider trouble); any other refusal is permanent.
TRANSIENT = {"isv.BUSINESS_LIMIT_CONTROL", "isv.DAY_LIMIT_CONTROL", "isp.SYSTEM_ERROR", "isp.RAM_PERMISSION_DENY",
             "Throttling.User", "ServiceUnavailable", "InternalError"}


class AliyunSmsAdapter:
    def __init__(self):
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi.models import Config

        conf = settings.NOTIFY_ALIYUN
        self.sign_name = conf["sign_name"]
        self.client = Client(Config(access_key_id=conf["access_key_id"], access_key_secret=conf["access_key_secret"],
                                    endpoint=conf["endpoint"], protocol=conf.get("protocol", "https")))

    def send(self, message, address, content) -> str:
        from alibabacloud_dysmsapi20170525.models import SendSmsRequest
        from darabonba.runtime import RuntimeOptions

        if not content.sms_code:
            raise DeliveryError("no approved SMS template for this event kind", permanent=True, code="no_template")
        request = SendSmsRequest(phone_numbers=address, sign_name=self.sign_name, template_code=content.sms_code,
                                 template_param=json.dumps(content.sms_params, ensure_ascii=False),
                                 out_id=message.key[:32])
        try:
            response = self.client.send_sms_with_options(
                request, RuntimeOptions(autoretry=False, read_timeout=10000, connect_timeout=5000))
        except Exception as exc:  # the SDK raises its own exceptions for HTTP errors and network failures
            code = str(getattr(exc, "code", "") or type(exc).__name__)
            raise DeliveryError(f"Alibaba Cloud SMS refused: {code}", code=code,
                                permanent=bool(getattr(exc, "code", "")) and code not in TRANSIENT) from None
        body = response.body
        if body.code != "OK":
            raise DeliveryError(f"Alibaba Cloud SMS refused: {body.code}", code=body.code,
                                permanent=body.code not in TRANSIENT)
        return body.biz_id or ""

    def was_sent(self, message) -> None:
        return None

    def receipts(self, messages, rows) -> list[Receipt]:
        """QuerySendDetails per message (by phone, BizId and send date): SendStatus 3 delivered, 2 failed
        (ErrCode is the operator's reason), 1 still waiting for the operator's report."""
        found = []
        for message in messages:
            detail = self._detail(message, rows)
            if detail is not None and detail.send_status in (2, 3):
                found.append(Receipt(message.pk, delivered=detail.send_status == 3, reason=detail.err_code or "",
                                     at=provider_time(detail.receive_date)))
        return found

    def _detail(self, message, rows):
        from alibabacloud_dysmsapi20170525.models import QuerySendDetailsRequest
        from darabonba.runtime import RuntimeOptions

        try:
            request = QuerySendDetailsRequest(phone_number=addresses.resolve(message, rows),
                                              biz_id=message.provider_id, current_page=1, page_size=10,
                                              send_date=f"{timezone.localtime(message.sent_at):%Y%m%d}")
            body = self.client.query_send_details_with_options(
                request, RuntimeOptions(autoretry=False, read_timeout=10000, connect_timeout=5000)).body
        except Exception as exc:  # SDK/network errors and a vanished address: ask again next time
            log.info("notification %s: no delivery report (%s)", message.pk, getattr(exc, "code", type(exc).__name__))
            return None
        if body.code != "OK" or body.sms_send_detail_dtos is None:
            log.info("notification %s: QuerySendDetails answered %s", message.pk, body.code)
            return None
        details = body.sms_send_detail_dtos.sms_send_detail_dto or []
        ours = [d for d in details if d.out_id == message.key[:32]]
        return (ours or details or [None])[0]
