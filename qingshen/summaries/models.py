"""工作总结 and 评估情况汇总: each level's report of the campaign, sent up the hierarchy.

A county branch reports to its city bureau, a city bureau (定州市-like units without counties
included) to the province; the province's own summary goes nowhere — submitting it finalises
it (定稿). The figures are the system's (`qingshen.summaries.figures`): live while the report
is a draft, frozen into `figures` at submission, so the document always shows what was sent,
whatever is recorded later. The text is the level's own: the four parts below, each required
to submit.

One row per version per (campaign, organisation, kind): the receiving level returns a version
with a reason and the next version starts as a draft carrying the same text; the earlier rows
stay readable. The submitted version's PDF and .xlsx are stored (`qingshen.files`) at
submission, so they never change.
"""

from django.db import models
from django.urls import reverse

from qingshen.campaigns.models import MilestoneKind
from qingshen.campaigns.reporting import UpwardReport


class Kind(models.TextChoices):
    WORK = "work", "工作总结"
    EVALUATION = "evaluation", "评估情况汇总"


MILESTONE_OF_KIND = {Kind.WORK: MilestoneKind.WORK_SUMMARY, Kind.EVALUATION: MilestoneKind.EVALUATION_SUMMARY}

#: (field, heading): the level's text, in the order the document prints it.
TEXT_FIELDS = (
    ("progress", "工作开展情况"),
    ("achievements", "取得的成效"),
    ("problems", "存在的问题"),
    ("next_steps", "下一步工作"),
)


class SummaryReport(UpwardReport):
    kind = models.CharField("类型", max_length=12, choices=Kind.choices, default=Kind.WORK)
    progress = models.TextField("工作开展情况", blank=True)
    achievements = models.TextField("取得的成效", blank=True)
    problems = models.TextField("存在的问题", blank=True)
    next_steps = models.TextField("下一步工作", blank=True)
    figures = models.JSONField("报送时的统计数据", null=True, blank=True,
                               help_text="报送时由系统冻结；草稿为空，显示实时数据")
    pdf_file = models.ForeignKey("files.StoredFile", verbose_name="报送版（PDF）", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    xlsx_file = models.ForeignKey("files.StoredFile", verbose_name="报送版（XLSX）", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "工作总结"
        verbose_name_plural = "工作总结"
        ordering = ["campaign", "kind", "organization", "-version"]
        permissions = [("return_summaryreport", "退回工作总结")]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organization", "kind", "version"],
                                    name="summaries_one_row_per_version"),
            models.UniqueConstraint(fields=["campaign", "organization", "kind"], condition=models.Q(status="draft"),
                                    name="summaries_one_draft"),
        ]

    def __str__(self):
        return f"{self.organization.name} {self.get_kind_display()}（第 {self.version} 版）"

    def get_absolute_url(self):
        return reverse("summaries:detail", args=[self.pk])

    @property
    def milestone_kind(self) -> str:  # follows the kind (UpwardReport.due_date reads it)
        return MILESTONE_OF_KIND[self.kind]

    @property
    def title(self) -> str:
        return document_title(self.organization.name, self.campaign.name, self.kind)

    def texts(self) -> list[tuple[str, str, str]]:
        """[(field, heading, text)] in print order."""
        return [(name, heading, getattr(self, name)) for name, heading in TEXT_FIELDS]


def document_title(organization_name: str, campaign_name: str, kind: str) -> str:
    if kind == Kind.EVALUATION:
        return f"{organization_name}关于{campaign_name}审核方案评估情况的汇总"
    return f"{organization_name}关于{campaign_name}工作总结"
