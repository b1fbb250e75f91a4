"""Indicator systems as YAML: `dump(definition) -> str`, `load(text) -> definition`.

The document is the definition itself, keys in the order of `benchmarking.definition`, after a
first key `format: qingshen-indicator-system/1`. Weights, thresholds and index limits are plain
YAML numbers; they are read back as `Decimal` from the number's own text, never through a
float, so `0.33` stays `Decimal("0.33")` and `load(dump(d)) == d` holds exactly.

Keys a reader does not know are refused (a misspelt `indicaters:` would otherwise vanish without
a trace); optional keys may be left out and take the defaults in `_fill_*` below.
"""

import copy
from decimal import Decimal, InvalidOperation

import yaml

from qingshen.benchmarking.definition import COMMON_LEVEL_RULES, LEVELS
from qingshen.benchmarking.formats import FormatError

FORMAT = "qingshen-indicator-system/1"

TOP_KEYS = ("code", "name", "issuers", "document_number", "year", "industries", "status", "source",
            "level_rules", "groups")
SOURCE_KEYS = ("file", "page", "note")
RULE_KEYS = ("level", "label", "min_index", "restrictive_level")
GROUP_KEYS = ("name", "weight", "indicators")
INDICATOR_KEYS = ("seq", "name", "unit", "kind", "weight", "share", "levels", "restrictive", "water",
                  "optional", "footnotes")


class _Dumper(yaml.SafeDumper):
    """safe_dump's dumper, plus Decimals as plain numbers and multi-line text as `|` blocks."""


def _represent_decimal(dumper, value):
    if not value.is_finite():
        raise ValueError(f"无法写出非有限数值 {value}。")
    text = format(value, "f")  # never an exponent: "1E+2" would read back as a string
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


def _represent_str(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(str, _represent_str)


class _Loader(yaml.SafeLoader):
    """safe_load's loader, with YAML floats read as Decimal from their text."""


def _construct_decimal(loader, node):
    text = loader.construct_scalar(node).replace("_", "")
    try:
        return Decimal(text)
    except InvalidOperation:  # .inf, .nan, 1:30.5 – left to validation as "not a number"
        return loader.construct_yaml_float(node)


_Loader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


def dump(definition: dict) -> str:
    """The definition as a YAML document (UTF-8 text, Chinese kept readable)."""
    document = {"format": FORMAT} | {key: definition[key] for key in TOP_KEYS}
    return yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def load(text: str) -> dict:
    """Read a YAML document into a definition; FormatError when it is not one."""
    try:
        document = yaml.load(text, Loader=_Loader)  # noqa: S506 – _Loader is a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行附近" if mark else ""
        raise FormatError(f"无法读取该 YAML 文件：{where}格式有误。") from exc
    if not isinstance(document, dict):
        raise FormatError("无法读取该文件：内容须为一组“键: 值”（YAML 映射），不是单个值或列表。")
    if "format" not in document:
        raise FormatError(f"缺少首行 format: {FORMAT}，无法确认这是清审指标体系文件。")
    if document["format"] != FORMAT:
        raise FormatError(f"不支持的格式「{document['format']}」：须为 {FORMAT}。")
    body = {key: value for key, value in document.items() if key != "format"}
    _refuse_unknown(body, TOP_KEYS, "文件顶层")
    return _fill_definition(body)


def _refuse_unknown(mapping, known, where):
    unknown = [str(key) for key in mapping if key not in known]
    if unknown:
        raise FormatError(f"{where}有无法识别的字段：{'、'.join(unknown)}。可用字段：{'、'.join(known)}。")


def _mapping(value, where):
    if not isinstance(value, dict):
        raise FormatError(f"{where}须为一组“键: 值”（YAML 映射）。")
    return value


def _list(value, where):
    if value is None:
        return []
    if not isinstance(value, list):
        raise FormatError(f"{where}须为列表（每项以“- ”开头）。")
    return value


def _number(value):
    """YAML integers become Decimal too; everything else is left for validation to judge."""
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return value


def _fill_definition(body):
    source = _mapping(body.get("source") or {}, "source（来源）")
    _refuse_unknown(source, SOURCE_KEYS, "source（来源）")
    rules = body.get("level_rules")
    return {
        "code": body.get("code"),
        "name": body.get("name"),
        "issuers": body.get("issuers") or "",
        "document_number": body.get("document_number") or "",
        "year": body.get("year"),
        "industries": [str(code) for code in _list(body.get("industries"), "industries（适用行业代码）")],
        "status": body.get("status"),
        "source": {key: source.get(key) or "" for key in SOURCE_KEYS},
        # Left out, the common rule of the national systems applies (see definition.py).
        "level_rules": copy.deepcopy(COMMON_LEVEL_RULES) if rules is None
        else [_fill_rule(rule, n) for n, rule in enumerate(_list(rules, "level_rules（评价规则）"), 1)],
        "groups": [_fill_group(group, n) for n, group in enumerate(_list(body.get("groups"), "groups（一级指标）"), 1)],
    }


def _fill_rule(rule, n):
    where = f"level_rules（评价规则）第 {n} 项"
    _refuse_unknown(_mapping(rule, where), RULE_KEYS, where)
    return {
        "level": rule.get("level"),
        "label": rule.get("label"),
        "min_index": _number(rule.get("min_index")),
        "restrictive_level": rule.get("restrictive_level"),
    }


def _fill_group(group, n):
    where = f"第 {n} 个一级指标"
    _refuse_unknown(_mapping(group, where), GROUP_KEYS, where)
    name = group.get("name")
    where = f"一级指标「{name}」" if name else where
    return {
        "name": name,
        "weight": _number(group.get("weight")),
        "indicators": [_fill_indicator(indicator, where) for indicator in _list(group.get("indicators"), where)],
    }


def _fill_indicator(indicator, group_where):
    where = f"{group_where}下的二级指标"
    _mapping(indicator, where)
    if "seq" in indicator:
        where = f"第 {indicator['seq']} 行（{indicator.get('name') or '未命名'}）"
    _refuse_unknown(indicator, INDICATOR_KEYS, where)
    levels = _mapping(indicator.get("levels") or {}, f"{where}的 levels（基准值）")
    _refuse_unknown(levels, LEVELS, f"{where}的 levels（基准值）")
    return {
        "seq": indicator.get("seq"),
        "name": indicator.get("name"),
        "unit": indicator.get("unit") or "",
        "kind": indicator.get("kind"),
        "weight": _number(indicator.get("weight")),
        "share": indicator.get("share") or "",
        "levels": {level: _number(levels.get(level)) for level in LEVELS},
        "restrictive": indicator.get("restrictive", False),
        "water": indicator.get("water", False),
        "optional": indicator.get("optional", False),
        "footnotes": indicator.get("footnotes") or "",
    }
