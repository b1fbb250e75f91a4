"""Totals of options: per project (the ledger's footer, the API) and rolled up per county for
officials (方案汇总), by class (无低费 / 中高费) and overall, for all options and for those
implemented.

Every figure is a conditional aggregate (`Count`/`Sum` with `filter=`) of one query over
`Option` rows, so the cost does not grow with the number of projects or options; the roll-up
starts from `Option.objects.restrict(user)`, so an official adds up exactly the options it may
see. Options given up (放弃) are not added into any figure (their investment will not be
spent); they are counted apart.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from qingshen.core.scoping import jurisdiction_of
from qingshen.options.models import Option
from qingshen.regions.models import Region

#: (field, label, unit): what is added up besides the number of options.
METRICS = (
    ("investment", "投资", "万元"),
    ("economic_benefit", "经济效益", "万元/年"),
    ("water_saved", "节水", "吨/年"),
    ("cod_reduced", "COD 削减", "吨/年"),
    ("nh3n_reduced", "氨氮削减", "吨/年"),
    ("energy_saved", "节能", "吨标煤/年"),
)
PLACES = {name: Decimal(1).scaleb(-Option._meta.get_field(name).decimal_places) for name, _, _ in METRICS}
CLASSES = (("low", Q(cost_class=Option.CostClass.LOW)), ("high", Q(cost_class=Option.CostClass.HIGH)), ("total", Q()))
COUNTED = ~Q(status=Option.Status.ABANDONED)
SUBSETS = (("all", COUNTED), ("implemented", Q(status=Option.Status.IMPLEMENTED)))
ZERO = Decimal("0")


@dataclass
class Figures:
    """The number of options and the sum of each metric."""

    count: int = 0
    investment: Decimal = ZERO
    economic_benefit: Decimal = ZERO
    water_saved: Decimal = ZERO
    cod_reduced: Decimal = ZERO
    nh3n_reduced: Decimal = ZERO
    energy_saved: Decimal = ZERO

    def add(self, other: "Figures") -> None:
        self.count += other.count
        for name, _, _ in METRICS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict:
        """For the API: amounts as strings with their field's decimal places (as the API shows an option's)."""
        return {"count": self.count, **{name: str(getattr(self, name).quantize(PLACES[name])) for name, _, _ in METRICS}}


@dataclass
class Totals:
    """figures[subset][class]: subset "all" (not given up) or "implemented"; class "low",
    "high" or "total"."""

    figures: dict = field(default_factory=lambda: {s: {c: Figures() for c, _ in CLASSES} for s, _ in SUBSETS})
    abandoned: int = 0
    projects: int = 0

    @property
    def all(self):
        return self.figures["all"]

    @property
    def implemented(self):
        return self.figures["implemented"]

    def rows(self):
        """[(label, all figures, implemented figures)] for the class rows and the total, for templates."""
        labels = {"low": "无低费", "high": "中高费", "total": "合计"}
        return [(labels[c], self.all[c], self.implemented[c]) for c, _ in CLASSES]

    def add(self, other: "Totals") -> None:
        for subset, _ in SUBSETS:
            for cls, _ in CLASSES:
                self.figures[subset][cls].add(other.figures[subset][cls])
        self.abandoned += other.abandoned
        self.projects += other.projects

    def as_dict(self) -> dict:
        return {
            "all": {c: self.all[c].as_dict() for c, _ in CLASSES},
            "implemented": {c: self.implemented[c].as_dict() for c, _ in CLASSES},
            "abandoned": self.abandoned,
            "projects": self.projects,
        }


def _aggregates() -> dict:
    """The aggregate expressions, named <subset>__<class>__<metric>."""
    expressions = {"abandoned": Count("pk", filter=Q(status=Option.Status.ABANDONED)),
                   "projects": Count("project", distinct=True)}
    for subset, subset_q in SUBSETS:
        for cls, class_q in CLASSES:
            condition = subset_q & class_q
            expressions[f"{subset}__{cls}__count"] = Count("pk", filter=condition)
            for name, _, _ in METRICS:
                expressions[f"{subset}__{cls}__{name}"] = Sum(name, filter=condition)
    return expressions


def _from_values(values: dict) -> Totals:
    totals = Totals(abandoned=values["abandoned"] or 0, projects=values["projects"] or 0)
    for subset, _ in SUBSETS:
        for cls, _ in CLASSES:
            figures = totals.figures[subset][cls]
            figures.count = values[f"{subset}__{cls}__count"] or 0
            for name, _, _ in METRICS:
                value = values[f"{subset}__{cls}__{name}"]
                setattr(figures, name, Decimal(value) if value is not None else ZERO)
    return totals


def totals(queryset) -> Totals:
    """The totals of a queryset of options (one query)."""
    return _from_values(queryset.order_by().aggregate(**_aggregates()))


def project_totals(project) -> Totals:
    return totals(Option.objects.filter(project=project))


@dataclass
class RegionRow:
    region_code: str  # "" for the total row
    region_name: str
    city_code: str
    totals: Totals


@dataclass
class Rollup:
    rows: list[RegionRow]
    total: RegionRow
    cities: list[RegionRow]  # a subtotal per city, when the rows span more than one city


def rollup(user, campaign=None) -> Rollup:
    """方案汇总: a row per county (a city-level unit without counties, such as 定州市, is its own
    row) of the options the user may see, optionally of one campaign: one grouped query, and
    one for the region names."""
    queryset = Option.objects.restrict(user)
    if campaign is not None:
        queryset = queryset.filter(project__campaign=campaign)
    grouped = queryset.order_by().values("city_code", "county_code").annotate(**_aggregates())
    per_region: dict[str, RegionRow] = {}
    for values in grouped:
        code = values["county_code"] or values["city_code"]
        row = per_region.get(code)
        if row is None:
            row = per_region[code] = RegionRow(code, code, values["city_code"], Totals())
        row.totals.add(_from_values(values))
    cities = {row.city_code for row in per_region.values()}
    names = dict(Region.objects.filter(code__in=set(per_region) | cities).values_list("code", "name")) \
        if per_region else {}
    rows = sorted(per_region.values(), key=lambda r: r.region_code)
    for row in rows:
        row.region_name = names.get(row.region_code, row.region_code)
    total = RegionRow("", "合计", "", Totals())
    subtotals: dict[str, RegionRow] = {}
    for row in rows:
        total.totals.add(row.totals)
        subtotal = subtotals.setdefault(
            row.city_code, RegionRow(row.city_code, f"{names.get(row.city_code, row.city_code)}小计", row.city_code, Totals()))
        subtotal.totals.add(row.totals)
    city_rows = sorted(subtotals.values(), key=lambda r: r.region_code) if len(subtotals) > 1 else []
    return Rollup(rows=rows, total=total, cities=city_rows)


def scope_label(user) -> str:
    """统计范围 as shown above the roll-up."""
    jurisdiction = jurisdiction_of(user)
    organization = getattr(user, "organization", None)
    if jurisdiction is None or jurisdiction.sees_everything or organization is None or organization.region is None:
        return "全省"
    return organization.region.name
