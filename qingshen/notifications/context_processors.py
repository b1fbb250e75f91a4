from django.utils.functional import SimpleLazyObject

from qingshen.notifications import services


def unread_count_for(request) -> int:
    """The signed-in user's unread count, counted once per request (the header badge and the
    消息中心's tab share it)."""
    if not hasattr(request, "_unread_message_count"):
        request._unread_message_count = services.unread_count(request.user)
    return request._unread_message_count


def unread_messages(request):
    """`unread_message_count` for the header badge; the query runs only if a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.must_change_password:
        return {}
    return {"unread_message_count": SimpleLazyObject(lambda: unread_count_for(request))}
