"""工作过程痕迹: the audit's phases, each phase's checklist (data, per campaign) and the
enterprise's filing per phase.

A checklist item says what a phase must show: photos, documents, or a data table that another
app owns (looked up through `qingshen.filings.tables`). The default set ships as
`data/default_checklist.csv` and is loaded by a data migration (rows with no campaign); a
campaign may have its own set, a copy the province edits (`CampaignChecklist` marks that it
has one, so an emptied set still counts as the campaign's own). A PhaseFiling is one project's
phase; submitting it stores the checklist it was checked against, with the evidence behind each
item, so a later edit of the checklist never changes what was submitted.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from qingshen.core.scoping import ScopedModel


class Stage(models.TextChoices):
    EVALUATION = "evaluation", "评估阶段"
    ACCEPTANCE = "acceptance", "验收阶段"


class Phase(models.TextChoices):
    """The phases in the order the seed's guide (4.3.1) lists them."""

    PREPARATION = "preparation", "审核准备"
    PRE_ASSESSMENT = "pre_assessment", "预审核"
    ASSESSMENT = "assessment", "审核"
    OPTION_GENERATION = "option_generation", "方案产生和筛选"
    EVALUATION_REPORT = "evaluation_report", "评估报告"
    FEASIBILITY = "feasibility", "方案的确定"
    IMPLEMENTATION = "implementation", "方案的实施"
    CONTINUOUS_IMPROVEMENT = "continuous_improvement", "持续清洁生产"
    ACCEPTANCE_REPORT = "acceptance_report", "验收报告"


PHASE_STAGE = {
    Phase.PREPARATION: Stage.EVALUATION,
    Phase.PRE_ASSESSMENT: Stage.EVALUATION,
    Phase.ASSESSMENT: Stage.EVALUATION,
    Phase.OPTION_GENERATION: Stage.EVALUATION,
    Phase.EVALUATION_REPORT: Stage.EVALUATION,
    Phase.FEASIBILITY: Stage.EVALUATION,
    Phase.IMPLEMENTATION: Stage.ACCEPTANCE,
    Phase.CONTINUOUS_IMPROVEMENT: Stage.ACCEPTANCE,
    Phase.ACCEPTANCE_REPORT: Stage.ACCEPTANCE,
}
PHASE_ORDER = {phase.value: index for index, phase in enumerate(Phase)}


def phases_of(stage) -> list[Phase]:
    return [phase for phase in Phase if PHASE_STAGE[phase] == stage]


class ItemKind(models.TextChoices):
    PHOTO = "photo", "照片"
    DOCUMENT = "document", "文档"
    TABLE = "table", "数据表"


#: Kinds whose items are filled with evidence files (an evidence slot of the phase's filing).
EVIDENCE_KINDS = (ItemKind.PHOTO, ItemKind.DOCUMENT)


class CampaignChecklist(models.Model):
    """Marks that a campaign uses its own checklist (its ChecklistItem rows), not the default."""

    campaign = models.OneToOneField("campaigns.Campaign", verbose_name="清审批次", on_delete=models.CASCADE,
                                    related_name="checklist")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "批次痕迹清单"
        verbose_name_plural = "批次痕迹清单"

    def __str__(self):
        return f"{self.campaign.name} 痕迹清单"


class ChecklistItem(models.Model):
    """One thing a phase must show. campaign NULL = the default set."""

    campaign = models.ForeignKey("campaigns.Campaign", verbose_name="清审批次", null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="checklist_items",
                                 help_text="为空表示默认清单")
    phase = models.CharField("阶段", max_length=30, choices=Phase.choices)
    code = models.SlugField("编号", max_length=40,
                            help_text="在清单内唯一；也是该项佐证材料的位置（slot），创建后不再改变")
    title = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=10, choices=ItemKind.choices)
    required = models.BooleanField("必填", default=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    guidance = models.TextField("填报说明", blank=True)
    table_code = models.CharField("数据表", max_length=40, blank=True, help_text="类型为数据表时必填")
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "痕迹清单项"
        verbose_name_plural = "痕迹清单项"
        ordering = ["campaign_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="checklist_item_code_unique"),
            models.UniqueConstraint(fields=["code"], condition=models.Q(campaign__isnull=True),
                                    name="checklist_default_item_code_unique"),
            models.CheckConstraint(
                condition=(models.Q(kind="table") & ~models.Q(table_code=""))
                | (~models.Q(kind="table") & models.Q(table_code="")),
                name="checklist_item_table_code_iff_table"),
        ]

    def __str__(self):
        return f"{self.get_phase_display()} · {self.title}"

    @property
    def phase_label(self) -> str:
        return Phase(self.phase).label


class PhaseFiling(ScopedModel):
    """One project's filing of one phase: its status, and once submitted, what was submitted."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "未开始"
        IN_PROGRESS = "in_progress", "填报中"
        SUBMITTED = "submitted", "已提交"

    project = models.ForeignKey("projects.AuditProject", verbose_name="清洁生产审核项目", on_delete=models.CASCADE,
                                related_name="phase_filings")
    phase = models.CharField("阶段", max_length=30, choices=Phase.choices)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    snapshot = models.JSONField("提交时的清单", default=dict, blank=True,
                                help_text="提交时核对的清单项及各项的佐证材料编号")
    version = models.PositiveIntegerField("版本", default=1, editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    jurisdiction_enterprise_lookup = "project__enterprise"

    class Meta:
        verbose_name = "阶段痕迹"
        verbose_name_plural = "阶段痕迹"
        ordering = ["project_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["project", "phase"], name="phase_filing_unique")]
        permissions = [
            ("submit_phasefiling", "提交阶段痕迹"),
            ("change_checklist", "维护痕迹清单"),
        ]

    def __str__(self):
        return f"{self.project.number} {self.get_phase_display()}"

    def get_absolute_url(self):
        return reverse("filings:phase", args=[self.pk])

    def save(self, *args, **kwargs):
        self.set_scope_from_region(self.project.enterprise.region)
        super().save(*args, **kwargs)

    @property
    def stage(self) -> str:
        return PHASE_STAGE[self.phase]

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    # --- the evidence app's owner protocol ------------------------------------------------------

    @property
    def evidence_slots(self) -> dict[str, str]:
        """{item code: item title} for the photo and document items of this phase (as submitted,
        once submitted)."""
        from qingshen.filings import checklist

        return {item.code: item.title for item in checklist.items_of_filing(self) if item.kind in EVIDENCE_KINDS}

    def evidence_editable(self, user) -> bool:
        """Files may be added or replaced while the phase is not submitted, by a filler."""
        return not self.is_submitted and user.has_perm("filings.change_phasefiling")
