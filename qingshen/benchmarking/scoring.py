"""Cleaner-production benchmarking (对标) as a pure computation over plain data.

Input is a *definition* and an enterprise's *answers* in the shapes documented in
`qingshen.benchmarking.definition`; output is a `Result` that can be shown at once or stored as
JSON (`Result.as_dict()`) and shown later exactly as computed. No models, no settings: the pages,
the API and the reports all score through here, so they cannot disagree.

The arithmetic is done in `Fraction`s. Renormalised weights such as 0.8/3 or 0.18/0.28 are not
finite decimals, and level III requires Y_III = 100 *exactly*: with Decimals or floats, three
shared indicators at 1/3 each could sum to 99.999… and wrongly fail. Displays round half up
(四舍五入) at the end; the exact values travel alongside.
"""

import math
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from types import SimpleNamespace

from qingshen.benchmarking.definition import (
    BELOW,
    COMMON_LEVEL_RULES,
    HIGHER_BETTER,
    LEVEL_LABELS,
    LEVELS,
    LOWER_BETTER,
    QUALITATIVE,
    indicators,
    rank,
)

#: S_k for an indicator that meets level k.
FULL_SCORE = Fraction(100)
COMPARATORS = {LOWER_BETTER: "≤", HIGHER_BETTER: "≥"}
#: Places shown for indices and contributions, and for effective weights.
INDEX_PLACES = 2
WEIGHT_PLACES = 4


class AnswerError(ValueError):
    """The answers cannot be scored; the message (Chinese, for the user) names the indicator."""


# --- answers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Answer:
    """One indicator's answer, checked and normalised."""

    applicable: bool
    answered: bool
    value: Decimal | None = None  # quantitative kinds
    met: tuple[str, ...] = ()  # qualitative kind


def _label(indicator: dict) -> str:
    return f"第 {indicator['seq']} 项（{indicator['name']}）"


def _optional(indicator: dict) -> bool:
    """Shared indicators (metals, …) may always be absent: that is what sharing a weight is for."""
    return bool(indicator.get("optional") or indicator.get("share"))


def _number(indicator: dict, value) -> Decimal | None:
    """A value as a Decimal; None for a blank. Floats are taken by their shortest repr (83.5, not
    83.4999…) since that is what the user typed before it went through JSON."""
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, float, str)):
        raise AnswerError(f"{_label(indicator)}：“{value}”不是数字。")
    try:
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        raise AnswerError(f"{_label(indicator)}：“{value}”不是数字。") from None
    if not number.is_finite():
        raise AnswerError(f"{_label(indicator)}：“{value}”不是数字。")
    return number


def _parse(indicator: dict, raw: dict | None) -> _Answer:
    """Check one raw answer. A missing answer, a blank value, or a qualitative answer without
    `met` (None, not []) is applicable but unanswered."""
    raw = raw or {}
    applicable = raw.get("applicable", True)
    if not isinstance(applicable, bool):
        raise AnswerError(f"{_label(indicator)}：是否适用须为“是”或“否”。")
    if not applicable:
        if not _optional(indicator):
            raise AnswerError(f"{_label(indicator)}不可标为不适用。")
        return _Answer(applicable=False, answered=False)
    if indicator["kind"] == QUALITATIVE:
        met = raw.get("met")
        if met is None:
            return _Answer(applicable=True, answered=False)
        if not isinstance(met, (list, tuple)) or not all(isinstance(item, str) for item in met):
            raise AnswerError(f"{_label(indicator)}：达到的要求须逐条列出。")
        return _Answer(applicable=True, answered=True, met=tuple(met))
    value = _number(indicator, raw.get("value"))
    return _Answer(applicable=True, answered=value is not None, value=value)


def _parse_all(definition: dict, answers: dict) -> dict[int, _Answer]:
    """Answers keyed by seq; str keys are accepted too, as answers read back from JSON have them."""
    parsed = {}
    for _group, indicator in indicators(definition):
        seq = indicator["seq"]
        raw = answers.get(seq)
        parsed[seq] = _parse(indicator, raw if raw is not None else answers.get(str(seq)))
    return parsed


# --- levels -----------------------------------------------------------------------------------


def _missing(benchmark) -> bool:
    """No benchmark for the level in our copy of the source. An empty requirement list counts as
    missing too: it would otherwise hand the level to everyone."""
    return benchmark is None or (isinstance(benchmark, list) and not benchmark)


def _meets(indicator: dict, answer: _Answer, level: str) -> bool:
    """Whether the answer meets the level's own benchmark (not counting better levels)."""
    benchmark = indicator["levels"].get(level)
    if _missing(benchmark):
        return False
    if indicator["kind"] == QUALITATIVE:
        return set(benchmark) <= set(answer.met)
    if indicator["kind"] == LOWER_BETTER:
        return answer.value <= Decimal(benchmark)
    return answer.value >= Decimal(benchmark)


