"""The one real (partial) official table we ship, read into a definition: `read_source_csv(path)`.

`data/electroplating_comprehensive_PARTIAL.csv` is a transcription of rows 1–12 of 表1
综合电镀清洁生产评价指标项目、权重及基准值; see `data/README.md`. This reader is faithful to it and
never fills a gap: a level the excerpt does not show stays None, which is why the result has
status "incomplete" and validates with warnings only. What Qingshen adds on top of the source –
the industry code and the water flag – is said so in the source note.
"""

import copy
import csv
import io
import re
from decimal import Decimal
from pathlib import Path

from qingshen.benchmarking.definition import (
    COMMON_LEVEL_RULES,
    HIGHER_BETTER,
    LEVELS,
    LOWER_BETTER,
    QUALITATIVE,
)
from qingshen.benchmarking.formats import FormatError
from qingshen.benchmarking.formats.xlsx_format import (
    SHARED_WEIGHT,
    parse_benchmark,
    split_requirements,
)

SHIPPED_TABLE = Path(__file__).resolve().parent.parent / "data" / "electroplating_comprehensive_PARTIAL.csv"

COLUMNS = ["seq", "first_level_indicator", "first_level_weight", "second_level_indicator", "unit",
           "second_level_weight", "level_I_benchmark", "level_II_benchmark", "level_III_benchmark",
           "is_limiting", "notes"]
FOOTNOTE_MARK = re.compile("[\u2460-\u2473]")  # circled numbers ①–⑳
COMPARATOR_KIND = {"≤": LOWER_BETTER, "≥": HIGHER_BETTER}
#: Qingshen's classification, not the source's: 单位产品每次清洗取水量 measures water intake.
WATER_SEQS = {5}

SOURCE_NOTE = (
    "来源页面题为“表1 综合电镀清洁生产评价指标项目、权重及基准值”，是一份企业自评表（另有企业现状、指标水平、"
    "得分等列），显然依据国家《电镀行业清洁生产评价指标体系》编制；所存摘录未写明版本和年份。"
    "本表不完整：摘录中只能看到第 1–12 行，第 13 行及以后（资源综合利用指标的其余各项、污染物产生指标、"
    "产品特征指标、清洁生产管理指标）缺失，因此权重合计不为 1。"
    "第 1、2、4 行的 III 级基准值为空，表示摘录中未显示，并非“无要求”。"
    "原表名称前的“*”表示限定性指标；圈码（①②③④⑦⑨）为脚注标记，脚注原文在摘录中不可见。"
    "“0.8/n”的脚注④不可见，n 推测为适用的镀种（金属）数，未经核实。"
    "以下两项是清审所作的归类，并非原表内容：适用行业代码 3360（GB/T 4754-2017 金属表面处理及热处理加工，"
    "涵盖电镀）；第 5 行“单位产品每次清洗取水量”为取水量指标，归为涉水指标。"
)


def read_source_csv(path) -> dict:
    """Read the shipped partial table (a '#' provenance line, then the CSV) into a definition."""
    comment, _, body = Path(path).read_text(encoding="utf-8").partition("\n")
    url = re.search(r"https?://\S+", comment) if comment.startswith("#") else None
    if url is None:
        raise FormatError("首行须为以“#”开头、含来源网址的说明行。")
    reader = csv.DictReader(io.StringIO(body))
    if reader.fieldnames != COLUMNS:
        raise FormatError(f"表头须为：{','.join(COLUMNS)}。")
    groups = []
    for row in reader:
        if not groups or groups[-1]["name"] != row["first_level_indicator"]:
            groups.append({"name": row["first_level_indicator"], "weight": Decimal(row["first_level_weight"]),
                           "indicators": []})
        groups[-1]["indicators"].append(_indicator(row))
    return {
        "code": "electroplating-comprehensive",
        "name": "综合电镀清洁生产评价指标（表1，前12项）",
        "issuers": "",
        "document_number": "",
        "year": None,
        "industries": ["3360"],
        "status": "incomplete",
        "source": {"file": url[0], "page": "表1 综合电镀清洁生产评价指标项目、权重及基准值", "note": SOURCE_NOTE},
        "level_rules": copy.deepcopy(COMMON_LEVEL_RULES),
        "groups": groups,
    }


def _indicator(row):
    seq = int(row["seq"])
    where = f"第 {seq} 行（{row['second_level_indicator']}）"
    name_marks = "".join(FOOTNOTE_MARK.findall(row["second_level_indicator"]))
    texts = {level: row[f"level_{level}_benchmark"] for level in LEVELS}
    first = parse_benchmark(texts["I"])
    kind = COMPARATOR_KIND[first[0]] if first and first[0] else QUALITATIVE
    levels = {level: _level(kind, text, where) for level, text in texts.items()}
    text_marks = "".join(dict.fromkeys(mark for text in texts.values() for mark in FOOTNOTE_MARK.findall(text)))
    weight, share = row["second_level_weight"], ""
    shared = SHARED_WEIGHT.fullmatch(weight)
    if shared:
        weight, share = shared[1], shared[2]
    if row["is_limiting"] not in ("yes", "no"):
        raise FormatError(f"{where}：is_limiting 须为 yes 或 no。")
    return {
        "seq": seq,
        "name": FOOTNOTE_MARK.sub("", row["second_level_indicator"]).lstrip("*").strip(),
        "unit": row["unit"],
        "kind": kind,
        "weight": Decimal(weight),
        "share": share,
        "levels": levels,
        "restrictive": row["is_limiting"] == "yes",
        "water": seq in WATER_SEQS,
        "optional": bool(share),
        "footnotes": _footnotes(name_marks, text_marks),
    }


def _level(kind, text, where):
    if text == "":
        return None  # not shown in the excerpt – never "no requirement"
    if kind == QUALITATIVE:
        return [FOOTNOTE_MARK.sub("", requirement) for requirement in split_requirements(text)]
    parsed = parse_benchmark(text)
    if parsed is None or COMPARATOR_KIND.get(parsed[0]) != kind:
        raise FormatError(f"{where}：基准值「{text}」与 I 级基准值的方向不一致或不是数值。")
    return parsed[1]


def _footnotes(name_marks, text_marks):
    """"④（脚注原文未收录）"; marks found in the requirement texts are listed after 要求文字中."""
    parts = [name_marks] if name_marks else []
    if text_marks:
        parts.append(f"要求文字中：{text_marks}")
    return "；".join(parts) + "（脚注原文未收录）" if parts else ""
