"""The option ledger (方案台账) of an audit project, and the feasibility analysis (可行性分析)
of its 中高费 options.

An option is a cleaner production measure the audit proposes. Its status (提出 → 筛选通过 →
实施中 → 已实施, or 放弃) is a plain field edited through the service, not a declared
workflow: the audit team moves options back and forth as screening and implementation go
(an option put aside may be taken up again), nobody but the enterprise side acts on it, and
every change is in the audit trail with its before and after.

Money is in 万元 and benefits per year, as the guidance's tables have them. Environmental
benefits are amounts saved or reduced, so they are not negative (an increase is described in
其他效益); the economic benefit may be negative — an end-of-pipe option can raise running costs.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from qingshen.core.scoping import ScopedModel



def not_negative(label):
    return [MinValueValidator(Decimal("0"), f"{label}不能为负数。")]


class Phase(models.TextChoices):
    """The audit's seven phases (glossary), for 提出阶段."""

    PREPARATION = "preparation", "审核准备"
    PRE_ASSESSMENT = "pre_assessment", "预审核"
    ASSESSMENT = "assessment", "审核"
    OPTION_GENERATION = "option_generation", "方案产生和筛选"
    FEASIBILITY = "feasibility", "方案的确定"
    IMPLEMENTATION = "implementation", "方案的实施"
    CONTINUOUS_IMPROVEMENT = "continuous_improvement", "持续清洁生产"


class Option(ScopedModel):
    class CostClass(models.TextChoices):
        LOW = "low", "无低费"
        HIGH = "high", "中高费"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "提出"
        SCREENED = "screened", "筛选通过"
        IMPLEMENTING = "implementing", "实施中"
        IMPLEMENTED = "implemented", "已实施"
        ABANDONED = "abandoned", "放弃"

    project = models.ForeignKey("projects.AuditProject", verbose_name="清洁生产审核项目", on_delete=models.PROTECT,
                                related_name="options")
    code = models.CharField("方案编号", max_length=20, help_text="如 F1、F2，本项目内不重复")
    name = models.CharField("方案名称", max_length=200)
    phase = models.CharField("提出阶段", max_length=30, choices=Phase.choices, default=Phase.OPTION_GENERATION)
    cost_class = models.CharField("方案类别", max_length=10, choices=CostClass.choices, default=CostClass.LOW)
    description = models.TextField("方案简介", blank=True)
    investment = models.DecimalField("投资（万元）", max_digits=12, decimal_places=2, default=Decimal("0"),
                                     validators=not_negative("投资"))
    status = models.CharField("实施状态", max_length=20, choices=Status.choices, default=Status.PROPOSED)
    economic_benefit = models.DecimalField("经济效益（万元/年）", max_digits=12, decimal_places=2, null=True,
                                           blank=True, help_text="年增加收入或减少费用；增加费用填负数")
    water_saved = models.DecimalField("节水（吨/年）", max_digits=14, decimal_places=2, null=True, blank=True,
                                      validators=not_negative("节水量"))
    cod_reduced = models.DecimalField("COD 削减（吨/年）", max_digits=12, decimal_places=3, null=True, blank=True,
                                      validators=not_negative("COD 削减量"))
    nh3n_reduced = models.DecimalField("氨氮削减（吨/年）", max_digits=12, decimal_places=3, null=True, blank=True,
                                       validators=not_negative("氨氮削减量"))
    energy_saved = models.DecimalField("节能（吨标煤/年）", max_digits=12, decimal_places=2, null=True, blank=True,
                                       validators=not_negative("节能量"))
    other_benefits = models.TextField("其他效益", blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    jurisdiction_enterprise_lookup = "project__enterprise"
    #: The evidence contract: the items of this row that files may back.
    evidence_slots = {"implementation": "实施佐证"}

    class Meta:
        verbose_name = "清洁生产方案"
        verbose_name_plural = "清洁生产方案"
        ordering = ["project", "-cost_class", "pk"]  # 无低费 (low) before 中高费 (high)
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="options_option_unique_code")]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("options:detail", args=[self.pk])

    @property
    def is_high_cost(self) -> bool:
        return self.cost_class == self.CostClass.HIGH

    def save(self, *args, **kwargs):
        self.set_scope_from_region(self.project.enterprise.region)
        super().save(*args, **kwargs)


