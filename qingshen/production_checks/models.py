"""投产/复产核查: checking a new, rebuilt or expanded project, or an enterprise resuming
production, against the cleaner production target before it may start (again).

The seed (白洋淀流域涉水企业, 〔2021〕—392) makes "企业达到清洁生产目标水平" a precondition
(前置条件) of 投产 for new, rebuilt and expanded water-related projects, and of 复产 for suspended
enterprises. An official of the enterprise's county, city or the province records a
ProductionCheck: the enterprise's values for an indicator system (ProductionCheckValue rows),
scored by `qingshen.benchmarking.scoring` exactly like a project's 对标 and checked against the
campaign's targets (CampaignTarget, or its seed defaults), then concludes 达到 / 未达到.

Why a row of its own and not a Benchmark: a check may concern a project that has no audit
project at all (a new plant), and it is a decision taken once, on the record. So a check keeps a
frozen copy of what it was decided on (`result`, `target`, the target levels, the enterprise's
status at the time); once concluded it never changes — a later check after improvements is a new
row, and an enterprise's checks are read together, newest first.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from qingshen.benchmarking.models import Benchmark
from qingshen.core.scoping import ScopedModel
from qingshen.enterprises.choices import Status as EnterpriseStatus


class ProductionCheck(ScopedModel):
    class Kind(models.TextChoices):
        NEW = "new", "新建项目"
        REBUILD = "rebuild", "改建项目"
        EXPANSION = "expansion", "扩建项目"
        RESUMPTION = "resumption", "停产企业复产"

    #: The kinds that concern a project, which must be named.
    PROJECT_KINDS = (Kind.NEW, Kind.REBUILD, Kind.EXPANSION)

    class Conclusion(models.TextChoices):
        MET = "met", "达到清洁生产目标水平，满足前置条件"
        NOT_MET = "not_met", "未达到清洁生产目标水平，不满足前置条件"

    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="企业", on_delete=models.PROTECT,
                                   related_name="production_checks")
    kind = models.CharField("核查类型", max_length=12, choices=Kind.choices)
    project_name = models.CharField("项目名称", max_length=200, blank=True,
                                    help_text="新建、改建、扩建项目必填，如“年产 5 万吨……项目”")
    campaign = models.ForeignKey("campaigns.Campaign", verbose_name="清审批次", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="production_checks",
                                 help_text="适用其对标目标；为空时按默认目标（整体 II 级，涉水指标园区内 II 级、园区外 I 级）")
    system = models.ForeignKey("benchmarking.IndicatorSystem", verbose_name="指标体系", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="production_checks",
                               help_text="为空表示本行业无清洁生产评价指标体系，与同行业对比")
    in_approved_park = models.BooleanField("位于规划环评通过审查的工业园区", default=False)
    centralized_treatment = models.BooleanField("废水进入污水集中治理设施", default=False)
    peer_comparison = models.TextField("与同行业对比说明", blank=True)
    enterprise_status = models.CharField("核查时企业状态", max_length=12, choices=EnterpriseStatus.choices, blank=True)
    # the computation, frozen as computed
    result = models.JSONField("对标结果", null=True, blank=True)
    level = models.CharField("对标等级", max_length=20, choices=Benchmark.Level.choices, blank=True)
    trial = models.BooleanField("试算", default=False, help_text="指标体系不完整或未核对：只能试算，不能作出结论")
    target_levels = models.JSONField("适用的对标目标", null=True, blank=True)
    target = models.JSONField("目标核查", null=True, blank=True)
    target_met = models.BooleanField("达到目标", null=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="核查人", null=True,
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("核查时间", null=True)
    # the official's conclusion
    conclusion = models.CharField("核查结论", max_length=10, choices=Conclusion.choices, blank=True)
    opinion = models.TextField("核查意见", blank=True, help_text="无指标体系时为判断理由")
    concluded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="结论人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    concluded_at = models.DateTimeField("结论时间", null=True, blank=True)
    token = models.UUIDField("提交标识", null=True, blank=True, unique=True, editable=False,
                             help_text="新建页面的一次性标识：重复提交同一页面不会产生两条核查")
    version = models.PositiveIntegerField("版本", default=1)

    jurisdiction_enterprise_lookup = "enterprise"

    class Meta:
        verbose_name = "投产复产核查"
        verbose_name_plural = "投产复产核查"
        ordering = ["-recorded_at", "-pk"]

    def __str__(self):
        subject = self.project_name or self.get_kind_display()
        return f"{self.enterprise.name} · {subject}（{self.get_kind_display()}核查）"

    def get_absolute_url(self):
        return reverse("production_checks:detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.set_scope_from_region(self.enterprise.region)
        super().save(*args, **kwargs)

    @property
    def is_concluded(self) -> bool:
        return self.concluded_at is not None

    @property
    def is_resumption(self) -> bool:
        return self.kind == self.Kind.RESUMPTION

    @property
    def precondition(self) -> str:
        """投产 for a project, 复产 for a suspended enterprise: the word the conclusion uses."""
        return "复产" if self.is_resumption else "投产"

    @property
    def conclusion_text(self) -> str:
        return conclusion_text(self.conclusion, self.kind)


def conclusion_text(conclusion: str, kind: str) -> str:
    """The conclusion as the seed words it, with 投产 or 复产 as the kind requires."""
    word = "复产" if kind == ProductionCheck.Kind.RESUMPTION else "投产"
    if conclusion == ProductionCheck.Conclusion.MET:
        return f"达到清洁生产目标水平，满足{word}前置条件"
    if conclusion == ProductionCheck.Conclusion.NOT_MET:
        return f"未达到清洁生产目标水平，不满足{word}前置条件"
    return ""


class ProductionCheckValue(models.Model):
    """The enterprise's value for one indicator of the check's system (keyed by its seq)."""

    production_check = models.ForeignKey(ProductionCheck, verbose_name="核查", on_delete=models.CASCADE,
                                         related_name="values")
    seq = models.PositiveSmallIntegerField("指标序号")
    applicable = models.BooleanField("适用", default=True)
    value = models.DecimalField("现状值", max_digits=16, decimal_places=4, null=True, blank=True)
    met = models.JSONField("满足的要求", default=list, blank=True)

    class Meta:
        verbose_name = "核查指标值"
        verbose_name_plural = "核查指标值"
        ordering = ["production_check", "seq"]
        constraints = [models.UniqueConstraint(fields=["production_check", "seq"], name="production_checks_one_value")]

    def answer(self) -> dict:
        """As scoring reads an answer."""
        return {"applicable": self.applicable, "value": self.value, "met": list(self.met)}
