"""How a stored target check reads in one line per indicator short of the target: the export and
the list say which indicator and what value (or requirements) it needs, as the page's table does."""

from qingshen.benchmarking import definition as spec
from qingshen.benchmarking.presentation import number


def need_text(need: dict) -> str:
    if not need:
        return ""
    level = spec.LEVEL_LABELS.get(need.get("reach_level") or need.get("level"), "")
    if not need.get("reach_level"):
        return f"{spec.LEVEL_LABELS.get(need.get('level'), '')}基准值缺失"
    if need.get("requirements") is not None:
        return f"{level}：" + "；".join(need["requirements"]) if need["requirements"] else f"{level}：已满足所列要求"
    return f"{level}：{need.get('comparator', '')}{number(need.get('value'))} {need.get('unit', '')}".strip()


def shortfall_lines(target: dict | None) -> list[str]:
    """The water shortfalls (which fail the target) and, when the overall level falls short, the
    other indicators below it."""
    if not target:
        return []
    lines = [f"第 {item['seq']} 项 {item['name']}（涉水）需 {need_text(item['need'])}"
             for item in target.get("water_shortfalls") or []]
    if not target.get("overall_met"):
        lines += [f"第 {item['seq']} 项 {item['name']}需 {need_text(item['need'])}"
                  for item in target.get("shortfalls") or []]
    return lines
