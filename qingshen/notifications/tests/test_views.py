"""消息中心, opening a message, 全部标为已读, the header badge and the SMS records page."""

import re

import pytest
from django.urls import reverse

from qingshen.core.roles import Role
from qingshen.enterprises.tests.helpers import messages_of, page_text
from qingshen.notifications import services
from qingshen.notifications.models import Message, SmsMessage

LIST = "/notifications/"


def made_up_messages(user, count, *, start=1, link="/help/"):
    """`count` made-up messages, numbered from `start`, the highest number the newest."""
    return [services.notify([user], kind="reminder", title=f"测试消息{n}", body=f"第 {n} 条测试消息的内容。",
                            link=link)[0] for n in range(start, start + count)]


def titles(response) -> list[str]:
    return re.findall(r"测试消息\d+", page_text(response))


def badge(response) -> str | None:
    match = re.search(r'id="unread-count"[^>]*>([^<]*)<', response.content.decode())
    return match.group(1) if match else None


def test_tabs_unread_by_default_and_all_newest_first(world, login):
    user = world.user(Role.ENTERPRISE)
    made_up_messages(user, 3)
    services.mark_read(user, Message.objects.get(title="测试消息2"))
    made_up_messages(world.user(Role.COUNTY), 1, start=9)  # someone else's
    client = login(user)

    unread = client.get(LIST)
    assert titles(unread) == ["测试消息3", "测试消息1"]
    assert "未读 2 全部" in page_text(unread)
    assert "第 3 条测试消息的内容。" in page_text(unread)
    assert titles(client.get(LIST, {"tab": "all"})) == ["测试消息3", "测试消息2", "测试消息1"]
    assert "已读于" in page_text(client.get(LIST, {"tab": "all"}))


def test_the_list_is_paginated_by_twenty(world, login):
    user = world.user(Role.COUNTY)
    made_up_messages(user, 25)
    client = login(user)
    first = client.get(LIST, {"tab": "all"})
    assert len(titles(first)) == 20 and titles(first)[0] == "测试消息25"
    assert "共 25 条记录，第 1 / 2 页" in page_text(first)
    assert 'href="?tab=all&page=2"' in first.content.decode()
    assert titles(client.get(LIST, {"tab": "all", "page": 2})) == [f"测试消息{n}" for n in range(5, 0, -1)]


def test_empty_tabs_say_so(world, login):
    client = login(world.user(Role.CITY))
    assert "没有未读消息。" in page_text(client.get(LIST))
    assert "还没有消息。" in page_text(client.get(LIST, {"tab": "all"}))
    assert 'id="mark-all-read"' not in client.get(LIST).content.decode()


def test_opening_a_message_marks_it_read_and_follows_its_link(world, login):
    user = world.user(Role.ENTERPRISE)
    [message] = made_up_messages(user, 1, link="/jobs/")
    client = login(user)
    assert f'href="/notifications/{message.pk}/open/"' in client.get(LIST).content.decode()

    response = client.get(reverse("notifications:open", args=[message.pk]))
    assert (response.status_code, response["Location"]) == (302, "/jobs/")
    message.refresh_from_db()
    assert message.read_at is not None
    assert titles(client.get(LIST)) == []


@pytest.mark.parametrize("link, tab, goes_to", [
    ("", "", "/notifications/"),
    ("", "all", "/notifications/?tab=all"),
    ("https://elsewhere.example/", "", "/notifications/"),  # written directly: notify() refuses it
])
def test_mark_one_read_without_a_local_link_returns_to_the_list(world, login, link, tab, goes_to):
    user = world.user(Role.COUNTY)
    message = Message.objects.create(recipient=user, kind="info", title="测试消息1", link=link)
    response = login(user).post(reverse("notifications:open", args=[message.pk]), {"tab": tab})
    assert (response.status_code, response["Location"]) == (302, goes_to)
    message.refresh_from_db()
    assert message.is_read


def test_another_users_message_is_not_found(world, login):
    [message] = made_up_messages(world.user(Role.ENTERPRISE), 1)
    for other in (world.other_enterprise_user, world.user(Role.PROVINCE), world.user(Role.SYSADMIN)):
        client = login(other)
        assert client.get(reverse("notifications:open", args=[message.pk])).status_code == 404
        assert client.post(reverse("notifications:open", args=[message.pk])).status_code == 404
        assert titles(client.get(LIST, {"tab": "all"})) == []
    message.refresh_from_db()
    assert message.read_at is None


def test_mark_all_read(world, login):
    user = world.user(Role.CONSULTANCY)
    made_up_messages(user, 3)
    [others] = made_up_messages(world.user(Role.COUNTY), 1, start=9)
    client = login(user)
    assert client.get(reverse("notifications:read_all")).status_code == 405

    response = client.post(reverse("notifications:read_all"), {"tab": "all"}, follow=True)
    assert response.redirect_chain == [("/notifications/?tab=all", 302)]
    assert messages_of(response) == ["已将 3 条消息标为已读。"]
    assert services.unread_count(user) == 0
    others.refresh_from_db()
    assert others.read_at is None
    again = client.post(reverse("notifications:read_all"), follow=True)
    assert messages_of(again) == ["没有未读消息。"]


@pytest.mark.parametrize("count, shown", [(0, None), (1, "1"), (99, "99"), (100, "99+")])
def test_header_badge(world, login, count, shown):
    user = world.user(Role.COUNTY)
    Message.objects.bulk_create([Message(recipient=user, kind="info", title=f"测试消息{n}") for n in range(count)])
    Message.objects.create(recipient=world.user(Role.CITY), kind="info", title="别人的测试消息")
    page = login(user).get("/help/")
    assert 'id="message-centre"' in page.content.decode()
    assert 'href="/notifications/"' in page.content.decode()
    assert badge(page) == shown


def test_no_message_link_when_signed_out_or_before_the_password_change(world, client):
    assert 'id="message-centre"' not in client.get("/accounts/login/").content.decode()
    user = world.user(Role.ENTERPRISE)
    Message.objects.create(recipient=user, kind="info", title="测试消息1")
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    client.force_login(user)
    page = client.get("/accounts/password/change/", follow=True)
    assert page.status_code == 200 and 'id="message-centre"' not in page.content.decode()


def test_sms_records_for_the_system_administrator(world, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([world.user(Role.ENTERPRISE)], kind="reminder", title="测试提醒", body="", dedupe_key="a",
                        sms_phone="13800138000", sms_text="测试短信甲")
        services.notify([world.user(Role.ENTERPRISE)], kind="reminder", title="测试提醒", body="", dedupe_key="b",
                        sms_phone="110", sms_text="测试短信乙")
    admin = login(world.user(Role.SYSADMIN))
    assert 'id="sms-records"' in admin.get(LIST).content.decode()
    every = page_text(admin.get(reverse("notifications:sms")))
    assert "测试短信甲" in every and "测试短信乙" in every and "已发送" in every
    failed = admin.get(reverse("notifications:sms"), {"status": "failed"})
    text = page_text(failed)
    assert "测试短信乙" in text and "测试短信甲" not in text
    assert "手机号码“110”格式不正确" in text
    assert SmsMessage.objects.count() == 2

    county = login(world.user(Role.COUNTY))
    assert 'id="sms-records"' not in county.get(LIST).content.decode()
    assert county.get(reverse("notifications:sms")).status_code == 403
