from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """消息中心 (in-app messages) and SMS. The label is not "messages": django.contrib.messages has it."""

    name = "qingshen.notifications"
    label = "notifications"
    verbose_name = "消息与短信"

    def ready(self):
        from qingshen.notifications import checks  # noqa: F401  (registers the sender check)
