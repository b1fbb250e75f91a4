"""The notifications app's rows of the jurisdiction harness (tests/test_jurisdiction.py).

A message belongs to its recipient, whatever the role: inside = the role's own message, outside
= another user's (`owned`). 消息中心 is everyone's; the SMS records are the system administrator's.
"""

from qingshen.core.roles import Role
from qingshen.notifications.models import Message
from tests.jurisdiction_support import Case, owned


def _message(owner):
    return Message.objects.create(recipient=owner, kind="info", title="辖区测试消息", body="测试", link="/help/")


message = owned(_message)

PAGES = {
    "notifications:list": Case(),
    "notifications:open": Case(pick=message, ok=(302,)),
    "notifications:read_all": Case(method="post"),
    "notifications:sms": Case(frozenset({Role.SYSADMIN})),
}

API = {
    "message-list": Case(pick=message),
    "message-detail": Case(pick=message),
    "message-read": Case(method="post", pick=message),
    "message-read-all": Case(method="post"),
    "message-unread-count": Case(),
}
