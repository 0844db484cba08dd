"""Tencent Cloud SMS (API 2021-01-11) through its official SDK: an approved template id with its ordered
parameters; `SessionContext` carries our idempotency key back in the status reports."""

from django.conf import settings

from civicgrid.notifications.content import DeliveryError

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
