"""Before and after side by side: per indicator, the value and level at 预审核 and after
方案的实施, from the results as recorded (confirmed where confirmed)."""

from qingshen.benchmarking.definition import rank


def effective_result(benchmark) -> dict | None:
    if benchmark is None:
        return None
    return benchmark.confirmed_result or benchmark.result


def side_by_side(before, after) -> list[dict]:
    """Rows keyed by the indicator's seq and name (the two stages may use different versions of
    a system: an indicator is the same one when both agree)."""
    results = {"before": effective_result(before), "after": effective_result(after)}
    rows: dict[tuple, dict] = {}
    for stage, result in results.items():
        for item in (result or {}).get("indicators", []):
            key = (item["seq"], item["name"])
            row = rows.setdefault(key, {"seq": item["seq"], "name": item["name"], "unit": item.get("unit", ""),
                                        "before": None, "after": None})
            row[stage] = item
    out = []
    for key in sorted(rows):
        row = rows[key]
        row["pair"] = (row["before"], row["after"])
        row["change"] = _change(row["before"], row["after"])
        out.append(row)
    return out


def _change(before, after) -> str:
    """up / down / same by the level reached; "" when either side has no level."""
    levels = [item.get("level") if item and item.get("applicable") and item.get("answered") else None
              for item in (before, after)]
    if None in levels:
        return ""
    was, now = (rank(level) for level in levels)
    return "up" if now < was else "down" if now > was else "same"
