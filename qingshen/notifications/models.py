"""Messages to users (消息中心) and the SMS sent alongside them.

Both are records: nothing here is ever deleted (the recipient is PROTECTed), so what was said
to whom, and when, can always be shown. A `dedupe_key` names the occasion a message is for
(e.g. "reminder:evaluation_application:42:2022-02-01"); the unique constraints make sending
for the same occasion twice — a rerun of the daily job, a retried task — a no-op.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

#: Labels of the kinds in use. A kind is an open short code (callers may add their own); one not
#: listed here is shown as 通知.
KIND_LABELS = {
    "reminder": "到期提醒",
    "overdue": "逾期通知",
    "review_returned": "退回通知",
    "info": "系统消息",
}
OTHER_KIND_LABEL = "通知"


class MessageQuerySet(models.QuerySet):
    def restrict(self, user):
        """A message belongs to its recipient; nobody else sees it, whatever their role."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Message(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.PROTECT,
                                  related_name="messages")
    kind = models.CharField("类型", max_length=30, help_text="简短代码，如 reminder、overdue、review_returned、info")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=500, blank=True, help_text="站内地址（以 / 开头），可为空")
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    dedupe_key = models.CharField("去重键", max_length=200, blank=True,
                                  help_text="同一接收人同一去重键只有一条消息")

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], condition=~Q(dedupe_key=""),
                                    name="notifications_message_unique_dedupe"),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notifications_msg_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notifications_msg_newest"),
        ]

    def __str__(self):
        return self.title

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, OTHER_KIND_LABEL)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class SmsMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    phone = models.CharField("手机号码", max_length=20)
    text = models.TextField("短信内容")
    dedupe_key = models.CharField("去重键", max_length=200, blank=True, help_text="同一去重键只发一条短信")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("发送次数", default=0)
    provider_message_id = models.CharField("短信平台编号", max_length=100, blank=True)
    error = models.CharField("失败原因", max_length=500, blank=True)
    sender = models.CharField("发送通道", max_length=50, blank=True)
    message = models.ForeignKey(Message, verbose_name="对应消息", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="sms")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "短信"
        verbose_name_plural = "短信"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["dedupe_key"], condition=~Q(dedupe_key=""),
                                    name="notifications_sms_unique_dedupe"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="notifications_sms_status")]

    def __str__(self):
        return f"{self.phone}：{self.text[:20]}"
