"""notify(): one message per recipient, one SMS, idempotent by dedupe_key, a bad number recorded
not raised, one audit event per call that changed something; reading messages."""

import pytest
from django.core.exceptions import PermissionDenied

from qingshen.audit_trail.models import Event
from qingshen.core.roles import Role
from qingshen.notifications import services
from qingshen.notifications.models import Message, SmsMessage

KEY = "reminder:made-up-milestone:1:2022-02-01"


def remind(recipients, capture, **extra):
    """notify() as the daily job would call it, with its on-commit work run."""
    values = dict(kind="reminder", title="评估申请即将到期（测试）", body="请于 2022-02-01 前提交评估申请。",
                  link="/help/", dedupe_key=KEY, sms_phone="13800138000", sms_text="【测试】评估申请将于 2 月 1 日到期。")
    with capture(execute=True):
        return services.notify(recipients, **{**values, **extra})


def test_notify_twice_with_one_key_gives_one_message_each_and_one_sms(world, recording,
                                                                      django_capture_on_commit_callbacks):
    enterprise, county = world.user(Role.ENTERPRISE), world.user(Role.COUNTY)
    first = remind([enterprise, county, enterprise], django_capture_on_commit_callbacks)
    again = remind([enterprise, county], django_capture_on_commit_callbacks)

    assert [m.recipient for m in first] == [enterprise, county]  # the repeated recipient once
    assert again == []
    assert Message.objects.filter(dedupe_key=KEY).count() == 2
    sms = SmsMessage.objects.get()
    assert (sms.phone, sms.status, sms.dedupe_key, sms.message) == ("13800138000", "sent", KEY, first[0])
    assert recording == [("13800138000", "【测试】评估申请将于 2 月 1 日到期。")]


def test_a_new_recipient_for_the_same_key_still_gets_the_message(world, recording, django_capture_on_commit_callbacks):
    remind([world.user(Role.ENTERPRISE)], django_capture_on_commit_callbacks)
    added = remind([world.user(Role.ENTERPRISE), world.user(Role.CITY)], django_capture_on_commit_callbacks)
    assert [m.recipient for m in added] == [world.user(Role.CITY)]
    assert SmsMessage.objects.count() == 1 and len(recording) == 1


def test_without_a_key_every_call_is_a_new_message(world, recording, django_capture_on_commit_callbacks):
    for _ in range(2):
        remind([world.user(Role.COUNTY)], django_capture_on_commit_callbacks, dedupe_key="")
    assert Message.objects.count() == 2 and SmsMessage.objects.count() == 2 and len(recording) == 2


def test_sms_text_defaults_to_the_title_and_no_phone_means_no_sms(world, recording, django_capture_on_commit_callbacks):
    remind([world.user(Role.COUNTY)], django_capture_on_commit_callbacks, sms_text="")
    assert recording == [("13800138000", "评估申请即将到期（测试）")]
    remind([world.user(Role.COUNTY)], django_capture_on_commit_callbacks, dedupe_key="other", sms_phone="")
    assert SmsMessage.objects.count() == 1


@pytest.mark.parametrize("typed, stored, valid", [
    ("13800138000", "13800138000", True),
    ("138 0013 8000", "13800138000", True),
    ("138-0013-8000", "13800138000", True),
    ("+86 13800138000", "13800138000", True),
    ("8613900139000", "13900139000", True),
    ("19912345678", "19912345678", True),
    ("12800138000", "12800138000", False),  # second digit 2: no such mobile prefix
    ("1380013800", "1380013800", False),  # ten digits
    ("0312-1234567", "03121234567", False),  # a landline
    ("一三八", "一三八", False),
])
def test_phone_numbers(world, recording, django_capture_on_commit_callbacks, typed, stored, valid):
    remind([world.user(Role.ENTERPRISE)], django_capture_on_commit_callbacks, sms_phone=typed)
    sms = SmsMessage.objects.get()
    assert sms.phone == stored
    if valid:
        assert (sms.status, sms.attempts, sms.error) == ("sent", 1, "")
    else:
        assert (sms.status, sms.attempts, sms.sender) == ("failed", 0, "")
        assert sms.error == f"手机号码“{typed}”格式不正确（应为 11 位中国大陆手机号码），短信未发送。"
        assert recording == []


def test_a_bad_number_does_not_stop_a_batch(world, recording, django_capture_on_commit_callbacks):
    """The daily job loops over enterprises; the one with a wrong number gets its message and a
    failed SMS on record, and the next is reminded as usual."""
    for n, phone in enumerate(["1380013800x", "13900139000"]):
        remind([world.user(Role.ENTERPRISE)], django_capture_on_commit_callbacks, dedupe_key=f"k{n}", sms_phone=phone)
    assert Message.objects.count() == 2
    assert list(SmsMessage.objects.order_by("pk").values_list("status", flat=True)) == ["failed", "sent"]
    assert recording == [("13900139000", "【测试】评估申请将于 2 月 1 日到期。")]


def test_one_audit_event_per_call_that_sent_something(world, recording, django_capture_on_commit_callbacks):
    county, enterprise = world.user(Role.COUNTY), world.user(Role.ENTERPRISE)
    messages = remind([enterprise, county], django_capture_on_commit_callbacks, actor=county)
    remind([enterprise, county], django_capture_on_commit_callbacks, actor=county)  # nothing new: no event
    remind([enterprise], django_capture_on_commit_callbacks, dedupe_key="daily", sms_phone="")  # the daily job

    by_hand, daily = Event.objects.filter(action="notification.notify").order_by("seq")
    assert by_hand.actor == county and by_hand.organization == county.organization
    assert by_hand.summary == "发送消息「评估申请即将到期（测试）」：站内消息 2 条，短信待发送"
    sms = SmsMessage.objects.get()
    assert by_hand.after == {"kind": "reminder", "dedupe_key": KEY, "recipients": [enterprise.pk, county.pk],
                             "messages": [m.pk for m in messages], "sms": sms.pk, "sms_status": "pending"}
    assert daily.actor is None and daily.actor_name == ""
    assert daily.summary == "发送消息「评估申请即将到期（测试）」：站内消息 1 条，短信无"


def test_bad_calls_are_programming_errors(world):
    user = world.user(Role.COUNTY)
    for bad in (dict(kind="Reminder!"), dict(title=""), dict(title="长" * 201), dict(dedupe_key="k" * 201),
                dict(link="https://example.com/"), dict(link="//example.com/"), dict(link="help/")):
        with pytest.raises(ValueError):
            services.notify([user], **{"kind": "info", "title": "测试", "body": "", **bad})
    assert not Message.objects.exists()


def test_mark_read_all_read_and_unread_count(world):
    user, other = world.user(Role.COUNTY), world.user(Role.CITY)
    mine = services.notify([user], kind="info", title="一（测试）", body="") + \
        services.notify([user], kind="info", title="二（测试）", body="")
    services.notify([other], kind="info", title="别人的（测试）", body="")
    assert services.unread_count(user) == 2

    read = services.mark_read(user, mine[0])
    first_read_at = read.read_at
    assert first_read_at is not None and services.unread_count(user) == 1
    assert services.mark_read(user, Message.objects.get(pk=mine[0].pk)).read_at == first_read_at  # kept
    with pytest.raises(PermissionDenied):
        services.mark_read(other, mine[1])

    assert services.mark_all_read(user) == 1
    assert services.mark_all_read(user) == 0
    assert services.unread_count(user) == 0 and services.unread_count(other) == 1
    assert Message.objects.get(pk=mine[0].pk).read_at == first_read_at
