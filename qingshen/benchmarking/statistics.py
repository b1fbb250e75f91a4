"""对标统计: per campaign and region (a row per city for the province, per county otherwise),
how many enterprises stand at each level before the audit and after implementation.

A benchmark counts at its confirmed level where a reviewer confirmed it, otherwise at the level
the enterprise's entry computed; a result computed against an incomplete or unverified system
is counted apart as 试算, never as a level. One grouped query per page (regions × stages ×
levels rows, whatever the number of enterprises), and the list behind a figure uses the same
condition (`condition`), so the two cannot disagree.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from qingshen.benchmarking.models import Benchmark
from qingshen.projects.statistics import group_level
from qingshen.regions.models import Region

Level = Benchmark.Level
#: (key, label): the columns of each stage.
COLUMNS = [
    (Level.I.value, "I级"), (Level.II.value, "II级"), (Level.III.value, "III级"), (Level.BELOW.value, "III级以下"),
    (Level.PEER_ADVANCED.value, "达到同行业先进"), (Level.PEER_NOT_REACHED.value, "未达到同行业先进"),
    ("trial", "试算"), ("recorded", "已填报"),
]
COLUMN_KEYS = {key for key, _ in COLUMNS}


def condition(key: str) -> Q:
    """Benchmarks counted under a column."""
    recorded = Q(recorded_at__isnull=False)
    if key == "recorded":
        return recorded
    if key == "trial":
        return recorded & Q(confirmed_at__isnull=True, trial=True)
    if key in (Level.PEER_ADVANCED, Level.PEER_NOT_REACHED):
        return recorded & Q(confirmed_level=key)
    return recorded & (Q(confirmed_level=key) | Q(confirmed_at__isnull=True, trial=False, level=key))


@dataclass
class Row:
    region_code: str
    region_name: str
    counts: dict = field(default_factory=dict)  # (stage, key) -> n

    def cells(self, stage):
        return [(key, self.counts.get((stage, key), 0)) for key, _ in COLUMNS]


def table(user, campaign) -> tuple[str, list[Row], Row]:
    """(group level, rows, total) for one campaign."""
    level = group_level(user)
    region_key = f"{level}_code"
    aggregates = {f"{stage}__{key}": Count("pk", filter=Q(stage=stage) & condition(key))
                  for stage in Benchmark.Stage.values for key, _ in COLUMNS}
    grouped = (Benchmark.objects.restrict(user).filter(project__campaign=campaign).order_by()
               .values("city_code", region_key).annotate(**aggregates))
    per_region: dict[str, dict] = {}
    for line in grouped:
        code = line[region_key] or line["city_code"]  # 定州市, 辛集市: a city with no counties
        counts = per_region.setdefault(code, {})
        for name in aggregates:
            stage, key = name.split("__")
            counts[(stage, key)] = counts.get((stage, key), 0) + line[name]
    names = dict(Region.objects.filter(code__in=per_region).values_list("code", "name")) if per_region else {}
    rows = [Row(code, names.get(code, code), counts) for code, counts in sorted(per_region.items())]
    total = Row("", "合计", {})
    for row in rows:
        for cell, n in row.counts.items():
            total.counts[cell] = total.counts.get(cell, 0) + n
    return level, rows, total


def benchmarks(user, campaign, stage: str, key: str, region: Region | None = None):
    """The benchmarks behind one figure."""
    queryset = Benchmark.objects.restrict(user).filter(project__campaign=campaign, stage=stage).filter(condition(key))
    if region is not None:
        queryset = queryset.filter(**{f"{region.level}_code": region.code})
    return queryset.select_related("project__enterprise__region", "system").order_by("county_code", "project__number")
