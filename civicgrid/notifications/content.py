"""What a message says, rendered at send time in the recipient's language from its kind and parameters."""

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse

from civicgrid.notifications import registry
from civicgrid.notifications.models import Message


class DeliveryError(Exception):
    """A send that did not happen. `permanent`: retrying will not help (bad number, missing template)."""

    def __init__(self, reason: str, *, permanent: bool = False, code: str = ""):
        super().__init__(reason)
        self.permanent = permanent
        self.code = code


@dataclass
class Content:
    subject: str
    text: str
    url: str = ""
    sms_code: str = ""
    sms_params: dict[str, str] = field(default_factory=dict)
    wechat_template: str = ""
    unsubscribe_url: str = ""
    must_receive: bool = False  # a mandatory kind: no unsubscribe link, a line saying why instead


def absolute(path: str) -> str:
    return settings.NOTIFY_SITE_URL.rstrip("/") + path if path.startswith("/") else path


def render(message: Message) -> Content:
    kind = registry.kind(message.kind)
    params = dict(message.params)
    if message.kind == "notifications.digest":
        params["items"] = "\n".join(f"- {_item_text(item)}" for item in message.items.order_by("created_at", "id"))
    text = kind.text(message.language, params)
    subject = text.splitlines()[0][:120]
    content = Content(subject=subject, text=text, url=absolute(message.url) if message.url else "",
                      wechat_template=settings.NOTIFY_WECHAT_TEMPLATES.get(kind.name, kind.wechat_template))
    if kind.sms is not None:
        content.sms_code = settings.NOTIFY_SMS_TEMPLATE_CODES.get(kind.sms.code, kind.sms.code)
        content.sms_params = {name: params.get(name, "") for name in kind.sms.params}
    content.must_receive = kind.mandatory
    if message.user_id is not None and message.kind != "notifications.digest" and not kind.mandatory:
        from civicgrid.notifications.services import unsubscribe_token

        token = unsubscribe_token(user_id=message.user_id, kind=message.kind)
        content.unsubscribe_url = absolute(reverse("notifications:unsubscribe", args=[token]))
    return content


def _item_text(item: Message) -> str:
    try:
        return registry.kind(item.kind).text(item.language, item.params)
    except LookupError:
        return item.kind
