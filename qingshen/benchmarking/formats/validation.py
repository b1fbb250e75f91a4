"""The checks an indicator system must pass before it is saved: `validate(definition) -> Report`.

Every message is Chinese and names where the problem is: an indicator as "第 N 行（名称）" (N is
its 序号, the number printed in the official table), a first-level indicator by its name, the
system's fields by their labels. Readers keep wrong values as they are, so all problems of a
table are listed at once here rather than one per upload.

Gaps that an unfinished table is allowed to have – weights that do not add up to 1 because rows
are missing, benchmark values not yet known – are warnings for 草稿/不完整 and errors for 已核对:
a verified system is scored, and a gap would silently change results.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from qingshen.benchmarking.definition import (
    HIGHER_BETTER,
    KINDS,
    LEVEL_LABELS,
    LEVELS,
    LOWER_BETTER,
    QUALITATIVE,
    STATUSES,
)
from qingshen.benchmarking.formats.xlsx_format import REQUIREMENT_MARKER

CODE = re.compile(r"[a-z0-9-]+")
INDUSTRY = re.compile(r"[0-9]{4}")
SHARE = re.compile(r"[A-Za-z]")
GAP_NOTE = {"incomplete": "（指标体系不完整）", "draft": "（草稿）"}
KIND_NAMES = "qualitative（定性）、lower_better（定量，越低越好）或 higher_better（定量，越高越好）"


@dataclass
class Report:
    """Chinese messages: errors block saving, warnings are shown alongside."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def validate(definition: dict) -> Report:
    """Every problem of the definition at once; it may hold wrong values of any type (as read)."""
    report = Report()
    _check_system(definition, report)
    _check_level_rules(definition.get("level_rules"), report)
    groups = definition.get("groups") or []
    if not groups:
        report.errors.append("指标体系没有一级指标。")
    strict = definition.get("status") == "verified"
    note = GAP_NOTE.get(definition.get("status"), "")
    # A gap (weights not adding up, a level value missing): an error once verified, else a warning.
    gap = report.errors.append if strict else lambda message: report.warnings.append(message[:-1] + note + "。")
    _check_groups(groups, report, gap)
    seen = {}
    for indicator in (indicator for group in groups for indicator in group.get("indicators") or []):
        _check_indicator(indicator, report, gap)
        seq = indicator.get("seq")
        if not _is_seq(seq):
            continue
        if seq in seen:
            report.errors.append(f"{row_label(indicator)}：序号 {seq} 重复（已用于“{seen[seq]}”）。")
        seen.setdefault(seq, indicator.get("name"))
    return report


def row_label(indicator: dict) -> str:
    """"第 5 行（单位产品每次清洗取水量）": the row as the official table numbers it."""
    name = indicator.get("name")
    name = name.strip() if isinstance(name, str) and name.strip() else "未命名"
    seq = indicator.get("seq")
    if _is_seq(seq):
        return f"第 {seq} 行（{name}）"
    return f"序号为空的指标（{name}）" if seq in (None, "") else f"序号为「{seq}」的指标（{name}）"


