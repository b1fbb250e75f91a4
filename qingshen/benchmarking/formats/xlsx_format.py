"""Indicator systems as .xlsx, laid out like the official tables (表1 …指标项目、权重及基准值), so an
administrator can type an official table in as it is printed: `write(definition) -> bytes`,
`read(data) -> definition`.

Sheet 指标体系: a title row (the system's name), metadata rows (label in column A, value in the
first filled cell to its right), then the table under a header row starting with 序号. First-level
name and weight are merged over their indicators as in the official tables; reading, a blank
first-level cell continues the group above. Restrictive indicators carry the official "*" before
the name and 是 in 限定性指标; shared weights are "0.8/n"; quantitative benchmarks read "≤8" /
"≥82"; qualitative ones are numbered lines. Sheet 评价规则 holds the level rules; a file without
it gets the common rule (COMMON_LEVEL_RULES).

Decimals are written as text ("0.33", "≤8"), so nothing passes through a float and
`read(write(d)) == d` holds exactly; numeric cells typed by hand are read through their shortest
repr, which gives the number as typed.
"""

import copy
import io
import re
import zipfile
from decimal import Decimal

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from qingshen.benchmarking.definition import (
    COMMON_LEVEL_RULES,
    HIGHER_BETTER,
    LEVELS,
    LOWER_BETTER,
    QUALITATIVE,
    STATUSES,
)
from qingshen.benchmarking.formats import FormatError

MAIN_SHEET = "指标体系"
RULES_SHEET = "评价规则"

#: (label, key, column width)
COLUMNS = (
    ("序号", "seq", 6),
    ("一级指标", "group_name", 16),
    ("一级指标权重", "group_weight", 10),
    ("二级指标", "name", 26),
    ("单位", "unit", 9),
    ("二级指标权重", "weight", 10),
    ("指标类型", "kind", 12),
    ("I级基准值", "I", 34),
    ("II级基准值", "II", 34),
    ("III级基准值", "III", 34),
    ("限定性指标", "restrictive", 8),
    ("涉水指标", "water", 8),
    ("可不适用", "optional", 8),
    ("脚注", "footnotes", 20),
)
REQUIRED_COLUMNS = ("序号", "一级指标", "一级指标权重", "二级指标", "单位", "二级指标权重",
                    "I级基准值", "II级基准值", "III级基准值")
METADATA = (
    ("代码", "code"),
    ("名称", "name"),
    ("发布部门", "issuers"),
    ("文号", "document_number"),
    ("年份", "year"),
    ("适用行业代码", "industries"),
    ("状态", "status"),
    ("来源文件", "file"),
    ("页码", "page"),
    ("来源说明", "note"),
)
RULE_COLUMNS = (("等级", 8), ("名称", 32), ("综合评价指数下限", 18), ("限定性指标须达到", 18))

KIND_LABELS = {QUALITATIVE: "定性", LOWER_BETTER: "定量（越低越好）", HIGHER_BETTER: "定量（越高越好）"}
KIND_BY_LABEL = {label: kind for kind, label in KIND_LABELS.items()} | {
    "定量(越低越好)": LOWER_BETTER,
    "定量(越高越好)": HIGHER_BETTER,
} | {kind: kind for kind in KIND_LABELS}
COMPARATORS = {LOWER_BETTER: "≤", HIGHER_BETTER: "≥"}
COMPARATOR_KIND = {"≤": LOWER_BETTER, "<=": LOWER_BETTER, "≦": LOWER_BETTER,
                   "≥": HIGHER_BETTER, ">=": HIGHER_BETTER, "≧": HIGHER_BETTER}
STATUS_BY_LABEL = {label: key for key, label in STATUSES.items()}
TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "*"}
FALSE_WORDS = {"", "否", "n", "no", "false", "0", "×"}

NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)"
BENCHMARK = re.compile(rf"(≤|<=|≦|≥|>=|≧)?\s*({NUMBER})")
SHARED_WEIGHT = re.compile(rf"({NUMBER})\s*/\s*([A-Za-z])")
#: "1." "2、" at the start or after whitespace, not followed by a digit (so "3.5" is no marker).
REQUIREMENT_MARKER = re.compile(r"(?<!\S)\d{1,2}[.．、](?!\d)")


