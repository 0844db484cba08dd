"""Channel adapters. Each has `send(message, address, content) -> provider id` (raising DeliveryError) and
`was_sent(message) -> bool | None`, asked when a worker died between claiming and recording a send:
True/False when the adapter can tell, None when it cannot (the message then waits in the dead-letter list
rather than risk a second copy). `settings.NOTIFY_ADAPTERS` names the adapter of each channel."""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

NAMED = {
    "file": "civicgrid.notifications.adapters.files.FileAdapter",
    "console": "civicgrid.notifications.adapters.files.ConsoleAdapter",
    "smtp": "civicgrid.notifications.adapters.email.SmtpAdapter",
    "aliyun": "civicgrid.notifications.adapters.aliyun.AliyunSmsAdapter",
    "tencent": "civicgrid.notifications.adapters.tencent.TencentSmsAdapter",
    "wechat": "civicgrid.notifications.adapters.wechat.WechatTemplateAdapter",
}


def adapter_for(channel: str):
    return _adapter(settings.NOTIFY_ADAPTERS.get(channel, "file"))


@cache
def _adapter(name: str):
    return import_string(NAMED.get(name, name))()


def reset() -> None:
    """Forget constructed adapters (tests that change settings)."""
    _adapter.cache_clear()
