"""SMS really go through the database-backed queue and its worker (django-tasks-db), as in
development and production; and two workers, or two calls, at the same moment send once.

These tests commit, so they request `transactional_db`; the concurrency ones need a database
where writers wait (PostgreSQL, or the suite's SQLite file: see tests/concurrency.py).
"""

import pytest
from django.core.management import call_command
from django.test import override_settings

from conftest import make_user
from qingshen.core.roles import Role
from qingshen.notifications import services
from qingshen.notifications.models import Message, SmsMessage
from qingshen.notifications.tasks import send_pending_sms
from qingshen.notifications.tests.senders import RecordingSender
from tests.concurrency import all_at_once, concurrent_writers


@pytest.fixture
def lead(transactional_db):
    """A committed enterprise-side account (made up; no organisation needed to receive messages)."""
    return make_user("QY-made-up-lead", None, role=Role.ENTERPRISE)


def run_worker():
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def remind(user, key="k1"):
    return services.notify([user], kind="reminder", title="到期提醒（测试）", body="", dedupe_key=key,
                           sms_phone="13800138000", sms_text="测试短信")


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_sms_waits_in_the_queue_until_the_worker_sends_it(lead, recording):
    from django_tasks_db.models import DBTaskResult

    remind(lead)
    sms = SmsMessage.objects.get()
    assert sms.status == "pending" and recording == []  # queued, not sent
    assert DBTaskResult.objects.count() == 1

    run_worker()
    sms.refresh_from_db()
    assert (sms.status, sms.provider_message_id, sms.sender) == ("sent", "rec-1", "recording")

    send_pending_sms.enqueue([sms.pk])  # a retry of the same task
    run_worker()
    sms.refresh_from_db()
    assert sms.provider_message_id == "rec-1" and recording == [("13800138000", "测试短信")]


@concurrent_writers
def test_two_workers_on_one_sms_send_it_once(lead, recording):
    remind(lead)  # the immediate backend sends it on commit
    sms = SmsMessage.objects.get()
    SmsMessage.objects.filter(pk=sms.pk).update(status="pending", attempts=0)
    recording.clear()
    RecordingSender.delay = 0.3  # the first worker is still sending when the second arrives

    outcomes = all_at_once([lambda: send_pending_sms.call([sms.pk])] * 2)
    assert [exc for _, exc in outcomes] == [None, None]
    assert sorted(result["sent"] for result, _ in outcomes) == [0, 1]
    assert len(recording) == 1
    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == ("sent", 1)


@concurrent_writers
def test_two_calls_with_one_key_at_once_give_one_message_and_one_sms(lead, recording):
    outcomes = all_at_once([lambda: remind(lead)] * 2)
    assert [exc for _, exc in outcomes] == [None, None]
    assert sorted(len(created) for created, _ in outcomes) == [0, 1]
    assert Message.objects.count() == 1 and SmsMessage.objects.count() == 1
    assert len(recording) == 1
