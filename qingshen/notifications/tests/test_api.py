"""/api/messages/: the caller's own messages only, whatever the role."""

from django.urls import reverse

from qingshen.core.roles import Role
from qingshen.notifications import services
from qingshen.notifications.models import Message


def made_up(user, *titles):
    return [services.notify([user], kind="overdue", title=t, body="测试内容", link="/help/")[0] for t in titles]


def test_list_filters_read_and_count(world, login):
    user = world.user(Role.ENTERPRISE)
    first, second, third = made_up(user, "测试一", "测试二", "测试三")
    made_up(world.other_enterprise_user, "别人的测试消息")
    services.mark_read(user, second)
    client = login(user)

    listed = client.get(reverse("message-list")).json()
    assert listed["count"] == 3 and [m["title"] for m in listed["results"]] == ["测试三", "测试二", "测试一"]
    row = listed["results"][0]
    assert {k: row[k] for k in ("id", "kind", "kind_display", "body", "link", "read_at", "is_read")} == {
        "id": third.pk, "kind": "overdue", "kind_display": "逾期通知", "body": "测试内容", "link": "/help/",
        "read_at": None, "is_read": False}
    assert [m["title"] for m in client.get(reverse("message-list"), {"unread": "true"}).json()["results"]] == [
        "测试三", "测试一"]
    assert [m["title"] for m in client.get(reverse("message-list"), {"unread": "false"}).json()["results"]] == ["测试二"]
    assert client.get(reverse("message-unread-count")).json() == {"unread": 2}

    read = client.post(reverse("message-read", args=[first.pk]))
    assert read.status_code == 200 and read.json()["is_read"] and read.json()["read_at"]
    assert client.get(reverse("message-unread-count")).json() == {"unread": 1}
    assert client.post(reverse("message-read-all")).json() == {"marked": 1}
    assert client.get(reverse("message-unread-count")).json() == {"unread": 0}
    assert Message.objects.filter(recipient=world.other_enterprise_user, read_at__isnull=True).count() == 1


def test_another_users_message_is_not_found(world, login):
    [message] = made_up(world.user(Role.ENTERPRISE), "测试一")
    client = login(world.user(Role.PROVINCE))
    assert client.get(reverse("message-detail", args=[message.pk])).status_code == 404
    assert client.post(reverse("message-read", args=[message.pk])).status_code == 404
    assert client.get(reverse("message-list")).json()["count"] == 0
    message.refresh_from_db()
    assert message.read_at is None


def test_token_authentication(world, client):
    from rest_framework.authtoken.models import Token

    user = world.user(Role.COUNTY)
    made_up(user, "测试一")
    token = Token.objects.create(user=user)
    response = client.get(reverse("message-unread-count"), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.json() == {"unread": 1}
    assert client.get(reverse("message-unread-count")).status_code == 401
