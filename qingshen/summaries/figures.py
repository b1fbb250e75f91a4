"""The figures of a summary report, computed from what the system recorded in the author's
region (a county branch: its county; a city bureau: its city; the province: the province).

They follow the author's *region*, not the signed-in user: the receiving level reading a
county's draft sees the county's figures, not its own. Everything is a conditional aggregate
(`Count`/`Sum` with `filter=`) of grouped queries over the scoped rows (roster lines, options,
benchmarks), grouped by the level below the author (a row per county for a city, per city for
the province), plus one query for the enterprises' lines and one for the region names, so the
cost does not grow with the number of enterprises or options.

The result is plain JSON-ready data (`compute`): it is what a submitted report freezes into
`SummaryReport.figures`, with its own labels, so a frozen document reads the same even if the
labels here change later. 评估情况汇总 (kind "evaluation") keeps only the evaluation stage:
no acceptance columns, no implemented options, no benchmark levels after implementation.

Stage figures count enterprises: 评估不通过 / 验收不通过 an enterprise with such a result;
评估整改中 one told to rectify (整改) that has not yet passed or failed.
"""

from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from qingshen.benchmarking import statistics as benchmark_statistics
from qingshen.benchmarking.models import Benchmark
from qingshen.campaigns.models import CampaignEnterprise
from qingshen.options import totals as option_totals
from qingshen.options.models import Option
from qingshen.regions.models import Region
from qingshen.reviews.models import Review
from qingshen.supervision.dashboard import STAGE_BY_KEY

WORK, EVALUATION = "work", "evaluation"


def _result(stage: str, status: str) -> Q:
    return Q(Exists(Review.objects.filter(project=OuterRef("project"), stage=stage, status=status)))


_EVALUATION_CLOSED = _result("evaluation", Review.Status.PASSED) | _result("evaluation", Review.Status.FAILED)

#: (key, label, condition on a roster line, in the evaluation summary too)
STAGES = (
    ("roster", "名单企业", Q(), True),
    ("notified", "已通知", STAGE_BY_KEY["notified"].condition, True),
    ("accepted", "已接受任务", STAGE_BY_KEY["accepted"].condition, True),
    ("evaluation_applied", "已申请评估", STAGE_BY_KEY["evaluation_applied"].condition, True),
    ("evaluation_passed", "评估通过", STAGE_BY_KEY["evaluation_passed"].condition, True),
    ("evaluation_failed", "评估不通过", _result("evaluation", Review.Status.FAILED), True),
    ("evaluation_rectify", "评估整改中", _result("evaluation", Review.Status.RECTIFY) & ~_EVALUATION_CLOSED, True),
    ("acceptance_applied", "已申请验收", STAGE_BY_KEY["acceptance_applied"].condition, False),
    ("acceptance_passed", "验收通过", STAGE_BY_KEY["acceptance_passed"].condition, False),
    ("acceptance_failed", "验收不通过", _result("acceptance", Review.Status.FAILED), False),
)
#: The furthest stage an enterprise reached, in this order (the last that holds wins).
REACHED = ("roster", "notified", "accepted", "evaluation_applied", "evaluation_rectify", "evaluation_failed",
           "evaluation_passed", "acceptance_applied", "acceptance_failed", "acceptance_passed")
REACHED_LABELS = {"roster": "已列入名单"}


def stages(kind: str):
    return [(key, label, condition) for key, label, condition, evaluation in STAGES if evaluation or kind == WORK]


def subsets(kind: str):
    return [(name, q) for name, q in option_totals.SUBSETS if kind == WORK or name == "all"]


_BELOW = {"province": "city_code", "city": "county_code", "county": "county_code"}
_ROW_LABEL = {"province": "地市", "city": "区县", "county": ""}


def in_region(queryset, region):
    """Scoped rows (ScopedModel codes) inside `region` — the same rule as restrict(user)."""
    return queryset.filter(**{f"{region.level}_code": region.code})


def _option_aggregates(kind: str) -> dict:
    """<subset>__<class>__<metric>: the names `option_totals` gives its figures."""
    expressions = {}
    for subset, subset_q in subsets(kind):
        for cls, class_q in option_totals.CLASSES:
            condition = subset_q & class_q
            expressions[f"{subset}__{cls}__count"] = Count("pk", filter=condition)
            for name, _, _ in option_totals.METRICS:
                expressions[f"{subset}__{cls}__{name}"] = Sum(name, filter=condition)
    return expressions


def _add_options(totals: option_totals.Totals, values: dict, kind: str) -> None:
    for subset, _ in subsets(kind):
        for cls, _ in option_totals.CLASSES:
            figures = option_totals.Figures(count=values[f"{subset}__{cls}__count"] or 0)
            for name, _, _ in option_totals.METRICS:
                value = values[f"{subset}__{cls}__{name}"]
                setattr(figures, name, Decimal(value) if value is not None else option_totals.ZERO)
            totals.figures[subset][cls].add(figures)


def _options_dict(totals: option_totals.Totals, kind: str) -> dict:
    return {subset: {cls: totals.figures[subset][cls].as_dict() for cls, _ in option_totals.CLASSES}
            for subset, _ in subsets(kind)}


BENCHMARK_COLUMNS = [(key, label) for key, label in benchmark_statistics.COLUMNS if key != "recorded"]


class _Group:
    def __init__(self, kind):
        self.stages = {key: 0 for key, _, _ in stages(kind)}
        self.options = option_totals.Totals()
        self.benchmarks = {key: 0 for key, _ in BENCHMARK_COLUMNS} if kind == WORK else None

    def as_dict(self, kind) -> dict:
        data = {"stages": self.stages, "options": _options_dict(self.options, kind)}
        if self.benchmarks is not None:
            data["benchmarks"] = self.benchmarks
        return data


