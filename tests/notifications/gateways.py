"""Local stand-ins for the SMS providers and WeChat: real HTTP servers that check each request as the provider
does (signature, parameters) and answer in the provider's documented format, including its error answers."""

import hashlib
import hmac
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def acs3_signature(method: str, path: str, query: str, headers: dict, secret: str) -> str:
    """Alibaba Cloud V3 signature (ACS3-HMAC-SHA256) as documented, computed from the received request."""
    auth = headers["authorization"]
    signed = auth.split("SignedHeaders=")[1].split(",")[0].split(";")
    pairs = sorted(urllib.parse.parse_qsl(query, keep_blank_values=True))
    canonical_query = "&".join(f"{urllib.parse.quote(k, safe='-_.~')}={urllib.parse.quote(v, safe='-_.~')}"
                               for k, v in pairs)
    canonical_headers = "".join(f"{name}:{headers[name].strip()}\n" for name in signed)
    canonical = "\n".join([method, path, canonical_query, canonical_headers, ";".join(signed),
                           headers["x-acs-content-sha256"]])
    return hmac.new(secret.encode(), f"ACS3-HMAC-SHA256\n{_sha256(canonical.encode())}".encode(),
                    hashlib.sha256).hexdigest()


def tc3_signature(body: bytes, headers: dict, secret_key: str, service: str = "sms") -> str:
    """Tencent Cloud TC3-HMAC-SHA256 signature as documented."""
    auth = headers["authorization"]
    signed = auth.split("SignedHeaders=")[1].split(",")[0].strip().split(";")
    canonical_headers = "".join(f"{name}:{headers[name].strip()}\n" for name in signed)
    canonical = "\n".join(["POST", "/", "", canonical_headers, ";".join(signed), _sha256(body)])
    timestamp = headers["x-tc-timestamp"]
    date = auth.split("Credential=")[1].split("/")[1]
    scope = f"{date}/{service}/tc3_request"
    to_sign = f"TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{_sha256(canonical.encode())}"
    key = _hmac(_hmac(_hmac(("TC3" + secret_key).encode(), date), service), "tc3_request")
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


class Gateway:
    """A threaded HTTP server; `answers` is a list of canned answers used in turn (the last one repeats)."""

    def __init__(self, handler_factory):
        self.requests: list[dict] = []
        self.answers: list = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler_factory(self))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.server.server_address[1]}"

    def next_answer(self, default):
        if not self.answers:
            return default
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _respond(handler, status: int, payload: dict) -> None:
    data = json.dumps(payload).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


def aliyun_gateway(secret: str) -> Gateway:
    def factory(gateway):
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                path, _, query = self.path.partition("?")
                headers = {k.lower(): v for k, v in self.headers.items()}
                action = headers.get("x-acs-action")
                valid = action in ("SendSms", "QuerySendDetails") and headers["authorization"].endswith(
                    "Signature=" + acs3_signature("POST", path, query, headers, secret))
                params = dict(urllib.parse.parse_qsl(query))
                gateway.requests.append({"action": action, "params": params, "headers": headers, "body": body,
                                         "signed": valid})
                if not valid:
                    return _respond(self, 400, {"Code": "SignatureDoesNotMatch", "Message": "Specified signature "
                                                "is not matched with our calculation.", "RequestId": "r-bad"})
                if action == "QuerySendDetails":
                    return _respond(self, 200, _aliyun_details(gateway, params))
                ok = {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0",
                      "RequestId": "F655A8D5-B967-440B-8683-DAD6FF8DE990"}
                status, payload = gateway.next_answer((200, ok))
                return _respond(self, status, payload)

            def log_message(self, *args):
                pass

        return Handler

    gateway = Gateway(factory)
    gateway.details = {}  # BizId -> SmsSendDetailDTO entries, as QuerySendDetails documents them
    return gateway