def _level(indicator: dict, answer: _Answer) -> str | None:
    if not answer.answered:
        return None
    return next((level for level in LEVELS if _meets(indicator, answer, level)), BELOW)


def indicator_level(indicator: dict, answer: dict | None) -> str | None:
    """The best level the answer meets ("I", "II", "III" or BELOW); None when the indicator does
    not apply or is unanswered. Raises AnswerError for an answer that cannot be scored."""
    return _level(indicator, _parse(indicator, answer))


def _scores(level: str | None, target: str) -> bool:
    """Meeting a level counts for every worse level too."""
    return level is not None and rank(level) <= rank(target)


def _need(indicator: dict, met, level: str) -> dict:
    """What the indicator needs to reach `level`. Where that level has no benchmark it can only be
    reached through a better one: `reach_level` names the nearest better level with a benchmark
    (None if there is none), and the threshold or requirements quoted are that level's."""
    candidates = reversed(LEVELS[: LEVELS.index(level) + 1])
    reach = next((better for better in candidates if not _missing(indicator["levels"].get(better))), None)
    need = {"level": level, "missing_benchmark": _missing(indicator["levels"].get(level)), "reach_level": reach}
    if indicator["kind"] == QUALITATIVE:
        need["requirements"] = [item for item in indicator["levels"][reach] if item not in met] if reach else []
    else:
        need["comparator"] = COMPARATORS[indicator["kind"]]
        need["value"] = Decimal(indicator["levels"][reach]) if reach else None
        need["unit"] = indicator.get("unit", "")
    return need


def _next_level(level: str | None) -> str | None:
    """The level just better than `level`; an unanswered indicator starts from below III."""
    position = rank(level) - 1
    return LEVELS[position - 1] if position > 0 else None


# --- weights ----------------------------------------------------------------------------------


def _weights(definition: dict, parsed: dict[int, _Answer]) -> tuple[dict[int, Fraction], list[Fraction]]:
    """Effective weight of every indicator (0 where it does not apply) and the renormalised weight
    of every group (0 where nothing in it applies).

    Within a group the applicable indicators' weights are scaled to sum to 1, a shared weight
    being split evenly among the applicable indicators that share it; then the groups with
    something applicable are scaled to sum to 1. So the shipped partial tables, whose weights do
    not add up to 1, still give indices on a 0–100 scale."""
    inner: dict[int, Fraction] = {}
    group_raw: list[Fraction] = []
    for group in definition["groups"]:
        applicable = [ind for ind in group["indicators"] if parsed[ind["seq"]].applicable]
        sharing = Counter(ind["share"] for ind in applicable if ind.get("share"))
        raw = {ind["seq"]: Fraction(ind["weight"]) / sharing.get(ind.get("share"), 1) for ind in applicable}
        total = sum(raw.values(), Fraction(0))
        inner.update({seq: weight / total for seq, weight in raw.items()} if total else {})
        group_raw.append(Fraction(group["weight"]) if total else Fraction(0))
    groups_total = sum(group_raw, Fraction(0))
    group_weights = [weight / groups_total if groups_total else Fraction(0) for weight in group_raw]
    effective = {}
    for group, group_weight in zip(definition["groups"], group_weights, strict=True):
        for indicator in group["indicators"]:
            effective[indicator["seq"]] = group_weight * inner.get(indicator["seq"], Fraction(0))
    return effective, group_weights


def effective_weights(definition: dict, answers: dict) -> dict[int, Fraction]:
    """Every indicator's renormalised weight (group × indicator), 0 where it does not apply; they
    sum to exactly 1 whenever anything applies."""
    return _weights(definition, _parse_all(definition, answers))[0]


# --- display ----------------------------------------------------------------------------------


def rounded(value: Fraction, places: int) -> Decimal:
    """An exact non-negative value rounded half up (四舍五入) for display."""
    scaled = value * 10**places
    return Decimal(math.floor(scaled + Fraction(1, 2))).scaleb(-places)


def _jsonable(value):
    """Decimals and Fractions as strings (exact: Fraction("9/14") reads them back), recursively."""
    if isinstance(value, (Decimal, Fraction)):
        return str(value)
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    return value


