"""Indicator systems (清洁生产评价指标体系) as data, and an audit project's benchmarking (对标).

An IndicatorSystem row is one *version* of a system: versions share a `code`. Its indicators,
weights, benchmark values and level rules are one JSON document (`definition`, the shape in
definition.py, the same the YAML format and the scoring read): a system is reference content
that is imported, viewed, exported and computed with as a whole, never edited cell by cell. A version that
any benchmark has been computed against is frozen — a correction is imported as a new version
— so a result once recorded always refers to the values it was computed with (it also keeps
its own copy of the computed result, `result`, so later code changes cannot alter it).

A Benchmark is a project's 对标 at one stage: before the audit (预审核) or after
implementation (方案的实施). The enterprise enters its values (BenchmarkValue rows); the result
is computed by `qingshen.benchmarking.scoring` on every save and stored. A reviewer then
confirms or corrects the qualitative answers and confirms the level; the confirmed result is
what the acceptance opinion carries. Where the industry has no indicator system, the
enterprise describes how it compares with its peers and the reviewer records the experts'
judgement (同行业国内先进水平) with their reasons.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from qingshen.benchmarking import definition as spec
from qingshen.core.scoping import ScopedModel

LEVEL_CHOICES = [(level, spec.LEVEL_LABELS[level]) for level in spec.LEVELS]


class IndicatorSystem(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        INCOMPLETE = "incomplete", "不完整"
        VERIFIED = "verified", "已核对"

    code = models.SlugField("代码", max_length=60, help_text="同一指标体系的各版本代码相同")
    version = models.PositiveIntegerField("版本", default=1)
    name = models.CharField("指标体系名称", max_length=200)
    issuers = models.CharField("发布部门", max_length=200, blank=True)
    document_number = models.CharField("文号", max_length=100, blank=True)
    year = models.PositiveSmallIntegerField("发布年份", null=True, blank=True)
    industries = models.ManyToManyField("industries.Industry", verbose_name="适用行业", blank=True,
                                        related_name="indicator_systems")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT)
    source_file = models.CharField("来源文件", max_length=500, blank=True)
    source_page = models.CharField("页码（表号）", max_length=200, blank=True)
    source_note = models.TextField("来源说明", blank=True)
    definition = models.JSONField("指标体系内容", help_text="一级、二级指标、权重、基准值和评价规则（格式见 "
                                  "definition.py）；名称、状态等字段与之一致，供查询")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="导入人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        verbose_name = "清洁生产评价指标体系"
        verbose_name_plural = "清洁生产评价指标体系"
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="benchmarking_system_version")]

    def __str__(self):
        return f"{self.name}（第 {self.version} 版）"

    def get_absolute_url(self):
        return reverse("benchmarking:system", args=[self.pk])

    @property
    def is_official(self) -> bool:
        """Only a verified system yields an official level; the others can be viewed and tried."""
        return self.status == self.Status.VERIFIED


class CampaignTarget(models.Model):
    """A campaign's benchmarking targets (审核目标); without a row the seed's rules apply
    (`DEFAULTS`)."""

    DEFAULTS = {"overall_level": "II", "water_level_in_park": "II", "water_level_outside": "I"}

    campaign = models.OneToOneField("campaigns.Campaign", verbose_name="清审批次", on_delete=models.CASCADE,
                                    related_name="benchmark_target")
    overall_level = models.CharField("整体对标目标", max_length=4, choices=LEVEL_CHOICES, default="II",
                                     help_text="有指标体系的行业须整体达到的等级（“二级及以上”即 II 级）")
    water_level_in_park = models.CharField("涉水指标目标（园区内）", max_length=4, choices=LEVEL_CHOICES,
                                           default="II", help_text="位于规划环评通过审查的工业园区内的企业")
    water_level_outside = models.CharField("涉水指标目标（园区外或废水未进入集中治理设施）", max_length=4,
                                           choices=LEVEL_CHOICES, default="I")
    note = models.TextField("说明", blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="修改人", null=True,
                                   on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "对标目标"
        verbose_name_plural = "对标目标"

    def __str__(self):
        return f"{self.campaign} 对标目标"


class Benchmark(ScopedModel):
    class Stage(models.TextChoices):
        BEFORE = "before", "审核前（预审核）"
        AFTER = "after", "实施后（方案的实施）"

    class Level(models.TextChoices):
        I = "I", "I级"
        II = "II", "II级"
        III = "III", "III级"
        BELOW = spec.BELOW, "III级以下"
        PEER_ADVANCED = "peer_advanced", "达到同行业国内先进水平"
        PEER_NOT_REACHED = "peer_not_reached", "未达到同行业国内先进水平"

    project = models.ForeignKey("projects.AuditProject", verbose_name="清洁生产审核项目", on_delete=models.PROTECT,
                                related_name="benchmarks")
    stage = models.CharField("对标阶段", max_length=10, choices=Stage.choices)
    system = models.ForeignKey(IndicatorSystem, verbose_name="指标体系", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="benchmarks",
                               help_text="为空表示本行业无清洁生产评价指标体系，与同行业对比")
    in_approved_park = models.BooleanField("位于规划环评通过审查的工业园区", default=False)
    centralized_treatment = models.BooleanField("废水进入污水集中治理设施", default=False)
    peer_comparison = models.TextField("与同行业对比说明", blank=True,
                                       help_text="无指标体系时填写：对比的同行业企业、指标和结论")
    result = models.JSONField("对标结果", null=True, blank=True)
    level = models.CharField("对标等级", max_length=20, choices=Level.choices, blank=True)
    trial = models.BooleanField("试算", default=False, help_text="指标体系不完整或未核对，不产生正式等级")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填报人", null=True,
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("填报时间", null=True)
    # the reviewer's confirmation
    confirmed_result = models.JSONField("确认结果", null=True, blank=True)
    confirmed_level = models.CharField("确认等级", max_length=20, choices=Level.choices, blank=True)
    review_opinion = models.TextField("审核意见", blank=True,
                                      help_text="更正定性指标的理由；无指标体系时为专家判断及理由")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    jurisdiction_enterprise_lookup = "project__enterprise"

    class Meta:
        verbose_name = "对标"
        verbose_name_plural = "对标"
        ordering = ["project", "stage"]
        permissions = [("review_benchmark", "确认对标结果")]
        constraints = [models.UniqueConstraint(fields=["project", "stage"], name="benchmarking_one_per_stage")]

    def __str__(self):
        return f"{self.project.number} 对标（{self.get_stage_display()}）"

    def get_absolute_url(self):
        return reverse("benchmarking:project", args=[self.project_id])

    def save(self, *args, **kwargs):
        self.set_scope_from_region(self.project.enterprise.region)
        super().save(*args, **kwargs)

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class BenchmarkValue(models.Model):
    """The enterprise's answer to one indicator, and the reviewer's confirmation of it."""

    benchmark = models.ForeignKey(Benchmark, verbose_name="对标", on_delete=models.CASCADE, related_name="values")
    seq = models.PositiveSmallIntegerField("指标序号", help_text="指标体系中二级指标的序号")
    applicable = models.BooleanField("适用", default=True)
    value = models.DecimalField("现状值", max_digits=16, decimal_places=4, null=True, blank=True)
    met = models.JSONField("满足的要求", default=list, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    confirmed_met = models.JSONField("审核确认满足的要求", null=True, blank=True,
                                     help_text="定性指标：审核人确认或更正后的要求；为空表示尚未确认")

    class Meta:
        verbose_name = "对标指标值"
        verbose_name_plural = "对标指标值"
        ordering = ["benchmark", "seq"]
        constraints = [models.UniqueConstraint(fields=["benchmark", "seq"], name="benchmarking_one_value")]
