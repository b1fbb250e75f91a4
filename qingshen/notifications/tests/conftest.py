import pytest

from qingshen.notifications.tests.senders import RecordingSender

SENDERS = "qingshen.notifications.tests.senders"


@pytest.fixture
def recording(settings):
    """SMS go to RecordingSender; returns its list of (phone, text) sent, emptied first."""
    settings.QINGSHEN_SMS_SENDER = f"{SENDERS}.RecordingSender"
    RecordingSender.sent.clear()
    RecordingSender.delay = 0.0
    yield RecordingSender.sent
    RecordingSender.sent.clear()


@pytest.fixture
def use_sender(settings):
    """use_sender("RefusingSender"): SMS go to that test sender from now on."""

    def use(name):
        settings.QINGSHEN_SMS_SENDER = f"{SENDERS}.{name}"

    return use
