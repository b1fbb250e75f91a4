"""The figures of a report (`figures.compute`'s data, live or frozen) as tables: (header,
rows) lists that the page, the PDF and the .xlsx all print, so the three cannot disagree.

Benefits are those of the options implemented (已实施) in a 工作总结, and the expected ones of
the options planned (not given up) in a 评估情况汇总 — implementation comes after evaluation.
"""

from decimal import Decimal

from qingshen.options.totals import METRICS

CLASSES = (("low", "无低费方案"), ("high", "中高费方案"), ("total", "合计"))
BENEFITS = [(name, label, unit) for name, label, unit in METRICS if name != "investment"]


def is_work(figures) -> bool:
    return figures["kind"] == "work"


def basis(figures) -> str:
    """The option subset the benefits are read from."""
    return "implemented" if is_work(figures) else "all"


def basis_label(figures) -> str:
    return "已实施方案" if is_work(figures) else "已制定方案（预期）"


def _number(text) -> Decimal:
    return Decimal(text)


def overview(figures) -> list[tuple[str, int]]:
    """总体情况: [(stage label, enterprises)]."""
    counts = figures["total"]["stages"]
    return [(label, counts.get(key, 0)) for key, label in figures["stage_labels"]]


def options(figures) -> tuple[list[str], list[list]]:
    """方案情况 by class: proposed (not given up) and, in a 工作总结, implemented."""
    data = figures["total"]["options"]
    header = ["方案类别", "方案数", "投资（万元）"]
    if is_work(figures):
        header += ["已实施方案数", "已实施投资（万元）"]
    rows = []
    for cls, label in CLASSES:
        row = [label, data["all"][cls]["count"], _number(data["all"][cls]["investment"])]
        if is_work(figures):
            row += [data["implemented"][cls]["count"], _number(data["implemented"][cls]["investment"])]
        rows.append(row)
    return header, rows


def benefits(figures) -> tuple[list[str], list[list]]:
    """经济效益和环境效益 by class, of the basis subset."""
    data = figures["total"]["options"][basis(figures)]
    header = ["效益", *(label for _, label in CLASSES)]
    rows = [[f"{label}（{unit}）", *(_number(data[cls][name]) for cls, _ in CLASSES)]
            for name, label, unit in BENEFITS]
    return header, rows


def benchmarks(figures) -> list[tuple[str, int]]:
    counts = figures["total"].get("benchmarks") or {}
    return [(label, counts.get(key, 0)) for key, label in figures.get("benchmark_labels", [])]


def regions(figures) -> tuple[list[str], list[list]]:
    """分地区: a row per county (city) with its stages, options and benefits, then 合计."""
    if not figures["rows"]:
        return [], []
    subset = basis(figures)
    header = [figures["row_label"], *(label for _, label in figures["stage_labels"]), "无低费方案", "中高费方案",
              "投资（万元）", *(f"{label}（{unit}）" for _, label, unit in BENEFITS)]

    def line(name, data):
        options = data["options"]
        return [name, *(data["stages"].get(key, 0) for key, _ in figures["stage_labels"]),
                options["all"]["low"]["count"], options["all"]["high"]["count"],
                _number(options["all"]["total"]["investment"]),
                *(_number(options[subset]["total"][name]) for name, _, _ in BENEFITS)]

    rows = [line(row["name"], row) for row in figures["rows"]]
    rows.append(line("合计", figures["total"]))
    return header, rows


def enterprises(figures) -> tuple[list[str], list[list]]:
    """企业明细: a row per roster enterprise."""
    work = is_work(figures)
    header = ["企业名称", "所属区县", "项目编号", "所处阶段", "无低费方案数", "中高费方案数",
              *(["已实施方案数"] if work else []), "投资（万元）",
              *(f"{label}（{unit}）" for _, label, unit in BENEFITS)]
    rows = [[line["name"], line["county"], line["project_number"], line["stage"], line["low"], line["high"],
             *([line["implemented"]] if work else []), _number(line["investment"]),
             *(_number(line[name]) for name, _, _ in BENEFITS)] for line in figures["enterprises"]]
    return header, rows


def context(figures) -> dict:
    """The tables of a report's figures, as the page and the PDF both show them."""
    options_header, options_rows = options(figures)
    benefits_header, benefits_rows = benefits(figures)
    regions_header, regions_rows = regions(figures)
    return {"figures": figures, "overview": overview(figures), "benchmarks": benchmarks(figures),
            "options_header": options_header, "options_rows": options_rows, "benefits_header": benefits_header,
            "benefits_rows": benefits_rows, "basis_label": basis_label(figures),
            "regions_header": regions_header, "regions_rows": regions_rows,
            "computed_at": figures.get("computed_at", "")[:16].replace("T", " ")}