def _is_seq(value):
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _is_number(value):
    """Decimal (finite) or int; a float, a bool or text is not a value we can score with."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, Decimal) and value.is_finite())


def _is_positive(value):
    return _is_number(value) and value > 0


def _plain(value):
    """Decimal("1.00") → "1", Decimal("0.80") → "0.8" for messages."""
    return format(Decimal(value).normalize(), "f")


def _check_system(definition, report):
    errors = report.errors
    name, code = definition.get("name"), definition.get("code")
    if not isinstance(name, str) or not name.strip():
        errors.append("缺少指标体系名称（名称）。")
    if not isinstance(code, str) or not code:
        errors.append("缺少代码。")
    elif not CODE.fullmatch(code):
        errors.append(f"代码「{code}」无效：只能使用小写字母、数字和连字符（-）。")
    status = definition.get("status")
    if status not in STATUSES:
        errors.append(f"状态「{status}」无效：须为 草稿（draft）、不完整（incomplete）或 已核对（verified）。")
    year = definition.get("year")
    if year is not None and not (isinstance(year, int) and not isinstance(year, bool) and 1900 <= year <= 2100):
        errors.append(f"年份「{year}」无效：须为四位年份或留空。")
    industries = definition.get("industries") or []
    if not industries:
        errors.append("缺少适用行业代码（GB/T 4754-2017 行业小类，4 位数字）。")
    for code in industries:
        if not (isinstance(code, str) and INDUSTRY.fullmatch(code)):
            errors.append(f"适用行业代码「{code}」无效：须为 4 位数字（GB/T 4754-2017 行业小类）。")


def _check_level_rules(rules, report):
    errors = report.errors
    if [rule.get("level") for rule in rules or []] != list(LEVELS):
        errors.append("评价规则须依次为 I、II、III 三个等级，每级一行。")
    for rule in rules or []:
        where = f"评价规则「{rule.get('level')}」"
        if not isinstance(rule.get("label"), str) or not rule["label"].strip():
            errors.append(f"{where}：缺少名称。")
        min_index = rule.get("min_index")
        if not (_is_number(min_index) and 0 <= min_index <= 100):
            errors.append(f"{where}：综合评价指数下限须为 0–100 之间的数值（现为「{min_index}」）。")
        if rule.get("restrictive_level") not in (*LEVELS, None):
            errors.append(f"{where}：限定性指标须达到的等级「{rule['restrictive_level']}」无效：须为 I、II、III 或留空。")


def _share_sum(group_indicators):
    """Sum of the weights in a group, a shared weight ("0.8/n") counted once per letter."""
    by_share = {}
    total = Decimal(0)
    for indicator in group_indicators:
        if indicator["share"]:
            by_share[indicator["share"]] = indicator["weight"]
        else:
            total += indicator["weight"]
    return total + sum(by_share.values(), Decimal(0))


def _check_groups(groups, report, gap):
    errors = report.errors
    names = set()
    for n, group in enumerate(groups, 1):
        name = group.get("name")
        where = f"一级指标「{name}」" if name else f"第 {n} 个一级指标"
        if not isinstance(name, str) or not name.strip():
            errors.append(f"{where}缺少名称。")
        elif name in names:
            errors.append(f"{where}出现了不止一次。")
        names.add(name)
        if not _is_positive(group.get("weight")):
            errors.append(f"{where}：一级指标权重须为正数（现为「{group.get('weight')}」）。")
        members = group.get("indicators") or []
        if not members:
            errors.append(f"{where}下没有二级指标。")
        _check_shares(members, where, report)
        if members and all(_is_positive(i.get("weight")) and isinstance(i.get("share"), str) for i in members):
            total = _share_sum(members)
            if total != 1:
                gap(f"{where}的二级指标权重合计 {_plain(total)}，不等于 1。")
    weights = [group.get("weight") for group in groups]
    if weights and all(_is_positive(weight) for weight in weights):
        total = sum(weights, Decimal(0))
        if total != 1:
            gap(f"一级指标权重合计 {_plain(total)}，不等于 1。")


def _check_shares(members, where, report):
    weights = {}
    for indicator in members:
        share = indicator.get("share")
        if share and isinstance(share, str) and SHARE.fullmatch(share):
            weights.setdefault(share, []).append(indicator.get("weight"))
    for share, values in weights.items():
        distinct = dict.fromkeys(_plain(value) if _is_number(value) else str(value) for value in values)
        if len(distinct) > 1:
            report.errors.append(f"{where}：共用权重 {share} 的各二级指标权重须相同（现为 {'、'.join(distinct)}）。")


def _check_indicator(indicator, report, gap):
    errors = report.errors
    where = row_label(indicator)
    if not _is_seq(indicator.get("seq")):
        errors.append(f"{where}：序号须为正整数。")
    if not isinstance(indicator.get("name"), str) or not indicator["name"].strip():
        errors.append(f"{where}：缺少二级指标名称。")
    if not _is_positive(indicator.get("weight")):
        errors.append(f"{where}：二级指标权重须为正数（现为「{indicator.get('weight')}」）。")
    share = indicator.get("share")
    if share != "" and not (isinstance(share, str) and SHARE.fullmatch(share)):
        errors.append(f"{where}：共用权重的字母「{share}」无效：须为一个英文字母（如 0.8/n 中的 n）。")
    if share and indicator.get("optional") is not True:
        errors.append(f"{where}：共用权重（{share}）的指标须标为“可不适用”。")
    for key, label in (("restrictive", "限定性指标"), ("water", "涉水指标"), ("optional", "可不适用")):
        if not isinstance(indicator.get(key), bool):
            errors.append(f"{where}：“{label}”须为 是/否（true/false），现为「{indicator.get(key)}」。")
    kind = indicator.get("kind")
    if kind not in KINDS:
        errors.append(f"{where}：指标类型「{kind}」无效：须为 {KIND_NAMES}。")
        return
    levels = indicator.get("levels")
    if not isinstance(levels, dict):
        errors.append(f"{where}：缺少基准值。")
        return
    for level in LEVELS:
        if levels.get(level) is None:
            gap(f"{where}：缺少 {LEVEL_LABELS[level]}基准值。")
    if kind == QUALITATIVE:
        _check_requirements(levels, where, errors)
    else:
        _check_thresholds(indicator, kind, levels, where, errors)


def _check_requirements(levels, where, errors):
    for level in LEVELS:
        value = levels.get(level)
        if value is None:
            continue
        if not (isinstance(value, list) and value
                and all(isinstance(text, str) and text.strip() for text in value)):
            errors.append(f"{where}：{LEVEL_LABELS[level]}要求须为一条或多条非空文字（现为「{value}」）。")
            continue
        for text in value:
            if len(text.splitlines()) > 1 or REQUIREMENT_MARKER.search(text):
                errors.append(f"{where}：{LEVEL_LABELS[level]}要求「{text}」含换行或“1.”式编号，请拆成多条。")


def _check_thresholds(indicator, kind, levels, where, errors):
    if not isinstance(indicator.get("unit"), str) or not indicator["unit"].strip():
        errors.append(f"{where}：定量指标须填写单位。")
    present = []
    for level in LEVELS:
        value = levels.get(level)
        if value is None:
            continue
        if _is_number(value):
            present.append(value)
        else:
            errors.append(f"{where}：{LEVEL_LABELS[level]}基准值「{value}」不是数值。")
    ordered = sorted(present) if kind == LOWER_BETTER else sorted(present, reverse=True)
    if present != ordered:
        sign = "≤" if kind == LOWER_BETTER else "≥"
        direction = {LOWER_BETTER: "越低越好", HIGHER_BETTER: "越高越好"}[kind]
        errors.append(f"{where}：基准值顺序有误：{direction}的指标须 I级 {sign} II级 {sign} III级。")
