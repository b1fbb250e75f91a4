"""The enterprise's audit project (清洁生产审核项目), created when it accepts the task.

Its number is the year, the county code and a five-digit sequence (202113068100001), drawn
from a counter row locked per year and county, so concurrent acceptances never collide.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from qingshen.core.scoping import ScopedModel


class AuditProject(ScopedModel):
    class Status(models.TextChoices):
        ACCEPTED = "accepted", "已接受任务"

    member = models.OneToOneField("campaigns.CampaignEnterprise", verbose_name="名单企业", on_delete=models.PROTECT,
                                  related_name="project")
    campaign = models.ForeignKey("campaigns.Campaign", verbose_name="清审批次", on_delete=models.PROTECT,
                                 related_name="projects")
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="企业", on_delete=models.PROTECT,
                                   related_name="audit_projects")
    number = models.CharField("项目编号", max_length=20, unique=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.ACCEPTED)
    project_lead = models.CharField("项目负责人", max_length=50)
    project_lead_mobile = models.CharField("移动电话", max_length=20)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="接受人", on_delete=models.PROTECT,
                                    related_name="+")
    accepted_at = models.DateTimeField("接受时间")

    jurisdiction_enterprise_lookup = "enterprise"

    class Meta:
        verbose_name = "清洁生产审核项目"
        verbose_name_plural = "清洁生产审核项目"
        ordering = ["number"]

    def __str__(self):
        return f"{self.number} {self.enterprise.name}"

    def get_absolute_url(self):
        return reverse("projects:detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.set_scope_from_region(self.enterprise.region)
        super().save(*args, **kwargs)


class ProjectNumberCounter(models.Model):
    prefix = models.CharField("前缀", max_length=12, unique=True, help_text="年度 + 区划代码")
    last = models.PositiveIntegerField("最后序号", default=0)

    class Meta:
        verbose_name = "项目编号计数器"


class ActivationAttempt(models.Model):
    """One try on the activation page (激活账号): what the throttle and the "already
    activated" answer remember.

    The typed account name is kept only as a keyed digest (it may be a password typed in the
    wrong box). A success keeps the hash of the spent code, so whoever types the right code
    again is told the account is already active, while a stranger learns nothing.
    """

    attempted_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    ip_address = models.CharField("IP 地址", max_length=45, blank=True, db_index=True)
    account_digest = models.CharField("账号摘要", max_length=64, db_index=True)
    letter = models.ForeignKey("notices.NoticeLetter", verbose_name="告知书", null=True, blank=True,
                               on_delete=models.CASCADE, related_name="+")
    succeeded = models.BooleanField("成功", default=False)
    spent_code_hash = models.CharField("已用激活码（摘要）", max_length=200, blank=True)

    class Meta:
        verbose_name = "激活尝试"
        verbose_name_plural = "激活尝试"
        ordering = ["-attempted_at"]
