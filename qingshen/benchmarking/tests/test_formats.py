"""YAML and .xlsx formats of indicator systems: exact round trips, the official-table layout, a
workbook typed by hand, and the files that are refused. Every value here is made up."""

import copy
import io
import re
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from qingshen.benchmarking.definition import COMMON_LEVEL_RULES
from qingshen.benchmarking.formats import FormatError, xlsx_format, yaml_format


def made_up_definition() -> dict:
    """A complete, verified, entirely made-up system touching every feature of the formats."""
    return {
        "code": "made-up-system",
        "name": "虚构行业清洁生产评价指标体系（测试用）",
        "issuers": "虚构发布部门",
        "document_number": "虚构〔2020〕1号",
        "year": 2020,
        "industries": ["3360", "0111"],
        "status": "verified",
        "source": {"file": "made_up.pdf", "page": "第 3 页 表1", "note": "虚构数值，仅用于测试。\n第二行说明。"},
        "level_rules": [
            {"level": "I", "label": "I级（虚构）", "min_index": Decimal("90"), "restrictive_level": "I"},
            {"level": "II", "label": "II级（虚构）", "min_index": Decimal("80.5"), "restrictive_level": "II"},
            {"level": "III", "label": "III级（虚构）", "min_index": Decimal("60"), "restrictive_level": None},
        ],
        "groups": [
            {"name": "虚构工艺指标", "weight": Decimal("0.3"), "indicators": [
                {"seq": 1, "name": "虚构工艺要求", "unit": "", "kind": "qualitative", "weight": Decimal("0.6"),
                 "share": "", "levels": {"I": ["虚构要求甲", "虚构要求乙，达到 1.5 倍"], "II": ["虚构要求甲"],
                                        "III": ["1.5倍以上的虚构要求"]},
                 "restrictive": False, "water": False, "optional": False, "footnotes": "①虚构脚注"},
                {"seq": 2, "name": "虚构限定性要求", "unit": "", "kind": "qualitative", "weight": Decimal("0.40"),
                 "share": "", "levels": {"I": ["甲"], "II": ["乙"], "III": ["丙"]},
                 "restrictive": True, "water": False, "optional": False, "footnotes": ""},
            ]},
            {"name": "虚构资源指标", "weight": Decimal("0.45"), "indicators": [
                {"seq": 3, "name": "虚构取水量", "unit": "m3/t", "kind": "lower_better", "weight": Decimal("0.5"),
                 "share": "", "levels": {"I": Decimal("1.25"), "II": Decimal("2"), "III": Decimal("3.5")},
                 "restrictive": True, "water": True, "optional": False, "footnotes": ""},
                {"seq": 4, "name": "虚构回用率", "unit": "%", "kind": "higher_better", "weight": Decimal("0.5"),
                 "share": "", "levels": {"I": Decimal("90"), "II": Decimal("85"), "III": Decimal("80")},
                 "restrictive": False, "water": True, "optional": True, "footnotes": ""},
            ]},
            {"name": "虚构综合利用指标", "weight": Decimal("0.25"), "indicators": [
                {"seq": 5, "name": "虚构甲利用率", "unit": "%", "kind": "higher_better", "weight": Decimal("0.7"),
                 "share": "n", "levels": {"I": Decimal("95"), "II": Decimal("90"), "III": Decimal("85")},
                 "restrictive": False, "water": False, "optional": True, "footnotes": "④"},
                {"seq": 6, "name": "虚构乙利用率", "unit": "%", "kind": "higher_better", "weight": Decimal("0.7"),
                 "share": "n", "levels": {"I": Decimal("98"), "II": Decimal("95"), "III": Decimal("90")},
                 "restrictive": False, "water": False, "optional": True, "footnotes": "④"},
                {"seq": 7, "name": "虚构排放量", "unit": "kg/t", "kind": "lower_better", "weight": Decimal("0.3"),
                 "share": "", "levels": {"I": Decimal("0.05"), "II": Decimal("0.1"), "III": Decimal("0.1")},
                 "restrictive": False, "water": False, "optional": False, "footnotes": "=见原表注"},
            ]},
        ],
    }