def _aliyun_details(gateway, params: dict) -> dict:
    """QuerySendDetails: PhoneNumber, SendDate (yyyyMMdd), PageSize and CurrentPage are required."""
    missing = [name for name in ("PhoneNumber", "SendDate", "PageSize", "CurrentPage") if not params.get(name)]
    if missing:
        return {"Code": "isv.INVALID_PARAMETERS", "Message": f"{missing[0]} is mandatory", "RequestId": "r-q"}
    details = [d for d in gateway.details.get(params.get("BizId", ""), [])
               if d["PhoneNum"] == params["PhoneNumber"] and d["SendDate"].replace("-", "")[:8] == params["SendDate"]]
    return {"Code": "OK", "Message": "OK", "RequestId": "819BE656-D2E0-4858-8B21-B2E477085AAF",
            "TotalCount": len(details), "SmsSendDetailDTOs": {"SmsSendDetailDTO": details}}


def tencent_gateway(secret_key: str) -> Gateway:
    def factory(gateway):
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                action = headers.get("x-tc-action")
                valid = action in ("SendSms", "PullSmsSendStatus") and headers["authorization"].endswith(
                    "Signature=" + tc3_signature(body, headers, secret_key))
                payload = json.loads(body or b"{}")
                gateway.requests.append({"action": action, "payload": payload, "headers": headers, "signed": valid})
                if not valid:
                    return _respond(self, 200, {"Response": {"Error": {"Code": "AuthFailure.SignatureFailure",
                                                "Message": "The provided credentials could not be validated."},
                                                "RequestId": "r-bad"}})
                if action == "PullSmsSendStatus":
                    return _respond(self, 200, _tencent_reports(gateway, payload))
                phone = payload["PhoneNumberSet"][0]
                answer = gateway.next_answer({"Code": "Ok", "Message": "send success"})
                return _respond(self, 200, {"Response": {"SendStatusSet": [{
                    "SerialNo": "5000:1045710669157053657849499619", "PhoneNumber": phone, "Fee": 1,
                    "SessionContext": payload.get("SessionContext", ""), "IsoCode": "CN", **answer}],
                    "RequestId": "a0aabda6-cf91-4f3e-a81f-9198114a2279"}})

            def log_message(self, *args):
                pass

        return Handler

    gateway = Gateway(factory)
    gateway.reports = []  # PullSmsSendStatusSet entries, handed out once, as the provider does
    return gateway


def _tencent_reports(gateway, payload: dict) -> dict:
    if not payload.get("SmsSdkAppId") or not payload.get("Limit"):
        return {"Response": {"Error": {"Code": "MissingParameter", "Message": "SmsSdkAppId and Limit are required"},
                             "RequestId": "r-p"}}
    batch, gateway.reports = gateway.reports[:payload["Limit"]], gateway.reports[payload["Limit"]:]
    return {"Response": {"PullSmsSendStatusSet": batch, "RequestId": "b8a3f6ab-2f2d-4f1b-9d6a-0d4c1a7e2c3f"}}


def wechat_gateway(app_id: str, secret: str, *, expires_in: int = 7200) -> Gateway:
    """Issues tokens tok-1, tok-2 …; `gateway.expired` names tokens it answers 42001 for."""

    def factory(gateway):
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                path, _, query = self.path.partition("?")
                params = dict(urllib.parse.parse_qsl(query))
                gateway.requests.append({"path": path, "params": params})
                if path != "/cgi-bin/token" or params.get("appid") != app_id or params.get("secret") != secret:
                    return _respond(self, 200, {"errcode": 40125, "errmsg": "invalid appsecret"})
                gateway.issued += 1
                return _respond(self, 200, {"access_token": f"tok-{gateway.issued}", "expires_in": expires_in})

            def do_POST(self):
                path, _, query = self.path.partition("?")
                token = dict(urllib.parse.parse_qsl(query)).get("access_token")
                payload = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                gateway.requests.append({"path": path, "token": token, "payload": payload})
                if token in gateway.expired:
                    return _respond(self, 200, {"errcode": 42001, "errmsg": "access_token expired"})
                if not token or not token.startswith("tok-"):
                    return _respond(self, 200, {"errcode": 40001, "errmsg": "invalid credential"})
                return _respond(self, 200, gateway.next_answer({"errcode": 0, "errmsg": "ok", "msgid": 200228332}))

            def log_message(self, *args):
                pass

        return Handler

    gateway = Gateway(factory)
    gateway.issued, gateway.expired = 0, set()
    return gateway
