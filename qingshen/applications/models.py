"""评估申请 / 验收申请: the enterprise's request for review, and the version it froze.

One Application row per submission round of a stage: the enterprise fills the application
form (申请表) in a draft and submits; submitting freezes a snapshot of everything the
application contains (project start, phase filings with the exact evidence versions, the
audit data tables, the option ledger) — `contents` — so later edits never change what reviewers
read. A returned application (issue 6's reviews) is answered by a new draft, version + 1; the
earlier versions stay readable.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from qingshen.core.scoping import ScopedModel


class Stage(models.TextChoices):
    EVALUATION = "evaluation", "评估"
    ACCEPTANCE = "acceptance", "验收"


class Application(ScopedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已提交"

    project = models.ForeignKey("projects.AuditProject", verbose_name="审核项目", on_delete=models.PROTECT,
                                related_name="applications")
    stage = models.CharField("阶段", max_length=12, choices=Stage.choices)
    number = models.PositiveSmallIntegerField("版本", default=1)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT)
    # 申请表
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=50, blank=True)
    audit_started_on = models.DateField("审核开始日期", null=True, blank=True)
    audit_finished_on = models.DateField("审核完成日期", null=True, blank=True)
    summary = models.TextField("审核工作概述", blank=True,
                               help_text="审核重点、目标完成情况、方案实施情况等")
    statement = models.TextField("申请说明", blank=True)
    # what submitting froze
    contents = models.JSONField("申请内容（提交时冻结）", default=dict, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField("截止日期", null=True, blank=True, help_text="提交时适用的申请截止日期")
    late_days = models.PositiveIntegerField("逾期天数", default=0)
    version = models.PositiveIntegerField("修改次数", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    jurisdiction_enterprise_lookup = "project__enterprise"

    @classmethod
    def filter_for_expert(cls, queryset, jurisdiction):
        """An expert reads the applications it is drawn to review."""
        from qingshen.reviews.models import Assignment

        return queryset.filter(pk__in=Assignment.objects.filter(
            expert__user_id=jurisdiction.user_id, status=Assignment.Status.ACTIVE).values("review__application_id"))

    class Meta:
        verbose_name = "评估、验收申请"
        verbose_name_plural = "评估、验收申请"
        ordering = ["project", "stage", "-number"]
        permissions = [("submit_application", "提交评估、验收申请")]
        constraints = [
            models.UniqueConstraint(fields=["project", "stage", "number"], name="one_application_per_round"),
            models.UniqueConstraint(fields=["project", "stage"], condition=models.Q(status="draft"),
                                    name="one_draft_application_per_stage"),
        ]

    def __str__(self):
        return f"{self.project.number} {self.get_stage_display()}申请（第 {self.number} 版）"

    def get_absolute_url(self):
        return reverse("applications:detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.set_scope_from_region(self.project.enterprise.region)
        super().save(*args, **kwargs)

    @property
    def title(self) -> str:
        return f"{self.get_stage_display()}申请"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT
