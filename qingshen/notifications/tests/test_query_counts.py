"""消息中心 and the API cost the same with 2 messages as with 20; the header badge is one query
on every page, shared with the 消息中心's 未读 tab."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qingshen.core.roles import Role
from qingshen.notifications.models import Message


def grow(user, count):
    Message.objects.bulk_create([Message(recipient=user, kind="reminder", title=f"测试消息{n}", body="测试",
                                         link="/help/") for n in range(count)])


def captured(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return [q["sql"] for q in context.captured_queries]


@pytest.mark.parametrize("url", ["/notifications/", "/notifications/?tab=all", "/api/messages/",
                                 "/api/messages/?unread=true"])
def test_constant_queries(world, login, url):
    user = world.user(Role.ENTERPRISE)
    client = login(user)
    grow(user, 2)
    client.get(url)  # warm caches (content types, sessions)
    few = len(captured(client, url))
    grow(user, 18)
    many = len(captured(client, url))
    assert many == few, f"{url}: {few} queries with 2 messages, {many} with 20"


@pytest.mark.parametrize("url, reads", [
    ("/help/", 1),  # the badge
    ("/", 1),
    ("/notifications/?tab=all", 3),  # the badge (shared with the 未读 tab), the page's count, the rows
])
def test_the_badge_is_one_query(world, login, url, reads):
    user = world.user(Role.COUNTY)
    grow(user, 3)
    client = login(user)
    client.get(url)
    touching = [sql for sql in captured(client, url) if "notifications_message" in sql]
    assert len(touching) == reads, touching
