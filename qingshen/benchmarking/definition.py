"""The shape of an indicator system as plain data: what the YAML and .xlsx formats read and
write, what the models are saved from and exported to, and what `scoring` computes with.

A *definition* is a dict (JSON-serialisable once Decimals are written as strings)::

    {
      "code": "electroplating-comprehensive",  # the family key: versions share it ([a-z0-9-])
      "name": "…",                             # 指标体系名称
      "issuers": "…",                          # 发布部门 ("" where the source does not say)
      "document_number": "",                   # 文号
      "year": 2015 | None,                     # 发布年份
      "industries": ["3360"],                  # GB/T 4754-2017 classes (4 digits) it covers
      "status": "draft" | "incomplete" | "verified",
      "source": {"file": "…", "page": "…", "note": "…"},
      "level_rules": [                         # best level first; see LEVELS
        {"level": "I", "label": "I级（国际清洁生产领先水平）", "min_index": Decimal("85"),
         "restrictive_level": "I"},            # restrictive indicators must meet this level (or None)
        {"level": "II", …}, {"level": "III", …},
      ],
      "groups": [                              # first-level indicators (一级指标), in order
        {"name": "资源综合利用指标", "weight": Decimal("0.18"), "indicators": [
          {"seq": 6,                           # 序号: unique in the system, the indicator's key
           "name": "锌利用率",                  # without the source's * and footnote marks
           "unit": "%",                        # required for quantitative kinds
           "kind": "higher_better",            # see KINDS
           "weight": Decimal("0.8"),
           "share": "n",                       # "" or a letter: the weight is shared ("0.8/n") among
                                               # the applicable indicators of the group with this letter
           "levels": {"I": Decimal("82"), "II": Decimal("80"), "III": Decimal("75")},
                                               # qualitative: {"I": ["requirement", …], …}
                                               # None where the source gives no value
           "restrictive": False,               # 限定性指标 (* in the official tables)
           "water": False,                     # 涉水指标
           "optional": True,                   # may not apply to an enterprise (shared ones always may)
           "footnotes": "④ …"},
        ]},
      ],
    }

Answers (an enterprise's values for one system) are keyed by seq::

    {6: {"applicable": True, "value": Decimal("83.5"), "met": []},
     1: {"applicable": True, "value": None, "met": ["民用产品采用无氰镀锌", …]}}

`met` lists the qualitative requirements (texts exactly as in `levels`) the enterprise meets.
"""

from decimal import Decimal

LEVELS = ("I", "II", "III")
#: Not meeting level III.
BELOW = "below"
LEVEL_LABELS = {"I": "I级", "II": "II级", "III": "III级", BELOW: "III级以下"}

QUALITATIVE = "qualitative"
LOWER_BETTER = "lower_better"
HIGHER_BETTER = "higher_better"
KINDS = {
    QUALITATIVE: "定性（逐条要求）",
    LOWER_BETTER: "定量（越低越好，≤ 基准值）",
    HIGHER_BETTER: "定量（越高越好，≥ 基准值）",
}

STATUSES = {"draft": "草稿", "incomplete": "不完整", "verified": "已核对"}

#: The common rule of the national indicator systems (清洁生产评价指标体系编制通则): level I
#: with Y_I ≥ 85 and every restrictive indicator at I; level II with Y_II ≥ 85 and every
#: restrictive indicator at II or better; level III with Y_III = 100. A system may replace it.
COMMON_LEVEL_RULES = [
    {"level": "I", "label": "I级（国际清洁生产领先水平）", "min_index": Decimal("85"), "restrictive_level": "I"},
    {"level": "II", "label": "II级（国内清洁生产先进水平）", "min_index": Decimal("85"), "restrictive_level": "II"},
    {"level": "III", "label": "III级（国内清洁生产一般水平）", "min_index": Decimal("100"), "restrictive_level": None},
]


def rank(level: str | None) -> int:
    """I → 1, II → 2, III → 3, below (or unknown) → 4: lower is better."""
    return {"I": 1, "II": 2, "III": 3}.get(level, 4)


def indicators(definition: dict):
    """Every second-level indicator with its group, in order: [(group, indicator)]."""
    return [(group, indicator) for group in definition["groups"] for indicator in group["indicators"]]


def to_json(definition: dict) -> dict:
    """The definition with its Decimals as strings, for a JSONField (exact, unlike floats)."""
    def convert(value):
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, dict):
            return {key: convert(item) for key, item in value.items()}
        if isinstance(value, list):
            return [convert(item) for item in value]
        return value

    return convert(definition)


def from_json(stored: dict) -> dict:
    """Back from `to_json`: weights, index thresholds and quantitative benchmarks as Decimals."""
    definition = {**stored, "level_rules": [{**rule, "min_index": Decimal(rule["min_index"])}
                                            for rule in stored["level_rules"]], "groups": []}
    for group in stored["groups"]:
        items = []
        for indicator in group["indicators"]:
            levels = indicator["levels"]
            if indicator["kind"] != QUALITATIVE:
                levels = {level: None if value is None else Decimal(value) for level, value in levels.items()}
            items.append({**indicator, "weight": Decimal(indicator["weight"]), "levels": levels})
        definition["groups"].append({**group, "weight": Decimal(group["weight"]), "indicators": items})
    return definition
