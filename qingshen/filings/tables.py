"""The data tables a checklist item may require (原辅材料, 取水, 污染物, 方案台账 …).

A checklist item of kind "table" names a table by code. The apps that own the tables register
them here when they load (their AppConfig.ready), so the filings app can tell whether an item is
filled without importing them: `rows(project)` counts the project's rows of that table, and
`url(project)` is the page where the enterprise fills it in.
"""

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Table:
    code: str
    label: str
    rows: Callable  # (project) -> int
    url: Callable  # (project) -> str


TABLES: dict[str, Table] = {}


def register(code: str, label: str, *, rows: Callable, url: Callable) -> None:
    TABLES[code] = Table(code=code, label=label, rows=rows, url=url)


def get(code: str) -> Table | None:
    return TABLES.get(code)


#: Names of the tables the default checklist uses, so a page can name a table before the app
#: that provides it has registered it (its item then shows as not yet available).
DEFAULT_LABELS = {
    "raw_materials": "原辅材料和能源消耗",
    "water": "取水、重复利用和排水",
    "pollutants": "废水污染物",
    "audit_focus": "审核重点",
    "targets": "清洁生产目标",
    "material_balance": "物料平衡",
    "water_balance": "水平衡",
    "options": "方案台账",
    "feasibility": "中高费方案可行性分析",
    "benchmark_before": "对标（审核前）",
    "benchmark_after": "对标（实施后）",
}


def label_of(code: str) -> str:
    table = TABLES.get(code)
    return table.label if table is not None else DEFAULT_LABELS.get(code, code)


def choices() -> list[tuple[str, str]]:
    """Every table a checklist item may name: the registered ones and the defaults' codes."""
    codes = dict(DEFAULT_LABELS)
    codes.update({code: table.label for code, table in TABLES.items()})
    return sorted(codes.items())