# --- result -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorResult:
    seq: int
    name: str
    group: str
    kind: str
    unit: str
    restrictive: bool
    water: bool
    applicable: bool
    answered: bool
    value: Decimal | None
    met: tuple[str, ...]
    level: str | None  # "I" / "II" / "III" / BELOW; None when not applicable or unanswered
    weight: Fraction  # effective: renormalised group weight × renormalised indicator weight
    contributions: dict[str, Fraction]  # to each Y_k: weight × S_k
    next: dict | None  # what the next better level needs (see _need); None at I or not applicable
    missing_benchmark: list[str]  # levels without a benchmark in our copy of the source

    @property
    def weight_display(self) -> Decimal:
        return rounded(self.weight, WEIGHT_PLACES)

    @property
    def contributions_display(self) -> dict[str, Decimal]:
        return {level: rounded(value, INDEX_PLACES) for level, value in self.contributions.items()}

    def as_dict(self) -> dict:
        return _jsonable(
            {
                "seq": self.seq,
                "name": self.name,
                "group": self.group,
                "kind": self.kind,
                "unit": self.unit,
                "restrictive": self.restrictive,
                "water": self.water,
                "applicable": self.applicable,
                "answered": self.answered,
                "value": self.value,
                "met": self.met,
                "level": self.level,
                "weight": self.weight_display,
                "weight_exact": self.weight,
                "contributions": self.contributions_display,
                "contributions_exact": self.contributions,
                "next": self.next,
                "missing_benchmark": self.missing_benchmark,
            }
        )


@dataclass(frozen=True)
class GroupResult:
    name: str
    applicable: bool  # something in the group applies
    weight: Fraction  # renormalised over the applicable groups

    def as_dict(self) -> dict:
        return _jsonable(
            {
                "name": self.name,
                "applicable": self.applicable,
                "weight": rounded(self.weight, WEIGHT_PLACES),
                "weight_exact": self.weight,
            }
        )


@dataclass(frozen=True)
class Result:
    code: str
    name: str
    status: str
    trial: bool  # not a verified system: the level is 试算, never official
    level: str  # "I" / "II" / "III" / BELOW, by the system's level rules
    label: str  # the rule's label, e.g. "II级（国内清洁生产先进水平）"
    index_level: str  # the level the indices alone would give (restrictive indicators ignored)
    indices: dict[str, Fraction]  # Y_I, Y_II, Y_III
    held_back_by: dict[str, list[int]]  # better level → restrictive indicators (seq) failing it
    unanswered: list[int]  # applicable but unanswered: scored 0, the result is incomplete
    groups: list[GroupResult]
    indicators: list[IndicatorResult] = field(repr=False)

    @property
    def indices_display(self) -> dict[str, Decimal]:
        return {level: rounded(value, INDEX_PLACES) for level, value in self.indices.items()}

    def as_dict(self) -> dict:
        return {
            **_jsonable(
                {
                    "code": self.code,
                    "name": self.name,
                    "status": self.status,
                    "trial": self.trial,
                    "level": self.level,
                    "label": self.label,
                    "index_level": self.index_level,
                    "indices": self.indices_display,
                    "indices_exact": self.indices,
                    "held_back_by": self.held_back_by,
                    "unanswered": self.unanswered,
                }
            ),
            "groups": [group.as_dict() for group in self.groups],
            "indicators": [row.as_dict() for row in self.indicators],
        }


def _restrictive_failures(rows: list[IndicatorResult], level: str) -> list[int]:
    """Applicable restrictive indicators not at `level` or better (unanswered ones fail)."""
    return [row.seq for row in rows if row.restrictive and row.applicable and not _scores(row.level, level)]


def evaluate(definition: dict, answers: dict) -> Result:
    """Score the answers against the indicator system. Raises AnswerError for answers that
    cannot be scored (a non-number, a non-optional indicator marked not applicable, …)."""
    parsed = _parse_all(definition, answers)
    weights, group_weights = _weights(definition, parsed)
    rows = []
    for group, indicator in indicators(definition):
        answer = parsed[indicator["seq"]]
        level = _level(indicator, answer)
        weight = weights[indicator["seq"]]
        following = _next_level(level) if answer.applicable else None
        rows.append(
            IndicatorResult(
                seq=indicator["seq"],
                name=indicator["name"],
                group=group["name"],
                kind=indicator["kind"],
                unit=indicator.get("unit", ""),
                restrictive=bool(indicator.get("restrictive")),
                water=bool(indicator.get("water")),
                applicable=answer.applicable,
                answered=answer.answered,
                value=answer.value,
                met=answer.met,
                level=level,
                weight=weight,
                contributions={k: weight * FULL_SCORE if _scores(level, k) else Fraction(0) for k in LEVELS},
                next=_need(indicator, answer.met, following) if following else None,
                missing_benchmark=[k for k in LEVELS if _missing(indicator["levels"].get(k))],
            )
        )
    indices = {k: sum((row.contributions[k] for row in rows), Fraction(0)) for k in LEVELS}

    level, label, index_level, held_back_by = BELOW, LEVEL_LABELS[BELOW], BELOW, {}
    for rule in definition.get("level_rules") or COMMON_LEVEL_RULES:
        if indices[rule["level"]] < Fraction(rule["min_index"]):
            continue
        if index_level == BELOW:
            index_level = rule["level"]
        failing = _restrictive_failures(rows, rule["restrictive_level"]) if rule.get("restrictive_level") else []
        if not failing:
            level, label = rule["level"], rule.get("label") or LEVEL_LABELS[rule["level"]]
            break
        held_back_by[rule["level"]] = failing

    return Result(
        code=definition.get("code", ""),
        name=definition.get("name", ""),
        status=definition.get("status", ""),
        trial=definition.get("status") != "verified",
        level=level,
        label=label,
        index_level=index_level,
        indices=indices,
        held_back_by=held_back_by,
        unanswered=[row.seq for row in rows if row.applicable and not row.answered],
        groups=[
            GroupResult(
                name=group["name"],
                applicable=any(parsed[indicator["seq"]].applicable for indicator in group["indicators"]),
                weight=weight,
            )
            for group, weight in zip(definition["groups"], group_weights, strict=True)
        ],
        indicators=rows,
    )


