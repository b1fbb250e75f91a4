"""HttpSender against a small SMS gateway served from this test on 127.0.0.1: real HTTP, real
JSON, a real HMAC check — no mocks. The gateway's account and key are made up."""

import hashlib
import hmac
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured

from qingshen.core.roles import Role
from qingshen.notifications import services
from qingshen.notifications.models import SmsMessage
from qingshen.notifications.senders import HttpSender, SendError

MADE_UP_ACCOUNT = "made-up-account"
MADE_UP_KEY = "made-up-signing-key"


class MadeUpGateway:
    """Speaks HttpSender's protocol. `mode` says how it answers the next requests."""

    def __init__(self):
        self.mode = "accept"
        self.received = []  # the JSON bodies that carried a valid signature
        self.release = threading.Event()  # lets a hanging request end when the test is over
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                expected = hmac.new(MADE_UP_KEY.encode(), body, hashlib.sha256).hexdigest()
                if not hmac.compare_digest(expected, self.headers.get("X-Signature", "")):
                    return self.reply(401, {"code": 401, "message": "签名错误"})
                payload = json.loads(body)
                gateway.received.append(payload)
                if gateway.mode == "hang":
                    gateway.release.wait(10)
                    return None
                if gateway.mode == "refuse":
                    return self.reply(200, {"code": 1001, "message": "账户余额不足"})
                if gateway.mode == "crash":
                    return self.reply(500, {"code": 500, "message": "internal"})
                if gateway.mode == "garbage":
                    return self.reply(200, b"<html>busy</html>")
                return self.reply(200, {"code": 0, "message_id": f"GW{len(gateway.received):06d}"})

            def reply(self, status, content):
                data = content if isinstance(content, bytes) else json.dumps(content, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms/send"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def use_gateway(settings, url):
    settings.QINGSHEN_SMS_SENDER = "qingshen.notifications.senders.HttpSender"
    settings.QINGSHEN_SMS_HTTP_URL = url
    settings.QINGSHEN_SMS_HTTP_ACCOUNT = MADE_UP_ACCOUNT
    settings.QINGSHEN_SMS_HTTP_KEY = MADE_UP_KEY
    settings.QINGSHEN_SMS_HTTP_SIGNATURE = "测试签名"
    settings.QINGSHEN_SMS_HTTP_TIMEOUT = 0.5


@pytest.fixture
def gateway(settings):
    with MadeUpGateway() as gateway:
        use_gateway(settings, gateway.url)
        yield gateway


def test_an_accepted_sms_returns_the_gateways_id(gateway):
    assert HttpSender().send("13800138000", "您的评估申请已受理（测试）。") == "GW000001"
    [payload] = gateway.received
    assert {k: payload[k] for k in ("account", "mobile", "content", "sign")} == {
        "account": MADE_UP_ACCOUNT, "mobile": "13800138000", "content": "您的评估申请已受理（测试）。", "sign": "测试签名"}
    assert isinstance(payload["timestamp"], int) and len(payload["nonce"]) == 32


def test_notify_sends_through_the_gateway(world, gateway, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([world.user(Role.ENTERPRISE)], kind="reminder", title="到期提醒（测试）", body="",
                        dedupe_key="gw", sms_phone="13900139000", sms_text="评估申请将于 3 日后到期。")
    sms = SmsMessage.objects.get()
    assert (sms.status, sms.sender, sms.provider_message_id, sms.attempts) == ("sent", "http", "GW000001", 1)
    assert [p["mobile"] for p in gateway.received] == ["13900139000"]


@pytest.mark.parametrize("mode, error", [
    ("refuse", "短信网关拒绝发送（错误码 1001）：账户余额不足"),
    ("crash", "短信网关返回错误（HTTP 500）。"),
    ("garbage", "短信网关的回复无法识别（不是 JSON）。"),
    ("hang", "短信网关在 0.5 秒内没有响应。"),
])
def test_a_gateway_failure_is_recorded_in_chinese(world, gateway, django_capture_on_commit_callbacks, mode, error):
    gateway.mode = mode
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([world.user(Role.ENTERPRISE)], kind="overdue", title="逾期通知（测试）", body="",
                        sms_phone="13800138000")
    sms = SmsMessage.objects.get()
    assert (sms.status, sms.attempts, sms.sender, sms.provider_message_id) == ("failed", 1, "http", "")
    assert sms.error == error
    assert len(gateway.received) == 1


def test_a_wrong_key_is_refused_by_the_gateway(gateway, settings):
    settings.QINGSHEN_SMS_HTTP_KEY = "not-the-made-up-key"
    with pytest.raises(SendError, match=r"^短信网关返回错误（HTTP 401）。$"):
        HttpSender().send("13800138000", "测试")
    assert gateway.received == []


def test_no_gateway_listening(settings):
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    use_gateway(settings, f"http://127.0.0.1:{port}/sms/send")
    with pytest.raises(SendError, match=r"^无法连接短信网关：.+。$"):
        HttpSender().send("13800138000", "测试")


@pytest.mark.parametrize("missing", ["QINGSHEN_SMS_HTTP_URL", "QINGSHEN_SMS_HTTP_ACCOUNT", "QINGSHEN_SMS_HTTP_KEY"])
def test_an_unconfigured_gateway_is_refused_up_front(gateway, settings, missing):
    setattr(settings, missing, "")
    with pytest.raises(ImproperlyConfigured, match=f"短信网关未配置：请设置 {missing}。"):
        HttpSender()
