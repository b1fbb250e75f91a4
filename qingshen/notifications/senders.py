"""SMS senders: the one place that talks to an SMS provider.

A sender has a `name` (kept on each SMS it handled) and `send(phone, text)`, which returns the
provider's message id or raises `SendError` with a reason in Chinese (kept on the SMS and shown
to the system administrator). `QINGSHEN_SMS_SENDER` names the class to use:

- `DatabaseSender` (the default; development and tests): nothing leaves the machine. It writes
  the SMS to the log ("qingshen.sms"); the SmsMessage row itself is the record.
- `HttpSender`: a generic HTTP SMS gateway (docs/notifications.md describes its protocol).
  A provider with another protocol gets its own small class beside it.
"""

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
import uuid

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

logger = logging.getLogger("qingshen.sms")


class SendError(Exception):
    """The SMS was not sent, for the reason given (in Chinese)."""


class Sender:
    """The interface every sender implements."""

    name = ""

    def send(self, phone: str, text: str) -> str:
        """Send one SMS; return the provider's message id, or raise SendError."""
        raise NotImplementedError


class DatabaseSender(Sender):
    """Records instead of sending: the SMS row and a log line are all there is."""

    name = "database"

    def send(self, phone: str, text: str) -> str:
        provider_message_id = f"db-{uuid.uuid4().hex}"
        logger.info("短信（未实际发送）%s 至 %s：%s", provider_message_id, phone, text)
        return provider_message_id


class HttpSender(Sender):
    """A generic HTTP SMS gateway: POST JSON, read a JSON reply.

    Request body: {"account", "mobile", "content", "sign", "timestamp", "nonce"}, with the header
    `X-Signature: hex(HMAC-SHA256(key, body))`, so the key itself never travels. Reply:
    {"code": 0, "message_id": "..."} when accepted; any other code is a refusal, explained by
    "message".
    """

    name = "http"

    def __init__(self):
        self.url = settings.QINGSHEN_SMS_HTTP_URL
        self.account = settings.QINGSHEN_SMS_HTTP_ACCOUNT
        self.key = settings.QINGSHEN_SMS_HTTP_KEY
        self.signature = settings.QINGSHEN_SMS_HTTP_SIGNATURE
        self.timeout = settings.QINGSHEN_SMS_HTTP_TIMEOUT
        missing = [name for name, value in (("QINGSHEN_SMS_HTTP_URL", self.url),
                                            ("QINGSHEN_SMS_HTTP_ACCOUNT", self.account),
                                            ("QINGSHEN_SMS_HTTP_KEY", self.key)) if not value]
        if missing:
            raise ImproperlyConfigured(f"短信网关未配置：请设置 {'、'.join(missing)}。")

    def send(self, phone: str, text: str) -> str:
        body = json.dumps({"account": self.account, "mobile": phone, "content": text, "sign": self.signature,
                           "timestamp": int(time.time()), "nonce": uuid.uuid4().hex}, ensure_ascii=False).encode()
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8",
            "X-Signature": hmac.new(self.key.encode(), body, hashlib.sha256).hexdigest(),
        })
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raise SendError(f"短信网关返回错误（HTTP {exc.code}）。") from exc
        except TimeoutError as exc:  # no reply while reading
            raise SendError(f"短信网关在 {self.timeout:g} 秒内没有响应。") from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):  # no answer while connecting
                raise SendError(f"短信网关在 {self.timeout:g} 秒内没有响应。") from exc
            raise SendError(f"无法连接短信网关：{exc.reason}。") from exc
        except OSError as exc:  # the connection dropped while reading the reply
            raise SendError(f"与短信网关的连接中断：{exc}。") from exc
        return self._message_id(raw)

    @staticmethod
    def _message_id(raw: bytes) -> str:
        try:
            reply = json.loads(raw)
        except ValueError as exc:
            raise SendError("短信网关的回复无法识别（不是 JSON）。") from exc
        if not isinstance(reply, dict):
            raise SendError("短信网关的回复无法识别。")
        if reply.get("code") != 0:
            reason = str(reply.get("message") or "未说明原因")
            raise SendError(f"短信网关拒绝发送（错误码 {reply.get('code')}）：{reason}")
        message_id = str(reply.get("message_id") or "")
        if not message_id:
            raise SendError("短信网关接受了请求，但没有返回短信编号。")
        return message_id


def get_sender() -> Sender:
    """An instance of the sender `QINGSHEN_SMS_SENDER` names."""
    return import_string(settings.QINGSHEN_SMS_SENDER)()
