"""The daily job: reminders before the due date, weekly notices when overdue, to the party and
the level above, by message and (reminders) SMS to the project lead — never twice."""

import datetime
import io

from django.core.management import call_command

from qingshen.core.roles import Role
from qingshen.notifications.models import Message, SmsMessage
from qingshen.supervision import reminders

DUE = datetime.date(2022, 2, 1)  # the world's 评估申请 date in 涿州 (保定 tightened the province's 3 月 1 日)


def messages_of(user, kind):
    return Message.objects.filter(recipient=user, kind=kind)


def test_a_reminder_a_week_before_by_message_and_sms_once(world, django_capture_on_commit_callbacks):
    enterprise = world.user(Role.ENTERPRISE)
    with django_capture_on_commit_callbacks(execute=True):  # the SMS task is queued on commit
        reminders.run(today=DUE - datetime.timedelta(days=7))
    reminder = messages_of(enterprise, "reminder").get(title__contains="完成方案制定并提出评估申请")
    assert "还有 7 天" in reminder.title and reminder.link == world.project.get_absolute_url()
    sms = SmsMessage.objects.get(phone=world.project.project_lead_mobile, text__contains="评估申请")
    assert sms.status == SmsMessage.Status.SENT  # the immediate task backend, the database sender
    assert not messages_of(world.user(Role.COUNTY), "reminder").exists()  # reminders go to the party only
    with django_capture_on_commit_callbacks(execute=True):
        reminders.run(today=DUE - datetime.timedelta(days=7))
    assert messages_of(enterprise, "reminder").filter(title__contains="评估申请").count() == 1
    assert SmsMessage.objects.filter(text__contains="评估申请").count() == 1
    reminders.run(today=DUE - datetime.timedelta(days=6))  # not a reminder day
    assert messages_of(enterprise, "reminder").filter(title__contains="评估申请").count() == 1


def test_overdue_notices_weekly_to_the_party_and_the_level_above(world):
    enterprise, county = world.user(Role.ENTERPRISE), world.user(Role.COUNTY)
    reminders.run(today=DUE + datetime.timedelta(days=1))
    assert messages_of(enterprise, "overdue").filter(title__contains="评估申请").count() == 1
    assert messages_of(county, "overdue").filter(title__contains="涿州测试企业").exists()
    assert not messages_of(world.other_county_user, "overdue").filter(title__contains="涿州测试企业").exists()
    reminders.run(today=DUE + datetime.timedelta(days=3))
    assert messages_of(enterprise, "overdue").filter(title__contains="评估申请").count() == 1
    reminders.run(today=DUE + datetime.timedelta(days=8))
    assert messages_of(enterprise, "overdue").filter(title__contains="评估申请").count() == 2


def test_the_command_reports_what_it_sent(world):
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    assert "到期提醒" in out.getvalue() and "逾期通知" in out.getvalue()
