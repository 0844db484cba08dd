"""WeChat official-account template messages over the documented HTTP API, with the standard library.

The access token (valid `expires_in` seconds, 7200 in practice) is cached in Django's cache, shared by every
worker, and refreshed a little before it expires; a token the server calls invalid or expired (40001, 42001,
40014) is dropped and fetched again once."""

import json
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.cache import cache

from civicgrid.notifications.content import DeliveryError

TOKEN_CACHE_KEY = "notifications:wechat:access_token"
TOKEN_ERRORS = {40001, 40014, 42001}
TRANSIENT = {-1, 45009, 45011}  # system busy, API daily quota, API minute quota
MARGIN_SECONDS = 300


class WechatTemplateAdapter:
    def __init__(self):
        conf = settings.NOTIFY_WECHAT
        self.base = conf.get("endpoint", "https://api.weixin.qq.com").rstrip("/")
        self.app_id, self.secret = conf["app_id"], conf["app_secret"]

    def send(self, message, address, content) -> str:
        if not content.wechat_template:
            raise DeliveryError("no WeChat template for this event kind", permanent=True, code="no_template")
        payload = {"touser": address, "template_id": content.wechat_template, "url": content.url,
                   "data": {"first": {"value": content.subject},
                            **{name: {"value": value} for name, value in sorted(message.params.items())}}}
        answer = self._post_template(payload, self.token())
        if answer.get("errcode") in TOKEN_ERRORS:
            answer = self._post_template(payload, self.token(refresh=True))
        code = answer.get("errcode", 0)
        if code != 0:
            raise DeliveryError(f"WeChat refused: {code}", code=str(code), permanent=code not in TRANSIENT)
        return str(answer.get("msgid", ""))

    def token(self, *, refresh: bool = False) -> str:
        token = None if refresh else cache.get(TOKEN_CACHE_KEY)
        if token:
            return token
        query = urllib.parse.urlencode({"grant_type": "client_credential", "appid": self.app_id,
                                        "secret": self.secret})
        answer = self._call(f"{self.base}/cgi-bin/token?{query}")
        if "access_token" not in answer:
            code = answer.get("errcode", -1)
            raise DeliveryError(f"WeChat token refused: {code}", code=str(code), permanent=code not in TRANSIENT)
        lifetime = max(60, int(answer.get("expires_in", 7200)) - MARGIN_SECONDS)
        cache.set(TOKEN_CACHE_KEY, answer["access_token"], timeout=lifetime)
        return answer["access_token"]

    def _post_template(self, payload: dict, token: str) -> dict:
        url = f"{self.base}/cgi-bin/message/template/send?" + urllib.parse.urlencode({"access_token": token})
        return self._call(url, json.dumps(payload, ensure_ascii=False).encode())

    def _call(self, url: str, body: bytes | None = None) -> dict:
        request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - configured endpoint
                return json.loads(response.read().decode())
        except (OSError, ValueError) as exc:
            raise DeliveryError(f"WeChat unreachable: {type(exc).__name__}", code="network") from None

    def was_sent(self, message) -> None:
        return None
