"""The data an audit produces, entered as tables (审核数据): raw materials and energy, water
intake/reuse/discharge, wastewater pollutants, the audit focus, the targets, and the material
and water balances with their lines.

Every row belongs to an audit project and is scoped by its enterprise's place (an enterprise sees
its own rows, a consultancy those of enterprises that delegated to it, officials those in their
region). Quantities are Decimals with their unit stated, never floats; yearly data carries its
year. `version` counts edits, so an edit made from a stale page is refused. What is computed
(reuse rate, per-product intake, a target's change, a balance's deviation) is not stored: it is
derived from the stored figures by `qingshen.audit_data.calculations`, so it cannot drift.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from qingshen.audit_data import calculations
from qingshen.core.scoping import ScopedModel

MIN_YEAR, MAX_YEAR = 1980, 2100


def quantity(label, *, null=False, help_text=""):
    """A non-negative quantity (checked in clean(), with the field's name in the message)."""
    return models.DecimalField(label, max_digits=18, decimal_places=4, null=null, blank=null,
                               help_text=help_text)


class ProjectData(ScopedModel):
    """What every table's rows share: the edit counter and the times. Each table declares its own
    `project` foreign key (a reverse name of its own on AuditProject)."""

    version = models.PositiveIntegerField("版本", default=1, editable=False)
    created_at = models.DateTimeField("填写时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    jurisdiction_enterprise_lookup = "project__enterprise"
    #: Fields that must not be negative (a consumption, a volume, a concentration, a load).
    non_negative: tuple[str, ...] = ()
    #: The filings table code this model belongs to (for its page's URL).
    table_code = ""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.set_scope_from_region(self.project.enterprise.region)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        for name in self.non_negative:
            value = getattr(self, name)
            if value is not None and value < 0:
                errors[name] = [f"{self._meta.get_field(name).verbose_name}不能为负数。"]
        year = getattr(self, "year", None)
        if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
            errors["year"] = [f"年份应在 {MIN_YEAR} 至 {MAX_YEAR} 之间。"]
        for name, message in self.row_errors().items():
            errors.setdefault(name, []).append(message)
        if errors:
            raise ValidationError(errors)

    def row_errors(self) -> dict[str, str]:
        """A table's own checks between its fields (field → message); none by default."""
        return {}

    def get_absolute_url(self):
        return f"{reverse(f'audit_data:{self.table_code}', args=[self.project_id])}#row-{self.pk}"


class MaterialUse(ProjectData):
    """原辅材料和能源消耗: one material or energy carrier in one year."""

    class Kind(models.TextChoices):
        MATERIAL = "material", "原辅材料"
        ENERGY = "energy", "能源"

    project = models.ForeignKey("projects.AuditProject", verbose_name="清洁生产审核项目", on_delete=models.CASCADE,
                                related_name="material_uses")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices, default=Kind.MATERIAL)
    name = models.CharField("名称", max_length=100, help_text="如 活性染料、蒸汽、电")
    unit = models.CharField("计量单位", max_length=20, help_text="如 t、kWh、m³、GJ")
    year = models.PositiveSmallIntegerField("年份")
    amount = quantity("年消耗量", help_text="按上栏计量单位")
    amount_per_product = quantity("单位产品消耗量", null=True, help_text="选填")
    per_product_unit = models.CharField("单位产品消耗量的单位", max_length=30, blank=True,
                                        help_text="如 kg/t 产品、kWh/万米")
    note = models.TextField("备注", blank=True)

    non_negative = ("amount", "amount_per_product")
    table_code = "raw_materials"

    class Meta:
        verbose_name = "原辅材料和能源消耗"
        verbose_name_plural = "原辅材料和能源消耗"
        ordering = ["year", "kind", "pk"]

    def __str__(self):
        return f"{self.year}年 {self.name}"

    def row_errors(self):
        errors = {}
        if self.amount_per_product is not None and not self.per_product_unit.strip():
            errors["per_product_unit"] = "填写了单位产品消耗量时，请写明其单位。"
        return errors


class WaterUse(ProjectData):
    """取水、重复利用和排水: one year's water account of the enterprise (m³/a)."""

    project = models.ForeignKey("projects.AuditProject", verbose_name="清洁生产审核项目", on_delete=models.CASCADE,
                                related_name="water_uses")
    year = models.PositiveSmallIntegerField("年份")
    surface_water = quantity("地表水取水量（m³/a）")
    groundwater = quantity("地下水取水量（m³/a）")
    tap_water = quantity("自来水取水量（m³/a）")
    other_water = quantity("其他水源取水量（m³/a）", help_text="如 再生水、外购蒸汽冷凝水")
    reused_water = quantity("重复利用水量（m³/a）", help_text="循环水与串联回用水量之和")
    discharged_wastewater = quantity("废水排放量（m³/a）")
    product_output = quantity("产品产量", null=True, help_text="用于计算单位产品取水量")
    product_unit = models.CharField("产品产量单位", max_length=30, blank=True, help_text="如 t、万米")
    note = models.TextField("备注", blank=True)

    non_negative = ("surface_water", "groundwater", "tap_water", "other_water", "reused_water",
                    "discharged_wastewater", "product_output")
    table_code = "water"
    SOURCES = ("surface_water", "groundwater", "tap_water", "other_water")

    class Meta:
        verbose_name = "取水、重复利用和排水"
        verbose_name_plural = "取水、重复利用和排水"
        ordering = ["year", "pk"]
        constraints = [models.UniqueConstraint(
            fields=["project", "year"], name="audit_data_water_one_row_per_year",
            violation_error_message="该年度的取水数据已经填写，请修改已有的一行。")]

    def __str__(self):
        return f"{self.year}年取水"

    def row_errors(self):
        errors = {}
        if self.product_output is not None and not self.product_unit.strip():
            errors["product_unit"] = "填写了产品产量时，请写明其单位。"
        return errors

    @property
    def intake(self) -> Decimal:
        """新鲜水取水量合计 (m³/a)."""
        return sum((getattr(self, name) or Decimal(0) for name in self.SOURCES), Decimal(0))

    @property
    def reuse_rate(self):
        return calculations.reuse_rate(self.reused_water, self.intake)

    @property
    def intake_per_product(self):
        return calculations.intake_per_product(self.intake, self.product_output)


class PollutantRecord(ProjectData):
    """废水污染物: one pollutant's concentration and annual load in one year (and outlet)."""

    class Pollutant(models.TextChoices):
        COD = "cod", "化学需氧量（COD）"
        NH3N = "nh3n", "氨氮（NH3-N）"
        TN = "tn", "总氮（TN）"
        TP = "tp", "总磷（TP）"
        OTHER = "other", "其他"

    project = models.ForeignKey("projects.AuditProject", verbose_name="清洁生产审核项目", on_delete=models.CASCADE,
                                related_name="pollutant_records")
    year = models.PositiveSmallIntegerField("年份")
    pollutant = models.CharField("污染物", max_length=10, choices=Pollutant.choices)
    other_name = models.CharField("其他污染物名称", max_length=50, blank=True, help_text="污染物选“其他”时填写，如 色度、悬浮物")
    outlet = models.CharField("排放口/监测点位", max_length=50, blank=True, help_text="选填，如 DW001 总排口")
    concentration = quantity("排放浓度（mg/L）")
    annual_load = quantity("年排放量（t/a）")
    limit_value = quantity("排放限值（mg/L）", null=True, help_text="选填；填写后标出超标")
    standard = models.CharField("执行标准", max_length=200, blank=True, help_text="选填，如 DB13/2795-2018 表 1")
    monitoring_basis = models.CharField("监测依据", max_length=200, help_text="如 在线监测年均值、2021 年委托监测报告编号")
    note = models.TextField("备注", blank=True)

    non_negative = ("concentration", "annual_load", "limit_value")
    table_code = "pollutants"

    class Meta:
        verbose_name = "废水污染物"
        verbose_name_plural = "废水污染物"
        ordering = ["year", "pollutant", "pk"]

    def __str__(self):
        return f"{self.year}年 {self.pollutant_name}"

    def row_errors(self):
        errors = {}
        if self.pollutant == self.Pollutant.OTHER and not self.other_name.strip():
            errors["other_name"] = "污染物选“其他”时，请填写污染物名称。"
        return errors

    @property
    def pollutant_name(self) -> str:
        if self.pollutant == self.Pollutant.OTHER:
            return self.other_name
        return self.get_pollutant_display()

    @property
    def exceeds_limit(self) -> bool | None:
        """True when the concentration is above the limit entered; None without a limit."""
        if self.limit_value is None or self.concentration is None:
            return None
        return self.concentration > self.limit_value


class AuditFocus(ProjectData):
    """审核重点: usually one per project, sometimes several."""

    project = models.ForeignKey("projects.AuditProject", verbose_name="清洁生产审核项目", on_delete=models.CASCADE,
                                related_name="audit_focuses")
    name = models.CharField("审核重点", max_length=100, help_text="如 印染车间")
    reason = models.TextField("确定理由", help_text="如 取水量和废水排放量占全厂的 70% 以上")
    description = models.TextField("概况", blank=True, help_text="审核重点的工艺、设备和物耗能耗概况")

    table_code = "audit_focus"

    class Meta:
        verbose_name = "审核重点"
        verbose_name_plural = "审核重点"
        ordering = ["pk"]

    def __str__(self):
        return self.name


class Target(ProjectData):
    """清洁生产目标: an indicator's baseline and its near-term (and mid/long-term) target."""

    project = models.ForeignKey("projects.AuditProject", verbose_name="清洁生产审核项目", on_delete=models.CASCADE,
                                related_name="audit_targets")
    indicator = models.CharField("指标", max_length=100, help_text="如 单位产品取水量")
    unit = models.CharField("单位", max_length=30, help_text="如 m³/t 产品")
    baseline_value = quantity("现状值")
    near_term_value = quantity("近期目标值")
    deadline = models.DateField("近期目标完成期限")
    long_term_value = quantity("中远期目标值", null=True, help_text="选填")
    long_term_deadline = models.DateField("中远期目标完成期限", null=True, blank=True)
    note = models.TextField("备注", blank=True)

    non_negative = ("baseline_value", "near_term_value", "long_term_value")
    table_code = "targets"

    class Meta:
        verbose_name = "清洁生产目标"
        verbose_name_plural = "清洁生产目标"
        ordering = ["pk"]

    def __str__(self):
        return self.indicator

    def row_errors(self):
        errors = {}
        if self.long_term_deadline and self.deadline and self.long_term_deadline < self.deadline:
            errors["long_term_deadline"] = "中远期目标期限不能早于近期目标期限。"
        if self.long_term_deadline and self.long_term_value is None:
            errors["long_term_value"] = "填写了中远期目标期限时，请填写中远期目标值。"
        return errors

    @property
    def near_term_change(self):
        return calculations.change(self.baseline_value, self.near_term_value)

    @property
    def long_term_change(self):
        return calculations.change(self.baseline_value, self.long_term_value)


class Balance(ProjectData):
    """物料平衡 or 水平衡 of a unit or process (印染车间水平衡), its lines in BalanceLine."""

    class Kind(models.TextChoices):
        MATERIAL = "material", "物料平衡"
        WATER = "water", "水平衡"

    project = models.ForeignKey("projects.AuditProject", verbose_name="清洁生产审核项目", on_delete=models.CASCADE,
                                related_name="balances")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    name = models.CharField("名称", max_length=100, help_text="如 印染车间水平衡、染色工序物料平衡")
    scope = models.CharField("平衡范围", max_length=200, blank=True, help_text="选填：车间、工序或装置")
    period = models.CharField("测定时段", max_length=100, blank=True, help_text="选填，如 2021年7月1日—3日实测")
    note = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = "物料平衡和水平衡"
        verbose_name_plural = "物料平衡和水平衡"
        ordering = ["kind", "pk"]

    def __str__(self):
        return self.name

    @property
    def table_code(self):
        return f"{self.kind}_balance"

    def get_absolute_url(self):
        return reverse("audit_data:balance", args=[self.pk])

    def result(self, lines=None) -> calculations.BalanceResult:
        """Totals and deviation; pass the lines when they are already loaded (prefetched)."""
        return calculations.balance(self.lines.all() if lines is None else lines)


class BalanceLine(ScopedModel):
    """One input (投入) or output (产出) of a balance, with its quantity and unit."""

    class Direction(models.TextChoices):
        IN = "in", "投入"
        OUT = "out", "产出"

    balance = models.ForeignKey(Balance, verbose_name="平衡", on_delete=models.CASCADE, related_name="lines")
    direction = models.CharField("方向", max_length=3, choices=Direction.choices)
    item = models.CharField("项目", max_length=100, help_text="如 新鲜水、产品带走水、蒸发损失")
    quantity = quantity("数量")
    unit = models.CharField("单位", max_length=20, help_text="同一平衡中请使用同一单位，如 m³/d、t/批")
    note = models.CharField("备注", max_length=200, blank=True)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    jurisdiction_enterprise_lookup = "balance__project__enterprise"

    class Meta:
        verbose_name = "平衡项目"
        verbose_name_plural = "平衡项目"
        ordering = ["direction", "pk"]

    def __str__(self):
        return f"{self.get_direction_display()} {self.item}"

    @property
    def project(self):
        return self.balance.project

    def save(self, *args, **kwargs):
        self.set_scope_from_region(self.balance.project.enterprise.region)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.quantity is not None and self.quantity < 0:
            raise ValidationError({"quantity": "数量不能为负数。"})

    def get_absolute_url(self):
        return f"{reverse('audit_data:balance', args=[self.balance_id])}#line-{self.pk}"
