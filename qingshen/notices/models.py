"""Task notices (清审任务通知) and notice letters (告知书).

The province issues the notice; each city and county adds its own requirements and files,
checks the list and dispatches (下发任务) after attesting that the electronic content has the
force of paper. The department that notifies enterprises — a county, or a city-level unit
without counties — generates one letter per enterprise from the official template, prints,
stamps and uploads each, and dispatches them; the enterprise then activates its account with
the code on its letter and accepts the task.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django_fsm import FSMField, transition

from qingshen.campaigns.models import CampaignEnterprise, CampaignTask
from qingshen.core.scoping import ScopedModel


def may_act(task, user) -> bool:
    return user.has_perm("notices.dispatch_notice") and user.organization_id == task.organization_id


class NoticeTask(CampaignTask):
    class Status(models.TextChoices):
        PENDING = "pending", "待派发"
        DISPATCHED = "dispatched", "已下发"

    campaign = models.ForeignKey("campaigns.Campaign", verbose_name="清审批次", on_delete=models.PROTECT,
                                 related_name="notice_tasks")
    organization = models.ForeignKey("organizations.Organization", verbose_name="承办单位", on_delete=models.PROTECT,
                                     related_name="notice_tasks")
    status = FSMField("状态", default=Status.PENDING, choices=Status.choices, protected=True)
    document_number = models.CharField("本级文号", max_length=60, blank=True)
    requirements = models.TextField("本级通知要求", blank=True)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系方式", max_length=50, blank=True)
    publish_date = models.DateField("发布日期", null=True, blank=True)
    deadline = models.DateField("截止日期", null=True, blank=True)

    class Meta:
        verbose_name = "清审任务通知"
        verbose_name_plural = "清审任务通知"
        ordering = ["campaign", "organization__account_code"]
        permissions = [
            ("issue_notice", "发布清审任务通知"),
            ("dispatch_notice", "下发清审任务通知"),
            ("generate_letter", "生成、上传告知书"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organization"], name="one_notice_task_per_department"),
        ]

    def get_absolute_url(self):
        return reverse("notices:detail", args=[self.pk])

    @property
    def notifies_enterprises(self) -> bool:
        """Counties notify their enterprises; so does a city-level unit without counties."""
        return self.level == "county" or (self.level == "city" and not self.organization.region.children.exists())

    def members(self):
        """The campaign's included enterprises in this department's region."""
        return self.members_in_region(CampaignEnterprise.objects.filter(
            campaign_id=self.campaign_id, status=CampaignEnterprise.Status.INCLUDED))

    def chain(self) -> list["NoticeTask"]:
        """This task and those above it, province first: every level's requirements."""
        tasks, task = [], self
        while task is not None:
            tasks.append(task)
            task = task.parent
        return list(reversed(tasks))

    @transition(field=status, source=Status.PENDING, target=Status.DISPATCHED, permission=may_act)
    def dispatch(self):
        """下发任务: to the level below, or (a notifying department) to its enterprises."""


class NoticeLetter(ScopedModel):
    """强制性清洁生产审核事项告知书: one per enterprise and campaign.

    Its number is printed and encoded in a QR code with the revision; regenerating the
    letter raises the revision and issues a new activation code, so an older printout (and
    its stamped scan) no longer counts.
    """

    class StampedVia(models.TextChoices):
        UPLOAD = "upload", "逐个上传"
        SCAN = "scan", "批量扫描识别"
        MANUAL = "manual", "人工指定"

    task = models.ForeignKey(NoticeTask, verbose_name="通知任务", on_delete=models.PROTECT, related_name="letters")
    member = models.OneToOneField("campaigns.CampaignEnterprise", verbose_name="名单企业", on_delete=models.PROTECT,
                                  related_name="letter")
    number = models.CharField("编号", max_length=40, unique=True)
    revision = models.PositiveSmallIntegerField("版次", default=1)
    account = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="企业账号", on_delete=models.PROTECT,
                                related_name="+")
    activation_code_hash = models.CharField("激活码（摘要）", max_length=200, blank=True)
    activation_failures = models.PositiveSmallIntegerField("激活失败次数", default=0)
    activated_at = models.DateTimeField("激活时间", null=True, blank=True)
    pdf = models.ForeignKey("files.StoredFile", verbose_name="告知书", null=True, blank=True,
                            on_delete=models.PROTECT, related_name="+")
    generated_at = models.DateTimeField("生成时间", null=True, blank=True)
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="生成人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    stamped_copy = models.ForeignKey("files.StoredFile", verbose_name="盖章版", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    stamped_revision = models.PositiveSmallIntegerField("盖章版对应版次", null=True, blank=True)
    stamped_via = models.CharField("盖章版来源", max_length=10, choices=StampedVia.choices, blank=True)
    stamped_at = models.DateTimeField("上传时间", null=True, blank=True)
    stamped_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    dispatched_at = models.DateTimeField("下发时间", null=True, blank=True)

    jurisdiction_enterprise_lookup = "member__enterprise"

    class Meta:
        verbose_name = "告知书"
        verbose_name_plural = "告知书"
        ordering = ["task", "number"]

    def __str__(self):
        return f"告知书 {self.number}"

    def save(self, *args, **kwargs):
        self.set_scope_from_region(self.member.enterprise.region)
        super().save(*args, **kwargs)

    @property
    def has_current_stamped_copy(self) -> bool:
        return self.stamped_copy_id is not None and self.stamped_revision == self.revision

    @property
    def qr_payload(self) -> str:
        return qr_payload(self.number, self.revision)


QR_PREFIX = "QINGSHEN-GZS"


def qr_payload(number: str, revision: int) -> str:
    """What a letter's QR code says: QINGSHEN-GZS|<number>|<revision>."""
    return f"{QR_PREFIX}|{number}|{revision}"


class ScanBatch(models.Model):
    """Stamped letters uploaded at once (one multi-page scan or many images), read by QR code."""

    task = models.ForeignKey(NoticeTask, verbose_name="通知任务", on_delete=models.PROTECT, related_name="scans")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    sources = models.ManyToManyField("files.StoredFile", verbose_name="上传的文件", related_name="+")
    job = models.ForeignKey("jobs.Job", verbose_name="识别任务", null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")

    class Meta:
        verbose_name = "批量上传"
        verbose_name_plural = "批量上传"
        ordering = ["-uploaded_at"]


class ScanPage(models.Model):
    class Outcome(models.TextChoices):
        MATCHED = "matched", "已匹配"
        NO_CODE = "no_code", "未识别到二维码"
        UNKNOWN = "unknown", "编号不存在或不属于本单位"
        STALE = "stale", "告知书已重新生成，此件已作废"
        DUPLICATE = "duplicate", "重复扫描"
        ASSIGNED = "assigned", "已人工指定"

    batch = models.ForeignKey(ScanBatch, verbose_name="批量上传", on_delete=models.CASCADE, related_name="pages")
    index = models.PositiveIntegerField("页序")
    source_name = models.CharField("来源", max_length=255)
    image = models.ForeignKey("files.StoredFile", verbose_name="页面", on_delete=models.PROTECT, related_name="+")
    payload = models.CharField("二维码内容", max_length=200, blank=True)
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices)
    letter = models.ForeignKey(NoticeLetter, verbose_name="告知书", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    letter_revision = models.PositiveSmallIntegerField("对应版次", null=True, blank=True)
    letter_page = models.PositiveSmallIntegerField("对应页码", null=True, blank=True)

    class Meta:
        verbose_name = "扫描页"
        verbose_name_plural = "扫描页"
        ordering = ["batch", "index"]