def compute(campaign, region, kind: str = WORK) -> dict:
    """The figures of `region`'s report of `kind` in `campaign`, as JSON-ready data."""
    group_field = _BELOW[region.level]
    fields = ["city_code"] + ([group_field] if group_field != "city_code" else [])
    roster = in_region(CampaignEnterprise.objects.filter(
        campaign=campaign, status=CampaignEnterprise.Status.INCLUDED), region)
    groups: dict[str, _Group] = {}

    def group(values) -> _Group:
        code = values[group_field] or values["city_code"]  # 定州市-like lines have no county
        if code not in groups:
            groups[code] = _Group(kind)
        return groups[code]

    stage_aggregates = {key: Count("pk", filter=condition) for key, _, condition in stages(kind)}
    for values in roster.order_by().values(*fields).annotate(**stage_aggregates):
        counts = group(values).stages
        for key in stage_aggregates:
            counts[key] += values[key]
    options = in_region(Option.objects.filter(project__campaign=campaign), region)
    for values in options.order_by().values(*fields).annotate(**_option_aggregates(kind)):
        _add_options(group(values).options, values, kind)
    if kind == WORK:
        benchmark_aggregates = {key: Count("pk", filter=benchmark_statistics.condition(key))
                                for key, _ in BENCHMARK_COLUMNS}
        benchmarks = in_region(Benchmark.objects.filter(project__campaign=campaign, stage=Benchmark.Stage.AFTER),
                               region)
        for values in benchmarks.order_by().values(*fields).annotate(**benchmark_aggregates):
            counts = group(values).benchmarks
            for key in benchmark_aggregates:
                counts[key] += values[key]
    enterprises = enterprise_lines(campaign, region, kind, roster)
    names = dict(Region.objects.filter(code__in=set(groups) | {e["county_code"] for e in enterprises})
                 .values_list("code", "name"))
    total = _Group(kind)
    for grouped in groups.values():
        for key, n in grouped.stages.items():
            total.stages[key] += n
        total.options.add(grouped.options)
        if total.benchmarks is not None:
            for key, n in grouped.benchmarks.items():
                total.benchmarks[key] += n
    rows = []
    if region.level != "county" and set(groups) - {region.code}:  # 定州市-like: no level below, no table
        rows = [{"code": code, "name": names.get(code, code), **grouped.as_dict(kind)}
                for code, grouped in sorted(groups.items())]
    for line in enterprises:
        line["county"] = names.get(line.pop("county_code"), "")
    return {
        "kind": kind,
        "computed_at": timezone.localtime().isoformat(timespec="seconds"),
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "row_label": _ROW_LABEL[region.level],
        "stage_labels": [[key, label] for key, label, _ in stages(kind)],
        "benchmark_labels": [[key, label] for key, label in BENCHMARK_COLUMNS] if kind == WORK else [],
        "total": total.as_dict(kind),
        "rows": rows,
        "enterprises": enterprises,
    }


def enterprise_lines(campaign, region, kind: str, roster=None) -> list[dict]:
    """A line per roster enterprise: where it is, the furthest stage reached, its options and
    their investment and benefits (two queries)."""
    if roster is None:
        roster = in_region(CampaignEnterprise.objects.filter(
            campaign=campaign, status=CampaignEnterprise.Status.INCLUDED), region)
    keys = [key for key, _, _ in stages(kind)]
    conditions = {key: condition for key, _, condition in stages(kind)}
    lines = list(roster.order_by("county_code", "city_code", "seq", "pk")
                 .values("pk", "enterprise__name", "county_code", "city_code", "project__pk", "project__number")
                 .annotate(**{key: Count("pk", filter=conditions[key]) for key in keys}))
    metrics = [name for name, _, _ in option_totals.METRICS]
    implemented = Q(status=Option.Status.IMPLEMENTED)
    per_project = {values["project_id"]: values for values in in_region(
        Option.objects.filter(project__campaign=campaign), region).order_by().values("project_id").annotate(
        low=Count("pk", filter=option_totals.COUNTED & Q(cost_class=Option.CostClass.LOW)),
        high=Count("pk", filter=option_totals.COUNTED & Q(cost_class=Option.CostClass.HIGH)),
        implemented=Count("pk", filter=implemented),
        investment=Sum("investment", filter=option_totals.COUNTED),
        **{f"benefit_{name}": Sum(name, filter=implemented if kind == WORK else option_totals.COUNTED)
           for name in metrics if name != "investment"})}
    out = []
    for line in lines:
        reached = [key for key in REACHED if key in line and line[key]]
        last = reached[-1] if reached else "roster"
        options = per_project.get(line["project__pk"], {})
        out.append({
            "name": line["enterprise__name"],
            "county_code": line["county_code"] or line["city_code"],
            "project_number": line["project__number"] or "",
            "stage": REACHED_LABELS.get(last) or dict((k, label) for k, label, _ in stages(kind))[last],
            "low": options.get("low", 0), "high": options.get("high", 0),
            **({"implemented": options.get("implemented", 0)} if kind == WORK else {}),
            "investment": _text(options.get("investment"), "investment"),
            **{name: _text(options.get(f"benefit_{name}"), name) for name in metrics if name != "investment"},
        })
    return out


def _text(value, name) -> str:
    return str(Decimal(value or 0).quantize(option_totals.PLACES[name]))
