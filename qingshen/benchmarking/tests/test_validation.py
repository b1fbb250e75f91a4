"""validate(): each error and warning, with its message naming the row, group or field.

Each case breaks one thing in the made-up verified system and expects exactly that message."""

from decimal import Decimal

import pytest

from qingshen.benchmarking.formats.validation import Report, row_label, validate
from qingshen.benchmarking.tests.test_formats import made_up_definition


def _indicator(definition, seq):
    return next(i for group in definition["groups"] for i in group["indicators"] if i["seq"] == seq)


def _set(seq, key, value):
    def change(definition):
        _indicator(definition, seq)[key] = value
    return change


def _set_level(seq, level, value):
    def change(definition):
        _indicator(definition, seq)["levels"][level] = value
    return change


def _set_top(key, value):
    def change(definition):
        definition[key] = value
    return change


def _set_group(n, key, value):
    def change(definition):
        definition["groups"][n][key] = value
    return change


def _set_rule(n, key, value):
    def change(definition):
        definition["level_rules"][n][key] = value
    return change


def _duplicate_seq(definition):
    _indicator(definition, 4)["seq"] = 3


def _swap_rules(definition):
    rules = definition["level_rules"]
    rules[0], rules[1] = rules[1], rules[0]


def _drop_rule(definition):
    definition["level_rules"].pop()


def test_the_made_up_system_is_valid():
    report = validate(made_up_definition())
    assert (report.errors, report.warnings, report.ok) == ([], [], True)


@pytest.mark.parametrize(("change", "message"), [
    (_set_top("name", ""), "缺少指标体系名称（名称）。"),
    (_set_top("code", None), "缺少代码。"),
    (_set_top("code", "Made_Up"), "代码「Made_Up」无效：只能使用小写字母、数字和连字符（-）。"),
    (_set_top("status", "done"), "状态「done」无效：须为 草稿（draft）、不完整（incomplete）或 已核对（verified）。"),
    (_set_top("industries", []), "缺少适用行业代码（GB/T 4754-2017 行业小类，4 位数字）。"),
    (_set_top("industries", ["3360", "336"]), "适用行业代码「336」无效：须为 4 位数字（GB/T 4754-2017 行业小类）。"),
    (_set_top("industries", ["C336"]), "适用行业代码「C336」无效：须为 4 位数字（GB/T 4754-2017 行业小类）。"),
    (_set_top("year", "二〇二〇"), "年份「二〇二〇」无效：须为四位年份或留空。"),
    (_set_top("groups", []), "指标体系没有一级指标。"),
    (_set_group(0, "name", ""), "第 1 个一级指标缺少名称。"),
    (_set_group(1, "name", "虚构工艺指标"), "一级指标「虚构工艺指标」出现了不止一次。"),
    (_set_group(1, "weight", "0.45"), "一级指标「虚构资源指标」：一级指标权重须为正数（现为「0.45」）。"),
    (_set_group(1, "weight", Decimal("-0.45")), "一级指标「虚构资源指标」：一级指标权重须为正数（现为「-0.45」）。"),
    (_set_group(1, "indicators", []), "一级指标「虚构资源指标」下没有二级指标。"),
    (_duplicate_seq, "第 3 行（虚构回用率）：序号 3 重复（已用于“虚构取水量”）。"),
    (_set(3, "seq", None), "序号为空的指标（虚构取水量）：序号须为正整数。"),
    (_set(3, "seq", "3a"), "序号为「3a」的指标（虚构取水量）：序号须为正整数。"),
    (_set(3, "seq", 0), "序号为「0」的指标（虚构取水量）：序号须为正整数。"),
    (_set(3, "name", " "), "第 3 行（未命名）：缺少二级指标名称。"),
    (_set(3, "name", None), "第 3 行（未命名）：缺少二级指标名称。"),
    (_set(3, "kind", "lower"), "第 3 行（虚构取水量）：指标类型「lower」无效：须为 qualitative（定性）、"
                               "lower_better（定量，越低越好）或 higher_better（定量，越高越好）。"),
    (_set(3, "weight", Decimal("0")), "第 3 行（虚构取水量）：二级指标权重须为正数（现为「0」）。"),
    (_set(3, "weight", 0.5), "第 3 行（虚构取水量）：二级指标权重须为正数（现为「0.5」）。"),
    (_set(3, "weight", "约一半"), "第 3 行（虚构取水量）：二级指标权重须为正数（现为「约一半」）。"),
    (_set(5, "share", "nn"), "第 5 行（虚构甲利用率）：共用权重的字母「nn」无效：须为一个英文字母（如 0.8/n 中的 n）。"),
    (_set(5, "optional", False), "第 5 行（虚构甲利用率）：共用权重（n）的指标须标为“可不适用”。"),
    (_set(5, "weight", Decimal("0.6")), "一级指标「虚构综合利用指标」：共用权重 n 的各二级指标权重须相同（现为 0.6、0.7）。"),
    (_set(3, "water", "是"), "第 3 行（虚构取水量）：“涉水指标”须为 是/否（true/false），现为「是」。"),
    (_set(3, "unit", ""), "第 3 行（虚构取水量）：定量指标须填写单位。"),
    (_set_level(3, "II", "见说明"), "第 3 行（虚构取水量）：II级基准值「见说明」不是数值。"),
    (_set_level(3, "II", ["2"]), "第 3 行（虚构取水量）：II级基准值「['2']」不是数值。"),
    (_set_level(3, "II", Decimal("NaN")), "第 3 行（虚构取水量）：II级基准值「NaN」不是数值。"),
    (_set_level(3, "III", Decimal("1.5")), "第 3 行（虚构取水量）：基准值顺序有误：越低越好的指标须 I级 ≤ II级 ≤ III级。"),
    (_set_level(4, "I", Decimal("84")), "第 4 行（虚构回用率）：基准值顺序有误：越高越好的指标须 I级 ≥ II级 ≥ III级。"),
    (_set_level(1, "II", []), "第 1 行（虚构工艺要求）：II级要求须为一条或多条非空文字（现为「[]」）。"),
    (_set_level(1, "II", "虚构要求甲"), "第 1 行（虚构工艺要求）：II级要求须为一条或多条非空文字（现为「虚构要求甲」）。"),
    (_set_level(1, "II", ["甲", " "]), "第 1 行（虚构工艺要求）：II级要求须为一条或多条非空文字（现为「['甲', ' ']」）。"),
    (_set_level(1, "II", ["甲 2.乙"]), "第 1 行（虚构工艺要求）：II级要求「甲 2.乙」含换行或“1.”式编号，请拆成多条。"),
    (_set_level(1, "II", ["甲\n乙"]), "第 1 行（虚构工艺要求）：II级要求「甲\n乙」含换行或“1.”式编号，请拆成多条。"),
    (_swap_rules, "评价规则须依次为 I、II、III 三个等级，每级一行。"),
    (_drop_rule, "评价规则须依次为 I、II、III 三个等级，每级一行。"),
    (_set_rule(1, "label", ""), "评价规则「II」：缺少名称。"),
    (_set_rule(1, "min_index", Decimal("101")), "评价规则「II」：综合评价指数下限须为 0–100 之间的数值（现为「101」）。"),
    (_set_rule(1, "min_index", None), "评价规则「II」：综合评价指数下限须为 0–100 之间的数值（现为「None」）。"),
    (_set_rule(2, "restrictive_level", "IV"), "评价规则「III」：限定性指标须达到的等级「IV」无效：须为 I、II、III 或留空。"),
])
def test_each_error_names_where_it_is(change, message):
    definition = made_up_definition()
    change(definition)
    report = validate(definition)
    assert message in report.errors
    assert not report.ok


