"""Senders for the tests, real implementations of the Sender interface (not mocks): one that
keeps what it was given, one whose gateway always refuses, one with a bug."""

import threading
import time

from qingshen.notifications.senders import Sender, SendError


class RecordingSender(Sender):
    """Keeps every SMS it is asked to send (class-wide, so threads and tasks share it)."""

    name = "recording"
    sent: list[tuple[str, str]] = []
    _lock = threading.Lock()
    delay = 0.0  # seconds to take per SMS, to widen a race in the concurrency tests

    def send(self, phone, text):
        time.sleep(self.delay)
        with self._lock:
            self.sent.append((phone, text))
            return f"rec-{len(self.sent)}"


class RefusingSender(Sender):
    name = "refusing"

    def send(self, phone, text):
        raise SendError("测试网关拒绝发送。")


class BrokenSender(Sender):
    name = "broken"

    def send(self, phone, text):
        raise KeyError("internal detail")
