"""How an indicator system and a result read on a page: the official table's rows (first-level
cells spanning their indicators), benchmark values as the source writes them (≤8, ≥82, the
numbered requirements) and level labels."""

from decimal import Decimal

from qingshen.benchmarking import definition as spec

COMPARATOR = {spec.LOWER_BETTER: "≤", spec.HIGHER_BETTER: "≥"}


def number(value) -> str:
    """8.0000 → 8; 0.15 stays 0.15."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    text = f"{value.normalize():f}"
    return text


def benchmark_text(indicator: dict, level: str) -> str | list[str] | None:
    """A benchmark value as in the official tables: "≤8" or the list of requirements; None
    where the source gives none."""
    value = indicator["levels"].get(level)
    if value is None:
        return None
    if indicator["kind"] == spec.QUALITATIVE:
        return list(value)
    return f"{COMPARATOR[indicator['kind']]}{number(value)}"


def weight_text(indicator: dict) -> str:
    weight = number(indicator["weight"])
    return f"{weight}/{indicator['share']}" if indicator.get("share") else weight


def table_rows(definition: dict) -> list[dict]:
    """One row per second-level indicator; the first of each group carries the group's cells
    and how many rows they span."""
    rows = []
    for group in definition["groups"]:
        for index, indicator in enumerate(group["indicators"]):
            rows.append({
                "group": group, "span": len(group["indicators"]) if index == 0 else 0,
                "group_weight": number(group["weight"]), "indicator": indicator,
                "weight": weight_text(indicator), "kind": spec.KINDS.get(indicator["kind"], indicator["kind"]),
                "levels": [benchmark_text(indicator, level) for level in spec.LEVELS],
            })
    return rows


def level_label(level: str | None) -> str:
    if not level:
        return "—"
    return spec.LEVEL_LABELS.get(level, level)
