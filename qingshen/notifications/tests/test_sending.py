"""The sending task (immediate backend, as in the test settings), the database sender, failures
and `manage.py retry_sms`."""

import io
import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from qingshen.audit_trail.models import Event
from qingshen.core.roles import Role
from qingshen.notifications import services
from qingshen.notifications.models import SmsMessage
from qingshen.notifications.tasks import send_pending_sms


def send_sms(user, capture, phone="13800138000", key="k1"):
    with capture(execute=True):
        services.notify([user], kind="overdue", title="评估申请已逾期（测试）", body="", dedupe_key=key,
                        sms_phone=phone, sms_text="评估申请已逾期，请尽快提交。")
    return SmsMessage.objects.get(dedupe_key=key)


def test_the_database_sender_records_and_logs(world, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.INFO, logger="qingshen.sms")
    sms = send_sms(world.user(Role.ENTERPRISE), django_capture_on_commit_callbacks)
    assert (sms.status, sms.sender, sms.attempts, sms.error) == ("sent", "database", 1, "")
    assert sms.provider_message_id.startswith("db-") and len(sms.provider_message_id) == 35
    assert sms.sent_at is not None and sms.sent_at >= sms.created_at
    [line] = [r for r in caplog.records if r.name == "qingshen.sms"]
    assert line.levelno == logging.INFO
    assert line.getMessage() == f"短信（未实际发送）{sms.provider_message_id} 至 13800138000：评估申请已逾期，请尽快提交。"


def test_nothing_is_sent_before_the_transaction_commits(world, recording):
    services.notify([world.user(Role.ENTERPRISE)], kind="info", title="测试", body="", sms_phone="13800138000")
    assert SmsMessage.objects.get().status == "pending" and recording == []


def test_running_the_task_again_sends_nothing_more(world, recording, django_capture_on_commit_callbacks):
    sms = send_sms(world.user(Role.ENTERPRISE), django_capture_on_commit_callbacks)
    assert (sms.status, sms.provider_message_id) == ("sent", "rec-1")

    result = send_pending_sms.enqueue([sms.pk, sms.pk])  # a retried task, a duplicate in the list
    assert result.return_value == {"sent": 0, "failed": 0, "skipped": 2}
    sms.refresh_from_db()
    assert (sms.status, sms.provider_message_id, sms.attempts) == ("sent", "rec-1", 1)
    assert len(recording) == 1


def test_a_refusal_is_recorded_and_the_rest_of_the_batch_goes_on(world, recording, use_sender,
                                                               django_capture_on_commit_callbacks):
    user = world.user(Role.ENTERPRISE)
    use_sender("RefusingSender")
    refused = send_sms(user, django_capture_on_commit_callbacks, key="a")
    use_sender("BrokenSender")
    crashed = send_sms(user, django_capture_on_commit_callbacks, key="b")
    assert (refused.status, refused.attempts, refused.sender, refused.error) == (
        "failed", 1, "refusing", "测试网关拒绝发送。")
    assert (crashed.status, crashed.sender, crashed.error) == ("failed", "broken", f"发送出错（短信编号 {crashed.pk}），详见系统日志。")
    assert "internal detail" not in crashed.error

    SmsMessage.objects.filter(pk=refused.pk).update(status="pending")
    later = send_sms(user, django_capture_on_commit_callbacks, key="c")  # pending, sent with the next
    use_sender("RecordingSender")
    result = send_pending_sms.enqueue([refused.pk, crashed.pk, later.pk])
    assert result.return_value == {"sent": 1, "failed": 0, "skipped": 2}  # `later` already failed with BrokenSender
    refused.refresh_from_db()
    assert (refused.status, refused.attempts, refused.error, refused.sender) == ("sent", 2, "", "recording")


def test_retry_sms_requeues_failed_ones_up_to_three_tries(world, recording, use_sender, capsys,
                                                          django_capture_on_commit_callbacks):
    user = world.user(Role.ENTERPRISE)
    use_sender("RefusingSender")
    sms = send_sms(user, django_capture_on_commit_callbacks)
    malformed = send_sms(user, django_capture_on_commit_callbacks, phone="12345", key="bad")

    for tries in (2, 3):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("retry_sms")
        assert capsys.readouterr().out.strip() == "已重新排队 1 条短信。"
        sms.refresh_from_db()
        assert (sms.status, sms.attempts) == ("failed", tries)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("retry_sms")
    assert capsys.readouterr().out.strip() == "没有需要重新发送的短信。"
    malformed.refresh_from_db()
    assert (malformed.status, malformed.attempts) == ("failed", 0)  # a wrong number is not retried
    assert Event.objects.filter(action="sms.requeue").count() == 2


def test_retry_sms_sends_what_now_goes_through(world, recording, use_sender, django_capture_on_commit_callbacks):
    use_sender("RefusingSender")
    sms = send_sms(world.user(Role.ENTERPRISE), django_capture_on_commit_callbacks)
    use_sender("RecordingSender")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("retry_sms", stdout=io.StringIO())
    sms.refresh_from_db()
    assert (sms.status, sms.attempts, sms.provider_message_id, sms.error) == ("sent", 2, "rec-1", "")
    assert recording == [("13800138000", "评估申请已逾期，请尽快提交。")]


def test_retry_sms_picks_up_pending_ones_whose_task_was_lost(world, recording, django_capture_on_commit_callbacks):
    """Enqueued on commit, but the queue lost it (no commit here: the callback never ran)."""
    services.notify([world.user(Role.ENTERPRISE)], kind="info", title="测试", body="", sms_phone="13800138000")
    sms = SmsMessage.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.requeue_sms() == []  # too recent: its task may still be on its way
    SmsMessage.objects.filter(pk=sms.pk).update(created_at=timezone.now() - timedelta(minutes=11))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.requeue_sms() == [sms.pk]
    sms.refresh_from_db()
    assert sms.status == "sent" and len(recording) == 1


@pytest.mark.parametrize("path, code", [
    ("qingshen.notifications.senders.NoSuchSender", "notifications.E001"),
    ("qingshen.notifications.senders.HttpSender", "notifications.E002"),  # no gateway address set
    ("qingshen.notifications.senders.SendError", "notifications.E003"),
])
def test_a_wrong_sender_setting_fails_the_system_check(settings, path, code):
    from qingshen.notifications.checks import sms_sender_configured

    settings.QINGSHEN_SMS_SENDER = path
    assert [error.id for error in sms_sender_configured(None)] == [code]
    settings.QINGSHEN_SMS_SENDER = "qingshen.notifications.senders.DatabaseSender"
    assert sms_sender_configured(None) == []
