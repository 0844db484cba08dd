"""Tencent Cloud SMS (API 2021-01-11) through its official SDK: an approved template id with its ordered
parameters; `SessionContext` carries our idempotency key back in the status reports."""

import logging

from django.conf import settings

from civicgrid.notifications.content import DeliveryError
from civicgrid.notifications.receipts import Receipt, provider_time

log = logging.getLogger(__name__)
PULL_LIMIT = 100
MAX_PULLS = 20

TRANSIENT = {"LimitExceeded.PhoneNumberThirtySecondLimit", "LimitExceeded.PhoneNumberOneHourLimit",
             "LimitExceeded.DeliveryFrequencyLimit", "InternalError", "InternalError.Timeout",
             "InternalError.RequestTimeException", "RequestLimitExceeded"}


class TencentSmsAdapter:
    def __init__(self):
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111 import sms_client

        conf = settings.NOTIFY_TENCENT
        self.app_id, self.sign_name = conf["app_id"], conf["sign_name"]
        http = HttpProfile(endpoint=conf["endpoint"], protocol=conf.get("protocol", "https"), reqTimeout=10)
        self.client = sms_client.SmsClient(credential.Credential(conf["secret_id"], conf["secret_key"]),
                                           conf.get("region", "ap-guangzhou"), ClientProfile(httpProfile=http))

    def send(self, message, address, content) -> str:
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
        from tencentcloud.sms.v20210111 import models

        if not content.sms_code:
            raise DeliveryError("no approved SMS template for this event kind", permanent=True, code="no_template")
        request = models.SendSmsRequest()
        request.PhoneNumberSet = ["+86" + address if not address.startswith("+") else address]
        request.SmsSdkAppId, request.SignName = self.app_id, self.sign_name
        request.TemplateId = content.sms_code
        request.TemplateParamSet = list(content.sms_params.values())
        request.SessionContext = message.key[:32]
        try:
            response = self.client.SendSms(request)
        except TencentCloudSDKException as exc:
            code = str(exc.code or "")
            raise DeliveryError(f"Tencent Cloud SMS refused: {code}", code=code,
                                permanent=bool(code) and code not in TRANSIENT and not code.startswith("ClientNetwork"),
                                ) from None
        status = response.SendStatusSet[0]
        if status.Code != "Ok":
            raise DeliveryError(f"Tencent Cloud SMS refused: {status.Code}", code=status.Code,
                                permanent=status.Code not in TRANSIENT)
        return status.SerialNo or ""

    def was_sent(self, message) -> None:
        return None

    def receipts(self, messages, rows) -> list[Receipt]:
        """PullSmsSendStatus hands out each status report once, for the whole SMS app: pull until it runs dry
        and match the reports to our messages by SerialNo. Reports for messages we do not hold are dropped."""
        by_serial = {m.provider_id: m.pk for m in messages}
        found = []
        for report in self._pull_all():
            if report.SerialNo in by_serial:
                found.append(Receipt(by_serial[report.SerialNo], delivered=report.ReportStatus == "SUCCESS",
                                     reason=report.Description or report.ReportStatus or "",
                                     at=provider_time(report.UserReceiveTime)))
        return found

    def _pull_all(self) -> list:
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
        from tencentcloud.sms.v20210111 import models

        reports: list = []
        for _ in range(MAX_PULLS):
            request = models.PullSmsSendStatusRequest()
            request.Limit, request.SmsSdkAppId = PULL_LIMIT, self.app_id
            try:
                batch = self.client.PullSmsSendStatus(request).PullSmsSendStatusSet or []
            except TencentCloudSDKException as exc:
                log.info("PullSmsSendStatus refused: %s", exc.code)
                break
            reports.extend(batch)
            if len(batch) < PULL_LIMIT:
                break
        return reports