def split_requirements(text: str) -> list[str]:
    """"1.甲 2.乙" or one requirement a line → ["甲", "乙"]; the numbering is dropped."""
    parts = [part for line in text.splitlines() for part in REQUIREMENT_MARKER.split(line)]
    return [part.strip() for part in parts if part.strip()]


def parse_benchmark(text: str):
    """"≤8" → ("≤", Decimal("8")); "8" → (None, Decimal("8")); anything else → None."""
    match = BENCHMARK.fullmatch(text.strip())
    return (match[1], Decimal(match[2])) if match else None


# --- writing ---------------------------------------------------------------------------------


def write(definition: dict) -> bytes:
    """The definition as an .xlsx workbook (two sheets: 指标体系, 评价规则)."""
    workbook = Workbook()
    _write_main(workbook.active, definition)
    _write_rules(workbook.create_sheet(RULES_SHEET), definition["level_rules"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _put(sheet, row, column, value, bold=False):
    cell = sheet.cell(row=row, column=column, value=None if value == "" else value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, not a formula
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    if bold:
        cell.font = Font(bold=True)
    return cell


def _text(value):
    """Decimals as their exact text; None as a blank cell."""
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def _write_main(sheet, definition):
    sheet.title = MAIN_SHEET
    last = len(COLUMNS)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    _put(sheet, 1, 1, definition["name"]).font = Font(bold=True, size=14)
    source = definition["source"]
    values = definition | source | {
        "industries": ", ".join(definition["industries"]),
        "status": STATUSES.get(definition["status"], definition["status"]),
    }
    for row, (label, key) in enumerate(METADATA, 2):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        sheet.merge_cells(start_row=row, start_column=3, end_row=row, end_column=last)
        _put(sheet, row, 1, label, bold=True)
        _put(sheet, row, 3, values[key])
        # Excel does not grow merged cells to fit; roughly 90 characters fit on a line across C:N.
        lines = str(values[key] or "").splitlines() or [""]
        sheet.row_dimensions[row].height = 15 * sum(len(line) // 90 + 1 for line in lines)
    header = len(METADATA) + 3  # one blank row between metadata and table
    for column, (label, _, width) in enumerate(COLUMNS, 1):
        _put(sheet, header, column, label, bold=True).alignment = Alignment(
            wrap_text=True, horizontal="center", vertical="center")
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(row=header + 1, column=1)
    row = header + 1
    for group in definition["groups"]:
        first = row
        for indicator in group["indicators"]:
            _write_indicator(sheet, row, indicator)
            row += 1
        _put(sheet, first, 2, group["name"])
        _put(sheet, first, 3, _text(group["weight"]))
        if row - first > 1:
            sheet.merge_cells(start_row=first, start_column=2, end_row=row - 1, end_column=2)
            sheet.merge_cells(start_row=first, start_column=3, end_row=row - 1, end_column=3)


def _write_indicator(sheet, row, indicator):
    kind = indicator["kind"]
    weight = _text(indicator["weight"])
    cells = {
        "seq": indicator["seq"],
        "name": ("*" if indicator["restrictive"] else "") + (indicator["name"] or ""),
        "unit": indicator["unit"],
        "weight": f"{weight}/{indicator['share']}" if indicator["share"] else weight,
        "kind": KIND_LABELS.get(kind, kind),
        "restrictive": "是" if indicator["restrictive"] else None,
        "water": "是" if indicator["water"] else None,
        "optional": "是" if indicator["optional"] else None,
        "footnotes": indicator["footnotes"],
    } | {level: _level_text(kind, indicator["levels"].get(level)) for level in LEVELS}
    for column, (_, key, _) in enumerate(COLUMNS, 1):
        if key in cells:
            _put(sheet, row, column, cells[key])


def _level_text(kind, value):
    if value is None:
        return None
    if isinstance(value, list):
        return "\n".join(f"{n}. {requirement}" for n, requirement in enumerate(value, 1))
    if isinstance(value, Decimal) and kind in COMPARATORS:
        return COMPARATORS[kind] + _text(value)
    return str(_text(value))


def _write_rules(sheet, rules):
    for column, (label, width) in enumerate(RULE_COLUMNS, 1):
        _put(sheet, 1, column, label, bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    for row, rule in enumerate(rules, 2):
        for column, key in enumerate(("level", "label", "min_index", "restrictive_level"), 1):
            _put(sheet, row, column, _text(rule[key]))


# --- reading ---------------------------------------------------------------------------------


def read(data: bytes) -> dict:
    """Read an .xlsx written by `write()` or typed by hand; FormatError when it cannot be read."""
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError) as exc:
        # SyntaxError: xml.etree's ParseError, for a zip whose parts are not valid XML
        raise FormatError("无法读取该文件：它不是有效的 .xlsx 工作簿（旧版 .xls 请在 Excel 中另存为 .xlsx）。") from exc
    sheet = workbook[MAIN_SHEET] if MAIN_SHEET in workbook.sheetnames else workbook.worksheets[0]
    rows = [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    header_index = next((n for n, row in enumerate(rows) if "序号" in row), None)
    if header_index is None:
        raise FormatError(f"工作表「{sheet.title}」中找不到表头行（以“序号”开头的一行）。")
    metadata = _read_metadata(rows[:header_index])
    columns = _columns(rows[header_index])
    return {
        "code": metadata.get("code", ""),
        "name": metadata.get("name", ""),
        "issuers": metadata.get("issuers", ""),
        "document_number": metadata.get("document_number", ""),
        "year": _year(metadata.get("year", "")),
        "industries": [code for code in re.split(r"[,，、;；\s]+", metadata.get("industries", "")) if code],
        "status": STATUS_BY_LABEL.get(metadata.get("status", ""), metadata.get("status", "")),
        "source": {key: metadata.get(key, "") for key in ("file", "page", "note")},
        "level_rules": _read_rules(workbook[RULES_SHEET]) if RULES_SHEET in workbook.sheetnames
        else copy.deepcopy(COMMON_LEVEL_RULES),
        "groups": _read_groups(rows, header_index, columns),
    }


def _cell(value):
    """Cell values as read: text stripped (blank → ""), floats through their shortest repr."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    return str(value)


def _is_integer(text):
    return re.fullmatch("[0-9]+", text) is not None


def _read_metadata(rows):
    labels = dict(METADATA)
    metadata = {}
    for row in rows:
        filled = [value for value in row if value != ""]
        if row and row[0] in labels:
            metadata[labels[row[0]]] = filled[1] if len(filled) > 1 else ""
    if _is_integer(metadata.get("industries", "")):
        metadata["industries"] = metadata["industries"].zfill(4)  # a number cell drops the leading 0
    return metadata


def _year(text):
    if text == "":
        return None
    return int(text) if _is_integer(text) else text


def _columns(header):
    columns = {label: n for n, label in enumerate(header) if label}
    missing = [label for label in REQUIRED_COLUMNS if label not in columns]
    if missing:
        raise FormatError(f"表头缺少列：{'、'.join(missing)}。")
    return {key: columns.get(label) for label, key, _ in COLUMNS}


def _number(text):
    """"0.33" → Decimal("0.33"); other text is kept as it is, for validation to report."""
    if text == "":
        return None
    return Decimal(text) if re.fullmatch(NUMBER, text) else text


def _read_groups(rows, header_index, columns):
    groups = []
    for sheet_row, row in enumerate(rows[header_index + 1:], header_index + 2):
        cells = {key: (row[n] if n is not None and n < len(row) else "") for key, n in columns.items()}
        if not any(cells.values()):
            continue
        indicator = _read_indicator(cells, sheet_row)
        where = _where(indicator, sheet_row)
        weight = _number(cells["group_weight"])
        if cells["group_name"] and (not groups or cells["group_name"] != groups[-1]["name"]):
            groups.append({"name": cells["group_name"], "weight": weight, "indicators": []})
        elif not groups:
            raise FormatError(f"{where}：缺少一级指标名称。")
        elif weight is not None and weight != groups[-1]["weight"]:
            raise FormatError(f"{where}：一级指标权重「{cells['group_weight']}」与上方"
                              f"「{groups[-1]['name']}」的权重不一致。")
        groups[-1]["indicators"].append(indicator)
    return groups


def _where(indicator, sheet_row):
    """Like validation.row_label; a row without 序号 is named by its row in the sheet."""
    name = indicator["name"] or "未命名"
    if isinstance(indicator["seq"], int):
        return f"第 {indicator['seq']} 行（{name}）"
    if indicator["seq"] is None:
        return f"工作表第 {sheet_row} 行（{name}）"
    return f"序号为「{indicator['seq']}」的指标（{name}）"


def _read_indicator(cells, sheet_row):
    name = cells["name"]
    starred = name[:1] in ("*", "＊")
    seq = cells["seq"]
    indicator = {"seq": int(seq) if _is_integer(seq) else seq or None, "name": name[1:].strip() if starred else name}
    where = _where(indicator, sheet_row)
    restrictive = _flag(cells["restrictive"], "限定性指标", where) or starred
    weight, share = cells["weight"], ""
    shared = SHARED_WEIGHT.fullmatch(weight)
    if shared:
        weight, share = shared[1], shared[2]
    kind = _kind(cells, where)
    return indicator | {
        "unit": cells["unit"],
        "kind": kind,
        "weight": _number(weight),
        "share": share,
        "levels": {level: _read_level(kind, cells[level], level, where) for level in LEVELS},
        "restrictive": restrictive,
        "water": _flag(cells["water"], "涉水指标", where),
        # A shared weight ("0.8/n") is spread over the indicators that apply: each may not apply.
        "optional": _flag(cells["optional"], "可不适用", where) or bool(share),
        "footnotes": cells["footnotes"],
    }


def _flag(text, column, where):
    if text.lower() in TRUE_WORDS:
        return True
    if text.lower() in FALSE_WORDS:
        return False
    raise FormatError(f"{where}：「{column}」列的「{text}」无法识别，请填“是”或留空。")


def _kind(cells, where):
    text = cells["kind"]
    if text:
        if text not in KIND_BY_LABEL:
            raise FormatError(f"{where}：指标类型「{text}」无法识别，请填 {'、'.join(KIND_LABELS.values())} 之一。")
        return KIND_BY_LABEL[text]
    filled = [cells[level] for level in LEVELS if cells[level]]
    parsed = [parse_benchmark(text) for text in filled]
    kinds = {COMPARATOR_KIND[p[0]] for p in parsed if p and p[0]}
    if len(kinds) == 1:
        return kinds.pop()
    if not kinds and any(p is None for p in parsed):
        return QUALITATIVE
    raise FormatError(f"{where}：无法从基准值判断指标类型，请填写“指标类型”列"
                      f"（{'、'.join(KIND_LABELS.values())}）。")


def _read_level(kind, text, level, where):
    if text == "":
        return None
    if kind == QUALITATIVE:
        return split_requirements(text)
    parsed = parse_benchmark(text)
    if parsed is None:
        return text  # not a number: validation names it
    comparator, value = parsed
    if comparator and COMPARATOR_KIND[comparator] != kind:
        raise FormatError(f"{where}：{level}级基准值「{text}」与指标类型「{KIND_LABELS[kind]}」矛盾"
                          f"（应为“{COMPARATORS[kind]}”）。")
    return value


def _read_rules(sheet):
    rules = []
    for row in sheet.iter_rows(min_row=2, values_only=True):
        level, label, min_index, restrictive = ([_cell(value) for value in row] + [""] * 4)[:4]
        if not any((level, label, min_index, restrictive)):
            continue
        rules.append({
            "level": level.removesuffix("级"),
            "label": label,
            "min_index": _number(min_index),
            "restrictive_level": restrictive.removesuffix("级") or None,
        })
    return rules