def test_an_order_check_skips_levels_not_given():
    definition = made_up_definition()
    definition["status"] = "draft"
    _indicator(definition, 3)["levels"] = {"I": Decimal("1"), "II": None, "III": Decimal("3")}
    assert validate(definition).errors == []


def _unbalanced(definition):
    definition["groups"][1]["weight"] = Decimal("0.35")  # first-level total 0.9
    _indicator(definition, 7)["weight"] = Decimal("0.2")  # 0.7 (n, once) + 0.2 = 0.9
    _indicator(definition, 1)["levels"]["III"] = None
    _indicator(definition, 4)["levels"]["I"] = None


GAPS = [
    "一级指标「虚构综合利用指标」的二级指标权重合计 0.9，不等于 1{note}。",
    "一级指标权重合计 0.9，不等于 1{note}。",
    "第 1 行（虚构工艺要求）：缺少 III级基准值{note}。",
    "第 4 行（虚构回用率）：缺少 I级基准值{note}。",
]


@pytest.mark.parametrize(("status", "note"), [("incomplete", "（指标体系不完整）"), ("draft", "（草稿）")])
def test_gaps_are_warnings_for_an_unfinished_system(status, note):
    definition = made_up_definition()
    _unbalanced(definition)
    definition["status"] = status
    report = validate(definition)
    assert report.errors == []
    assert report.ok
    assert sorted(report.warnings) == sorted(message.format(note=note) for message in GAPS)


def test_gaps_are_errors_for_a_verified_system():
    definition = made_up_definition()
    _unbalanced(definition)
    report = validate(definition)
    assert sorted(report.errors) == sorted(message.format(note="") for message in GAPS)
    assert report.warnings == []


def test_a_shared_weight_counts_once_in_its_group():
    definition = made_up_definition()
    group = definition["groups"][2]
    group["indicators"].append(_indicator(definition, 6) | {"seq": 8, "name": "虚构丙利用率"})
    assert validate(definition).errors == []


def test_row_label():
    assert row_label({"seq": 5, "name": "单位产品每次清洗取水量"}) == "第 5 行（单位产品每次清洗取水量）"
    assert row_label({"seq": None, "name": ""}) == "序号为空的指标（未命名）"
    assert row_label({"seq": "五", "name": "虚构"}) == "序号为「五」的指标（虚构）"


def test_report_ok_follows_errors_only():
    assert Report(warnings=["虚构警告。"]).ok
    assert not Report(errors=["虚构错误。"]).ok