def _exactly(value):
    """Decimals with their exact digits, so Decimal("0.40") and Decimal("0.4") differ."""
    if isinstance(value, dict):
        return {key: _exactly(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_exactly(item) for item in value]
    if isinstance(value, Decimal):
        return ("Decimal", str(value))
    return value


# --- YAML ------------------------------------------------------------------------------------


def test_yaml_round_trip_is_exact():
    definition = made_up_definition()
    assert _exactly(yaml_format.load(yaml_format.dump(definition))) == _exactly(definition)


def test_yaml_document_starts_with_format_and_writes_plain_numbers():
    text = yaml_format.dump(made_up_definition())
    assert text.startswith("format: qingshen-indicator-system/1\ncode: made-up-system\n")
    assert "  weight: 0.45\n" in text
    assert "      I: 1.25\n" in text
    assert "  min_index: 80.5\n" in text
    assert "虚构工艺要求" in text  # Chinese kept readable, not \u-escaped


def test_yaml_numbers_are_read_as_decimal_from_their_text():
    text = """format: qingshen-indicator-system/1
code: made-up
name: 虚构
industries: ['3360']
status: draft
groups:
- name: 虚构组
  weight: 0.33
  indicators:
  - {seq: 1, name: 虚构, unit: '%', kind: higher_better, weight: 1, levels: {I: 0.1, II: 7, III: 1_000.5}}
"""
    group = yaml_format.load(text)["groups"][0]
    indicator = group["indicators"][0]
    assert _exactly([group["weight"], indicator["weight"], *indicator["levels"].values()]) == [
        ("Decimal", "0.33"), ("Decimal", "1"), ("Decimal", "0.1"), ("Decimal", "7"), ("Decimal", "1000.5")]


def test_yaml_fills_optional_keys_with_their_defaults():
    text = """format: qingshen-indicator-system/1
code: made-up
name: 虚构
industries: ['3360']
status: draft
groups:
- name: 虚构组
  weight: 1
  indicators:
  - {seq: 1, name: 虚构, kind: qualitative, weight: 1, levels: {I: [甲]}}
"""
    definition = yaml_format.load(text)
    assert definition["level_rules"] == COMMON_LEVEL_RULES
    assert definition["level_rules"] is not COMMON_LEVEL_RULES
    assert (definition["issuers"], definition["document_number"], definition["year"]) == ("", "", None)
    assert definition["source"] == {"file": "", "page": "", "note": ""}
    assert definition["groups"][0]["indicators"][0] == {
        "seq": 1, "name": "虚构", "unit": "", "kind": "qualitative", "weight": Decimal(1), "share": "",
        "levels": {"I": ["甲"], "II": None, "III": None},
        "restrictive": False, "water": False, "optional": False, "footnotes": ""}


@pytest.mark.parametrize(("text", "message"), [
    ("format: qingshen-indicator-system/2\ncode: x\n", "不支持的格式「qingshen-indicator-system/2」"),
    ("code: x\nname: 虚构\n", "缺少首行 format: qingshen-indicator-system/1"),
    ("- format: qingshen-indicator-system/1\n", "内容须为一组“键: 值”"),
    ("just a string\n", "内容须为一组“键: 值”"),
    ("", "内容须为一组“键: 值”"),
    ("format: qingshen-indicator-system/1\ncode: [unclosed\n", "格式有误"),
    ("format: qingshen-indicator-system/1\nindicaters: []\n", "文件顶层有无法识别的字段：indicaters"),
    ("format: qingshen-indicator-system/1\ngroups: 虚构\n", "groups（一级指标）须为列表"),
    ("format: qingshen-indicator-system/1\ngroups: [虚构]\n", "第 1 个一级指标须为一组“键: 值”"),
    ("format: qingshen-indicator-system/1\ngroups:\n- name: 虚构组\n  indicators:\n"
     "  - {seq: 3, name: 虚构, wieght: 1}\n", "第 3 行（虚构）有无法识别的字段：wieght"),
    ("format: qingshen-indicator-system/1\ngroups:\n- name: 虚构组\n  indicators:\n"
     "  - {seq: 3, name: 虚构, levels: {IV: 1}}\n", "第 3 行（虚构）的 levels（基准值）有无法识别的字段：IV"),
])
def test_yaml_that_is_not_an_indicator_system_is_refused(text, message):
    with pytest.raises(FormatError, match=re.escape(message)):
        yaml_format.load(text)


# --- .xlsx -----------------------------------------------------------------------------------


def test_xlsx_round_trip_is_exact():
    definition = made_up_definition()
    assert _exactly(xlsx_format.read(xlsx_format.write(definition))) == _exactly(definition)


def _main_sheet(definition):
    workbook = load_workbook(io.BytesIO(xlsx_format.write(definition)))
    return workbook, workbook["指标体系"]


def _table(sheet):
    """{seq: {header: value}} of the indicator table."""
    rows = list(sheet.iter_rows(values_only=True))
    start = next(n for n, row in enumerate(rows) if row[0] == "序号")
    return {row[0]: dict(zip(rows[start], row, strict=True)) for row in rows[start + 1:]}


def test_xlsx_main_sheet_looks_like_the_official_table():
    workbook, sheet = _main_sheet(made_up_definition())
    assert sheet["A1"].value == "虚构行业清洁生产评价指标体系（测试用）"
    labels = {row[0]: row[2] for row in sheet.iter_rows(min_row=2, max_row=11, values_only=True)}
    assert labels == {
        "代码": "made-up-system", "名称": "虚构行业清洁生产评价指标体系（测试用）", "发布部门": "虚构发布部门",
        "文号": "虚构〔2020〕1号", "年份": 2020, "适用行业代码": "3360, 0111", "状态": "已核对",
        "来源文件": "made_up.pdf", "页码": "第 3 页 表1", "来源说明": "虚构数值，仅用于测试。\n第二行说明。"}
    table = _table(sheet)
    assert list(table[1]) == ["序号", "一级指标", "一级指标权重", "二级指标", "单位", "二级指标权重", "指标类型",
                              "I级基准值", "II级基准值", "III级基准值", "限定性指标", "涉水指标", "可不适用", "脚注"]
    assert table[1]["I级基准值"] == "1. 虚构要求甲\n2. 虚构要求乙，达到 1.5 倍"
    assert table[1]["指标类型"] == "定性"
    assert table[2]["二级指标"] == "*虚构限定性要求"
    assert (table[2]["限定性指标"], table[1]["限定性指标"]) == ("是", None)
    assert [table[3][key] for key in ("一级指标", "一级指标权重", "指标类型", "I级基准值", "III级基准值", "涉水指标")] == [
        "虚构资源指标", "0.45", "定量（越低越好）", "≤1.25", "≤3.5", "是"]
    assert [table[5][key] for key in ("二级指标权重", "指标类型", "II级基准值", "可不适用")] == [
        "0.7/n", "定量（越高越好）", "≥90", "是"]
    assert sheet["N" + str(next(c.row for c in sheet["A"] if c.value == 7))].data_type == "s"  # "=…" is text


def test_xlsx_first_level_cells_are_merged_over_their_indicators():
    workbook, sheet = _main_sheet(made_up_definition())
    header = next(cell.row for cell in sheet["A"] if cell.value == "序号")
    merged = {str(cell_range) for cell_range in sheet.merged_cells.ranges}
    first = header + 1
    assert {f"B{first}:B{first + 1}", f"C{first}:C{first + 1}", f"B{first + 2}:B{first + 3}",
            f"B{first + 4}:B{first + 6}", f"C{first + 4}:C{first + 6}"} <= merged
    assert sheet.cell(row=header, column=1).font.bold
    assert sheet.cell(row=first, column=8).alignment.wrap_text
    assert sheet.column_dimensions["H"].width > sheet.column_dimensions["A"].width


def test_xlsx_rules_sheet():
    workbook, _ = _main_sheet(made_up_definition())
    assert list(workbook["评价规则"].iter_rows(values_only=True)) == [
        ("等级", "名称", "综合评价指数下限", "限定性指标须达到"),
        ("I", "I级（虚构）", "90", "I"),
        ("II", "II级（虚构）", "80.5", "II"),
        ("III", "III级（虚构）", "60", None),
    ]


HEADER = ["序号", "一级指标", "一级指标权重", "二级指标", "单位", "二级指标权重", "指标类型",
          "I级基准值", "II级基准值", "III级基准值", "限定性指标", "涉水指标", "可不适用", "脚注"]


def _hand_written(rows, metadata=(("代码", "made-up-hand"), ("名称", "虚构手填表")), merges=(), header=HEADER):
    """A workbook as an administrator would type it: values in column B, numbers as numbers."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["虚构手填表"])
    for label, value in metadata:
        sheet.append([label, value])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_reading_a_workbook_typed_by_hand():
    data = _hand_written(
        metadata=(("代码", "made-up-hand"), ("名称", "虚构手填表"), ("年份", 2019), ("适用行业代码", 111),
                  ("状态", "草稿"), ("来源说明", "虚构")),
        rows=[
            [1, "虚构工艺指标", 0.33, "虚构工艺", None, 0.15, None,
             "1.虚构甲 2.虚构乙 3.达到 3.5 倍", "1、虚构甲\n虚构乙", None],
            [2, None, None, "*虚构限定", None, 0.85, None, "虚构单条要求", None, None],
            [3, "虚构资源指标", 0.1, "*虚构取水量", "L/m2", 1, None, "≤8", "<=24", 40],
            [4, "虚构利用指标", 0.18, "虚构甲利用率", "%", "0.8/n", None, "≥82", ">= 80", "≥75", None, None, None, "④"],
            [5, None, None, "虚构乙利用率", "%", "0.8/n", "定量（越高越好）", 90, 80, 75],
        ],
        merges=("B9:B10", "C9:C10", "B12:B13", "C12:C13"))
    definition = xlsx_format.read(data)
    assert (definition["code"], definition["name"], definition["year"], definition["industries"],
            definition["status"], definition["source"]) == (
        "made-up-hand", "虚构手填表", 2019, ["0111"], "draft", {"file": "", "page": "", "note": "虚构"})
    assert definition["level_rules"] == COMMON_LEVEL_RULES  # no 评价规则 sheet: the common rule
    blank = {"unit": "", "share": "", "restrictive": False, "water": False, "optional": False, "footnotes": ""}
    assert _exactly(definition["groups"]) == _exactly([
        {"name": "虚构工艺指标", "weight": Decimal("0.33"), "indicators": [
            blank | {"seq": 1, "name": "虚构工艺", "kind": "qualitative", "weight": Decimal("0.15"),
                     "levels": {"I": ["虚构甲", "虚构乙", "达到 3.5 倍"], "II": ["虚构甲", "虚构乙"], "III": None}},
            blank | {"seq": 2, "name": "虚构限定", "kind": "qualitative", "weight": Decimal("0.85"),
                     "levels": {"I": ["虚构单条要求"], "II": None, "III": None}, "restrictive": True},
        ]},
        {"name": "虚构资源指标", "weight": Decimal("0.1"), "indicators": [
            blank | {"seq": 3, "name": "虚构取水量", "unit": "L/m2", "kind": "lower_better", "weight": Decimal("1"),
                     "levels": {"I": Decimal("8"), "II": Decimal("24"), "III": Decimal("40")}, "restrictive": True},
        ]},
        {"name": "虚构利用指标", "weight": Decimal("0.18"), "indicators": [
            blank | {"seq": 4, "name": "虚构甲利用率", "unit": "%", "kind": "higher_better", "weight": Decimal("0.8"),
                     "share": "n", "optional": True, "footnotes": "④",
                     "levels": {"I": Decimal("82"), "II": Decimal("80"), "III": Decimal("75")}},
            blank | {"seq": 5, "name": "虚构乙利用率", "unit": "%", "kind": "higher_better", "weight": Decimal("0.8"),
                     "share": "n", "optional": True,
                     "levels": {"I": Decimal("90"), "II": Decimal("80"), "III": Decimal("75")}},
        ]},
    ])


def test_repeated_first_level_names_continue_the_group():
    data = _hand_written(rows=[
        [1, "虚构组", "0.5", "虚构甲", "%", "0.5", None, "≥9"],
        [2, "虚构组", "0.5", "虚构乙", "%", "0.5", None, "≥8"],
        [3, "虚构另一组", "0.5", "虚构丙", "%", "1", None, "≥7"],
    ])
    groups = xlsx_format.read(data)["groups"]
    assert [(group["name"], [i["seq"] for i in group["indicators"]]) for group in groups] == [
        ("虚构组", [1, 2]), ("虚构另一组", [3])]


def test_wrong_values_are_kept_for_validation_to_report():
    data = _hand_written(rows=[[1, "虚构组", "很多", "虚构甲", "%", "约一半", None, "≥9", "见说明"]])
    group = xlsx_format.read(data)["groups"][0]
    indicator = group["indicators"][0]
    assert group["weight"] == "很多"
    assert (indicator["weight"], indicator["levels"]["II"]) == ("约一半", "见说明")


def _zip_of_text():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "虚构")
    return buffer.getvalue()


@pytest.mark.parametrize(("data", "message"), [
    (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n", "不是有效的 .xlsx 工作簿"),
    (_zip_of_text(), "不是有效的 .xlsx 工作簿"),
    (b"", "不是有效的 .xlsx 工作簿"),
    (_hand_written(rows=[], header=["编号", "名称"]), "找不到表头行"),
    (_hand_written(rows=[], header=["序号", "一级指标", "二级指标"]), "表头缺少列：一级指标权重、单位、二级指标权重"),
    (_hand_written(rows=[[5, "虚构组", 1, "虚构取水量", "L/m2", 1, "定量（越低越好）", "≤8", "≥24"]]),
     "第 5 行（虚构取水量）：II级基准值「≥24」与指标类型「定量（越低越好）」矛盾"),
    (_hand_written(rows=[[5, "虚构组", 1, "虚构取水量", "L/m2", 1, None, "≤8", "≥24"]]),
     "第 5 行（虚构取水量）：无法从基准值判断指标类型"),
    (_hand_written(rows=[[5, "虚构组", 1, "虚构取水量", "L/m2", 1, None, "8", "24"]]),
     "第 5 行（虚构取水量）：无法从基准值判断指标类型"),
    (_hand_written(rows=[[5, "虚构组", 1, "虚构取水量", "L/m2", 1, "越低越好", "≤8"]]),
     "第 5 行（虚构取水量）：指标类型「越低越好」无法识别"),
    (_hand_written(rows=[[5, "虚构组", 1, "虚构取水量", "L/m2", 1, None, "≤8", None, None, "可能"]]),
     "第 5 行（虚构取水量）：「限定性指标」列的「可能」无法识别"),
    (_hand_written(rows=[[5, None, None, "虚构取水量", "L/m2", 1, None, "≤8"]]),
     "第 5 行（虚构取水量）：缺少一级指标名称"),
    (_hand_written(rows=[[None, None, None, "虚构取水量", "L/m2", 1, None, "≤8"]]),
     "工作表第 5 行（虚构取水量）：缺少一级指标名称"),
    (_hand_written(rows=[[1, "虚构组", 0.5, "虚构甲", "%", 1, None, "≥9"], [2, None, 0.4, "虚构乙", "%", 1, None, "≥8"]]),
     "第 2 行（虚构乙）：一级指标权重「0.4」与上方「虚构组」的权重不一致"),
])
def test_unreadable_workbooks_are_refused(data, message):
    with pytest.raises(FormatError, match=re.escape(message)):
        xlsx_format.read(data)


@pytest.mark.parametrize(("text", "requirements"), [
    ("1.甲 2.乙 3.丙", ["甲", "乙", "丙"]),
    ("1. 甲\n2. 乙", ["甲", "乙"]),
    ("1、甲 2．乙", ["甲", "乙"]),
    ("甲\n\n乙", ["甲", "乙"]),
    ("单条要求，含 70% 与 3.5 倍", ["单条要求，含 70% 与 3.5 倍"]),
    ("1. 1.5倍以上", ["1.5倍以上"]),
    ("镀镍、锌溶液连续过滤", ["镀镍、锌溶液连续过滤"]),
])
def test_split_requirements(text, requirements):
    assert xlsx_format.split_requirements(text) == requirements


@pytest.mark.parametrize(("text", "parsed"), [
    ("≤8", ("≤", Decimal("8"))),
    ("<= 8", ("<=", Decimal("8"))),
    ("≥82.5", ("≥", Decimal("82.5"))),
    ("8", (None, Decimal("8"))),
    ("≤8%", None),
    ("见说明", None),
])
def test_parse_benchmark(text, parsed):
    assert xlsx_format.parse_benchmark(text) == parsed


def test_writers_leave_the_definition_unchanged():
    """The writers do not change the definition they are given."""
    definition = made_up_definition()
    before = copy.deepcopy(definition)
    yaml_format.dump(definition)
    xlsx_format.write(definition)
    assert _exactly(definition) == _exactly(before)
