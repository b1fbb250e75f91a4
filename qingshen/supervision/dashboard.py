"""统计看板: for an official's jurisdiction and one campaign, the roster lines by stage, by
region, by industry division and by handling level; the overdue due items; the options by
class with their investment and benefits; the benchmark levels before and after.

Pure query functions returning plain data. Every figure is a conditional aggregate
(`Count(filter=…)`) of one grouped query that starts from `Model.objects.restrict(user)`, so
the cost does not grow with the number of enterprises; the list behind a figure (`members`)
filters with the very same condition, so the figure and its list cannot disagree. The overdue
figures come from `supervision.due` (the calendar resolved once per place, then one aggregate
query with the state of each step as an SQL condition).

The issue asks for a map of the counties coloured by progress if boundary data with a clear
licence can be had through the package registries; none is installed, so the regions are drawn
as a bar chart ranked by progress (`Row.progress`).
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q

from qingshen.applications.models import Application
from qingshen.benchmarking import statistics as benchmark_statistics
from qingshen.benchmarking.models import Benchmark
from qingshen.campaigns.models import HandlingLevel
from qingshen.industries.models import Industry
from qingshen.options import totals as option_totals
from qingshen.options.models import Option
from qingshen.project_start.models import ProjectStart
from qingshen.projects.statistics import group_level, roster
from qingshen.regions.models import Region
from qingshen.reviews.models import Review
from qingshen.supervision import due


def _applied(stage: str) -> Q:
    return Q(Exists(Application.objects.filter(project=OuterRef("project"), stage=stage, submitted_at__isnull=False)))


def _passed(stage: str) -> Q:
    return Q(Exists(Review.objects.filter(project=OuterRef("project"), stage=stage, status=Review.Status.PASSED)))


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    condition: Q
    milestone: bool = True  # a step once reached stays reached (counted in the progress)


STAGES = (
    Stage("roster", "名单企业", Q(), milestone=False),
    Stage("notified", "已通知", Q(letter__dispatched_at__isnull=False)),
    Stage("accepted", "已接受", Q(project__isnull=False)),
    Stage("started", "已启动", Q(project__start__status=ProjectStart.Status.SUBMITTED)),
    Stage("evaluation_applied", "已提交评估申请", _applied("evaluation")),
    Stage("evaluation_passed", "评估通过", _passed("evaluation")),
    Stage("implementing", "实施中", _passed("evaluation") & ~_applied("acceptance"), milestone=False),
    Stage("acceptance_applied", "已提交验收申请", _applied("acceptance")),
    Stage("acceptance_passed", "验收通过", _passed("acceptance")),
)
STAGE_BY_KEY = {stage.key: stage for stage in STAGES}
MILESTONES = [stage.key for stage in STAGES if stage.milestone]
HANDLING = dict(HandlingLevel.choices)
NO_DIVISION = "none"  # the list's key for enterprises with no industry recorded
OVERDUE_ANY = "any"


@dataclass
class Row:
    """One line of a breakdown: `key` is what the list behind it filters on ("" for the total)."""

    key: str
    name: str
    counts: dict = field(default_factory=dict)

    def cells(self):
        """[(stage, count)] in column order, for templates."""
        return [(stage, self.counts.get(stage.key, 0)) for stage in STAGES]

    @property
    def progress(self) -> float:
        """Per cent of the way: the milestones reached (通知 … 验收通过) over all that could be."""
        roster_size = self.counts.get("roster", 0)
        if not roster_size:
            return 0.0
        reached = sum(self.counts.get(key, 0) for key in MILESTONES)
        return round(100 * reached / (roster_size * len(MILESTONES)), 1)


@dataclass
class Breakdown:
    param: str  # the list's query parameter: region, division or handling
    label: str  # the first column's heading
    rows: list[Row]
    total: Row


def _aggregates() -> dict:
    return {stage.key: Count("pk", filter=stage.condition) for stage in STAGES}


def _total(rows) -> Row:
    return Row("", "合计", {stage.key: sum(row.counts.get(stage.key, 0) for row in rows) for stage in STAGES})


def by_region(user, campaign) -> Breakdown:
    """A row per county (per city for the province); 定州市-like units without counties are their own row."""
    level = group_level(user)
    key = f"{level}_code"
    fields = ["city_code"] + ([key] if key != "city_code" else [])
    per_region: dict[str, dict] = {}
    for line in roster(user, [campaign.pk]).order_by().values(*fields).annotate(**_aggregates()):
        counts = per_region.setdefault(line[key] or line["city_code"], dict.fromkeys(STAGE_BY_KEY, 0))
        for name in STAGE_BY_KEY:
            counts[name] += line[name]
    names = dict(Region.objects.filter(code__in=per_region).values_list("code", "name")) if per_region else {}
    rows = [Row(code, names.get(code, code), counts) for code, counts in sorted(per_region.items())]
    return Breakdown("region", "地市" if level == "city" else "区县", rows, _total(rows))


def by_division(user, campaign) -> Breakdown:
    """A row per industry division (GB/T 4754 大类) of the enterprises' recorded industry."""
    lines = list(roster(user, [campaign.pk]).order_by().values("enterprise__industry__division_code")
                 .annotate(**_aggregates()))
    codes = {line["enterprise__industry__division_code"] for line in lines} - {None, ""}
    names = dict(Industry.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    per_division: dict[str, dict] = {}
    for line in lines:
        code = line["enterprise__industry__division_code"] or NO_DIVISION
        counts = per_division.setdefault(code, dict.fromkeys(STAGE_BY_KEY, 0))
        for name in STAGE_BY_KEY:
            counts[name] += line[name]
    rows = [Row(code, "未填行业" if code == NO_DIVISION else f"{code} {names.get(code, '')}".strip(), counts)
            for code, counts in sorted(per_division.items())]
    return Breakdown("division", "行业大类", rows, _total(rows))


def by_handling(user, campaign) -> Breakdown:
    """A row per handling level (省直管 / 市直管)."""
    per_level = {line["handling_level"]: {name: line[name] for name in STAGE_BY_KEY}
                 for line in roster(user, [campaign.pk]).order_by().values("handling_level").annotate(**_aggregates())}
    rows = [Row(code, HANDLING[code], per_level[code]) for code in HANDLING if code in per_level]
    return Breakdown("handling", "办理机构", rows, _total(rows))


def overdue(user, campaign) -> tuple[list[tuple[str, str, int]], int, dict]:
    """([(kind, label, roster lines overdue on it)], lines overdue on any, {kind or OVERDUE_ANY:
    the pks of those lines, as a lazy subquery}).

    The counts are one aggregate query (`due.counts`) over the lines in the jurisdiction."""
    lines = roster(user, [campaign.pk])
    dates = due.Dates(campaign, lines)
    table, any_count = due.counts(lines, dates, states=(due.OVERDUE,))
    rows = [(kind, due.title(kind), table[kind][due.OVERDUE]) for kind in due.TRACKED]
    annotated_lines = due.with_states(lines, dates)
    ids = {kind: annotated_lines.filter(due.state_condition(kind, due.OVERDUE, dates)).values_list("pk", flat=True)
           for kind in due.TRACKED}
    ids[OVERDUE_ANY] = annotated_lines.filter(due.overdue_on_any(dates)).values_list("pk", flat=True)
    return rows, any_count, ids


def overdue_lines(user, campaign, kind: str):
    """The roster lines overdue on `kind` (or on any step): a filtered query, not a list."""
    lines = roster(user, [campaign.pk])
    dates = due.Dates(campaign, lines)
    condition = due.overdue_on_any(dates) if kind == OVERDUE_ANY else due.state_condition(kind, due.OVERDUE, dates)
    return due.with_states(lines, dates).filter(condition).values("pk")


OPTION_CLASSES = {"low": ("无低费", Q(cost_class=Option.CostClass.LOW)),
                  "high": ("中高费", Q(cost_class=Option.CostClass.HIGH)), "total": ("合计", Q())}
OPTION_SUBSETS = {"all": ("全部方案", option_totals.COUNTED),
                  "implemented": ("已实施", Q(status=Option.Status.IMPLEMENTED))}


def _option_key(cls: str, subset: str) -> str:
    return f"{cls}_{subset}"


OPTION_KEYS = {_option_key(c, s) for c in OPTION_CLASSES for s in OPTION_SUBSETS}


def _option_condition(key: str) -> Q:
    cls, subset = key.rsplit("_", 1)
    return OPTION_CLASSES[cls][1] & OPTION_SUBSETS[subset][1]


def options(user, campaign) -> tuple[option_totals.Totals, dict]:
    """(the totals by class of the options the user may see in the campaign, {option key:
    enterprises having such an option}) — two aggregate queries."""
    queryset = Option.objects.restrict(user).filter(project__campaign=campaign)
    enterprises = queryset.order_by().aggregate(**{
        key: Count("project", distinct=True, filter=_option_condition(key)) for key in OPTION_KEYS})
    return option_totals.totals(queryset), enterprises


def benchmarks(user, campaign) -> benchmark_statistics.Row:
    """The total row of 对标统计 (counts by (stage, level column))."""
    return benchmark_statistics.table(user, campaign)[2]


def headline(regions: Breakdown, overdue_lines: int, totals) -> dict:
    counts = regions.total.counts
    return {"roster": counts.get("roster", 0), "accepted": counts.get("accepted", 0),
            "acceptance_passed": counts.get("acceptance_passed", 0), "overdue": overdue_lines,
            "progress": regions.total.progress, "options": totals.all["total"].count,
            "investment": totals.all["total"].investment}


# --- the list behind a figure -----------------------------------------------------------------


@dataclass
class Filters:
    """What a figure's link names; every part optional (checked by the view)."""

    stage: Stage = STAGE_BY_KEY["roster"]
    region: Region | None = None
    division: str = ""
    handling: str = ""
    overdue: str = ""  # a tracked kind, or OVERDUE_ANY
    option: str = ""  # an OPTION_KEYS key
    benchmark: tuple[str, str] | None = None  # (stage, level column)

    def describe(self) -> str:
        parts = [self.region.name if self.region else ""]
        if self.division:
            parts.append("未填行业" if self.division == NO_DIVISION else f"行业大类 {self.division}")
        parts.append(HANDLING.get(self.handling, ""))
        if self.overdue:
            parts.append("已逾期" + ("" if self.overdue == OVERDUE_ANY else f"：{due.title(self.overdue)}"))
        if self.option:
            cls, subset = self.option.rsplit("_", 1)
            parts.append(f"有{OPTION_CLASSES[cls][0] if cls != 'total' else ''}方案（{OPTION_SUBSETS[subset][0]}）")
        if self.benchmark:
            stage, key = self.benchmark
            parts.append(f"对标{Benchmark.Stage(stage).label} {dict(benchmark_statistics.COLUMNS)[key]}")
        parts.append(self.stage.label)
        return " · ".join(part for part in parts if part)


def members(user, campaign, filters: Filters):
    """The roster lines behind a figure, in county order."""
    queryset = roster(user, [campaign.pk]).filter(filters.stage.condition)
    if filters.region is not None:
        queryset = queryset.filter(**{f"{filters.region.level}_code": filters.region.code})
    if filters.division == NO_DIVISION:
        queryset = queryset.filter(Q(enterprise__industry__isnull=True) | Q(enterprise__industry__division_code=""))
    elif filters.division:
        queryset = queryset.filter(enterprise__industry__division_code=filters.division)
    if filters.handling:
        queryset = queryset.filter(handling_level=filters.handling)
    if filters.overdue:
        queryset = queryset.filter(pk__in=overdue_lines(user, campaign, filters.overdue))
    if filters.option:
        queryset = queryset.filter(Exists(Option.objects.restrict(user).filter(project=OuterRef("project"))
                                          .filter(_option_condition(filters.option))))
    if filters.benchmark:
        stage, key = filters.benchmark
        queryset = queryset.filter(Exists(Benchmark.objects.restrict(user).filter(
            project=OuterRef("project"), stage=stage).filter(benchmark_statistics.condition(key))))
    return queryset.select_related("enterprise__region", "enterprise__industry", "letter", "project").order_by(
        "county_code", "city_code", "seq", "pk")
