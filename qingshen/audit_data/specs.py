"""The audit data tables as data: each one's code (shared with the filings checklist), label,
model, form, address and what its page sums up. The views, the index page and the filings
registration all read this list, so adding a table is one entry here."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.urls import reverse

from qingshen.audit_data import forms
from qingshen.audit_data.models import AuditFocus, Balance, BalanceLine, MaterialUse, PollutantRecord, Target, WaterUse


@dataclass(frozen=True)
class TableSpec:
    code: str  # the filings table code, and the URL name of the table's page
    label: str
    model: type
    form_class: type
    slug: str  # the address segment
    help: str = ""
    kind: str = ""  # for the balance tables: which Balance.Kind
    columns: tuple = field(default=())  # the header cells (the rows' template fills them)
    numeric: tuple = field(default=())  # indexes of the right-aligned (number) columns

    @property
    def header(self):
        """[(label, css class)] of the header cells."""
        return [(label, "text-end" if index in self.numeric else "") for index, label in enumerate(self.columns)]

    @property
    def row_template(self) -> str:
        return f"audit_data/rows/{'balance' if self.kind else self.code}.html"

    @property
    def edit_url_name(self) -> str:
        return "audit_data:balance_edit" if self.kind else f"audit_data:{self.code}_edit"

    @property
    def delete_url_name(self) -> str:
        return "audit_data:balance_delete" if self.kind else f"audit_data:{self.code}_delete"

    @property
    def colspan(self) -> int:
        return len(self.columns) + 1  # + the actions column

    def queryset(self, project):
        rows = self.model.objects.filter(project=project)
        if self.kind:
            lines = BalanceLine.objects.order_by("direction", "pk")
            rows = rows.filter(kind=self.kind).prefetch_related(Prefetch("lines", queryset=lines))
        return rows.order_by(*self.model._meta.ordering)

    def count(self, project) -> int:
        """Rows that count as filled: for a balance, only one with at least one line."""
        rows = self.model.objects.filter(project=project)
        if self.kind:
            rows = rows.filter(kind=self.kind, lines__isnull=False).distinct()
        return rows.count()

    def url(self, project) -> str:
        return reverse(f"audit_data:{self.code}", args=[project.pk if hasattr(project, "pk") else project])

    def form(self, *args, **kwargs):
        """The table's form; a balance added on a kind's page is of that kind (editing may correct it)."""
        if self.kind and kwargs.get("instance") is None:
            kwargs.setdefault("fixed_kind", self.kind)
        return self.form_class(*args, **kwargs)


TABLES = [
    TableSpec("raw_materials", "原辅材料和能源消耗", MaterialUse, forms.MaterialUseForm, "raw-materials",
              help="逐年填写主要原辅材料和能源的消耗量，计量单位请写明（t、kWh、m³、GJ 等）。",
              columns=("年份", "类别", "名称", "年消耗量", "单位产品消耗量", "备注")),
    TableSpec("water", "取水、重复利用和排水", WaterUse, forms.WaterUseForm, "water",
              help="每年一行，水量单位均为 m³/a。重复利用率 = 重复利用水量 ÷（重复利用水量 + 取水量）；"
                   "单位产品取水量 = 取水量 ÷ 产品产量。",
              columns=("年份", "地表水", "地下水", "自来水", "其他", "取水量合计", "重复利用水量", "重复利用率",
                       "废水排放量", "产品产量", "单位产品取水量"), numeric=(1, 2, 3, 4, 5, 6, 7, 8)),
    TableSpec("pollutants", "废水污染物", PollutantRecord, forms.PollutantRecordForm, "pollutants",
              help="填写 COD、氨氮、总氮、总磷及其他特征污染物的排放浓度（mg/L）和年排放量（t/a）；填写排放限值后标出超标。",
              columns=("年份", "污染物", "排放口", "排放浓度（mg/L）", "排放限值（mg/L）", "年排放量（t/a）",
                       "执行标准", "监测依据"), numeric=(3, 4, 5)),
    TableSpec("audit_focus", "审核重点", AuditFocus, forms.AuditFocusForm, "audit-focus",
              help="通常为一个车间、工序或装置，可填写多个。", columns=("审核重点", "确定理由", "概况")),
    TableSpec("targets", "清洁生产目标", Target, forms.TargetForm, "targets",
              help="变化量 = 目标值 − 现状值；变化率 = 变化量 ÷ 现状值（负数表示削减）。",
              columns=("指标", "单位", "现状值", "近期目标值", "期限", "变化量", "变化率", "中远期目标值", "期限",
                       "变化量", "变化率"), numeric=(2, 3, 5, 6, 7, 9, 10)),
    TableSpec("material_balance", "物料平衡", Balance, forms.BalanceForm, "material-balance",
              kind=Balance.Kind.MATERIAL,
              help="按车间或工序建立物料平衡，逐项填写投入和产出（同一平衡使用同一计量单位）；"
                   "偏差 =（投入 − 产出）÷ 投入。",
              columns=("名称", "平衡范围", "测定时段", "投入合计", "产出合计", "偏差", "判定"), numeric=(3, 4, 5)),
    TableSpec("water_balance", "水平衡", Balance, forms.BalanceForm, "water-balance", kind=Balance.Kind.WATER,
              help="按车间或工序建立水平衡，逐项填写进水和出水（含损失），同一平衡使用同一计量单位；"
                   "偏差 =（投入 − 产出）÷ 投入。",
              columns=("名称", "平衡范围", "测定时段", "投入合计", "产出合计", "偏差", "判定"), numeric=(3, 4, 5)),
]
BY_CODE = {spec.code: spec for spec in TABLES}
#: The balance pages of each kind.
BALANCE_SPECS = {spec.kind: spec for spec in TABLES if spec.kind}


def spec_of(row) -> TableSpec:
    """The table a row belongs to."""
    if isinstance(row, Balance):
        return BALANCE_SPECS[row.kind]
    return next(spec for spec in TABLES if spec.model is type(row))


# --- what each page sums up (from the rows already loaded: no further queries) -----------------


def material_totals(rows):
    """Subtotals per year, kind and unit (only like with like is added up)."""
    sums = defaultdict(lambda: [Decimal(0), 0])
    for row in rows:
        entry = sums[(row.year, row.get_kind_display(), row.unit)]
        entry[0] += row.amount
        entry[1] += 1
    return [{"year": y, "kind": k, "unit": u, "total": v[0], "count": v[1]}
            for (y, k, u), v in sorted(sums.items(), key=lambda item: (item[0][0], item[0][1], item[0][2]))]


def pollutant_totals(rows):
    """Annual load per year and pollutant, over all outlets."""
    sums = defaultdict(Decimal)
    for row in rows:
        sums[(row.year, row.pollutant_name)] += row.annual_load
    return [{"year": y, "pollutant": p, "total": t} for (y, p), t in sorted(sums.items())]


SUMMARIES = {"raw_materials": material_totals, "pollutants": pollutant_totals}


def register_with_filings():
    """Each table in the filings checklist's registry (called from AppConfig.ready)."""
    from qingshen.filings import tables

    for spec in TABLES:
        tables.register(spec.code, spec.label, rows=spec.count, url=spec.url)