class Feasibility(ScopedModel):
    """方案的确定: the technical, environmental and economic assessment of one 中高费 option.

    The inputs are the user's; the results are computed by `qingshen.options.feasibility` on
    every save (`services.save_feasibility`) and stored, so lists and reports read them
    without recomputing. Rates are stored in percent, as typed (25 = 25 %).
    """

    option = models.OneToOneField(Option, verbose_name="方案", on_delete=models.CASCADE, related_name="feasibility")
    technical_assessment = models.TextField("技术可行性分析", blank=True)
    environmental_assessment = models.TextField("环境可行性分析", blank=True)
    # inputs
    investment = models.DecimalField("总投资 I（万元）", max_digits=12, decimal_places=2,
                                     validators=not_negative("总投资"))
    annual_savings = models.DecimalField("年净节省金额 P（万元/年）", max_digits=12, decimal_places=2,
                                         help_text="年增加的收入或减少的费用（扣除新增运行费用后）")
    depreciation_years = models.PositiveSmallIntegerField(
        "折旧年限 Y（年）", validators=[MinValueValidator(1, "折旧年限至少 1 年。"), MaxValueValidator(100, "折旧年限不超过 100 年。")])
    tax_rate = models.DecimalField(
        "所得税税率 t（%）", max_digits=5, decimal_places=2, default=Decimal("25"),
        validators=[MinValueValidator(Decimal("0"), "税率不能为负数。"), MaxValueValidator(Decimal("99.99"), "税率应小于 100%%。")])
    discount_rate = models.DecimalField(
        "贴现率 i（%）", max_digits=5, decimal_places=2,
        validators=[MinValueValidator(Decimal("0"), "贴现率不能为负数。"), MaxValueValidator(Decimal("100"), "贴现率不超过 100%%。")])
    economic_life = models.PositiveSmallIntegerField(
        "项目寿命 n（年）", validators=[MinValueValidator(1, "项目寿命至少 1 年。"), MaxValueValidator(100, "项目寿命不超过 100 年。")])
    benchmark_irr = models.DecimalField(
        "基准内部收益率（%）", max_digits=6, decimal_places=2, null=True, blank=True, help_text="不填则取贴现率",
        validators=[MinValueValidator(Decimal("-99"), "基准收益率不低于 −99%%。"), MaxValueValidator(Decimal("1000"), "基准收益率不超过 1000%%。")])
    # results (computed on save)
    depreciation = models.DecimalField("年折旧费 D（万元）", max_digits=14, decimal_places=4, null=True, editable=False)
    annual_cash_flow = models.DecimalField("年净现金流量 F（万元）", max_digits=14, decimal_places=4, null=True,
                                           editable=False)
    payback_years = models.DecimalField("投资偿还期 N（年）", max_digits=20, decimal_places=2, null=True, editable=False)
    npv = models.DecimalField("净现值 NPV（万元）", max_digits=20, decimal_places=4, null=True, editable=False)
    npvr = models.DecimalField("净现值率 NPVR", max_digits=20, decimal_places=4, null=True, editable=False)
    irr = models.DecimalField("内部收益率 IRR（%）", max_digits=10, decimal_places=2, null=True, editable=False)
    irr_note = models.CharField("内部收益率说明", max_length=200, blank=True, editable=False)
    economically_feasible = models.BooleanField("经济可行", null=True, editable=False)
    conclusion = models.TextField("结论", blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    jurisdiction_enterprise_lookup = "option__project__enterprise"

    INPUTS = ("investment", "annual_savings", "depreciation_years", "tax_rate", "discount_rate", "economic_life",
              "benchmark_irr")
    RESULTS = ("depreciation", "annual_cash_flow", "payback_years", "npv", "npvr", "irr", "irr_note",
               "economically_feasible")

    # (validator messages are %-formatted: a percent sign is written %%)

    class Meta:
        verbose_name = "方案可行性分析"
        verbose_name_plural = "方案可行性分析"

    def __str__(self):
        return f"{self.option} 可行性分析"

    def get_absolute_url(self):
        return reverse("options:feasibility", args=[self.option_id])

    @property
    def project(self):
        return self.option.project

    def calculator_inputs(self):
        from qingshen.options.feasibility import Inputs

        hundred = Decimal("100")
        return Inputs(
            investment=self.investment, annual_savings=self.annual_savings,
            depreciation_years=self.depreciation_years, tax_rate=self.tax_rate / hundred,
            discount_rate=self.discount_rate / hundred, economic_life=self.economic_life,
            benchmark_irr=None if self.benchmark_irr is None else self.benchmark_irr / hundred,
        )

    def compute(self):
        """Run the calculator and store its results on this row (not saved); returns the Result."""
        from qingshen.options.feasibility import calculate

        result = calculate(self.calculator_inputs())
        self.depreciation = _money(result.depreciation)
        self.annual_cash_flow = _money(result.annual_cash_flow)
        self.payback_years = None if result.payback_years is None else _round(result.payback_years, "0.01")
        self.npv = _money(result.npv)
        self.npvr = None if result.npvr is None else _money(result.npvr)
        self.irr = None if result.irr is None else _round(result.irr * 100, "0.01")
        self.irr_note = result.irr_note[:200]
        self.economically_feasible = result.feasible
        return result

    def save(self, *args, **kwargs):
        self.set_scope_from_region(self.option.project.enterprise.region)
        self.compute()
        super().save(*args, **kwargs)


def _round(value: float, places: str) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal(places))


def _money(value: float) -> Decimal:
    return _round(value, "0.0001")