# --- Hebei's targets --------------------------------------------------------------------------


def water_target(
    in_approved_park: bool, centralised_treatment: bool, in_park_level: str = "II", outside_level: str = "I"
) -> str:
    """The level water indicators must reach (seed, 审核目标): level II inside an approved
    industrial park, level I outside one or where wastewater does not go to centralised treatment."""
    return in_park_level if in_approved_park and centralised_treatment else outside_level


@dataclass(frozen=True)
class Shortfall:
    seq: int
    name: str
    group: str
    level: str | None  # where it is (None: unanswered)
    target: str  # where it must get
    need: dict  # what reaching the target needs (see _need)

    def as_dict(self) -> dict:
        return _jsonable(self.__dict__)


@dataclass(frozen=True)
class TargetCheck:
    met: bool  # the overall target met and no water indicator short of the water target
    overall_met: bool
    water_shortfalls: list[Shortfall]
    shortfalls: list[Shortfall]  # other applicable indicators below the overall target (informative)
    overall_level: str
    water_level: str | None
    level: str  # the result's level
    trial: bool  # the result is a trial (试算): so is this check

    def as_dict(self) -> dict:
        return {
            "met": self.met,
            "overall_met": self.overall_met,
            "water_shortfalls": [item.as_dict() for item in self.water_shortfalls],
            "shortfalls": [item.as_dict() for item in self.shortfalls],
            "overall_level": self.overall_level,
            "water_level": self.water_level,
            "level": self.level,
            "trial": self.trial,
        }


def _shortfall(indicator: dict, row: IndicatorResult, target: str) -> Shortfall:
    return Shortfall(
        seq=row.seq,
        name=row.name,
        group=row.group,
        level=row.level,
        target=target,
        need=_need(indicator, row.met, target),
    )


def _as_result(result: "Result | dict"):
    """A stored result (`Result.as_dict()`, as kept in the database) read back as far as
    `check_target` needs it, so a recorded result is checked exactly as it was computed."""
    if isinstance(result, Result):
        return result
    rows = [SimpleNamespace(seq=row["seq"], name=row["name"], group=row["group"], water=row["water"],
                            applicable=row["applicable"], level=row["level"], met=tuple(row["met"]))
            for row in result["indicators"]]
    return SimpleNamespace(level=result["level"], trial=result["trial"], indicators=rows)


def check_target(definition: dict, result: "Result | dict", overall_level: str,
                 water_level: str | None) -> TargetCheck:
    """Compare a result with Hebei's targets: the overall level, and (unless `water_level` is None)
    the water indicators one by one. A water indicator short of `water_level` is a water
    shortfall (the target is not met); any other applicable indicator below `overall_level` is
    listed as a shortfall too, so the audit can aim at it, without failing the target: the
    overall target is about the level, not about each indicator."""
    if overall_level not in LEVELS or water_level not in (*LEVELS, None):
        raise ValueError(f"Target levels must be one of {LEVELS}: {overall_level!r}, {water_level!r}")
    result = _as_result(result)
    by_seq = {indicator["seq"]: indicator for _group, indicator in indicators(definition)}
    water_shortfalls, shortfalls = [], []
    for row in result.indicators:
        if not row.applicable:
            continue
        if water_level is not None and row.water and not _scores(row.level, water_level):
            water_shortfalls.append(_shortfall(by_seq[row.seq], row, water_level))
        elif not _scores(row.level, overall_level):
            shortfalls.append(_shortfall(by_seq[row.seq], row, overall_level))
    overall_met = rank(result.level) <= rank(overall_level)
    return TargetCheck(
        met=overall_met and not water_shortfalls,
        overall_met=overall_met,
        water_shortfalls=water_shortfalls,
        shortfalls=shortfalls,
        overall_level=overall_level,
        water_level=water_level,
        level=result.level,
        trial=result.trial,
    )
