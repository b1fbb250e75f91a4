"""Properties of benchmarking (对标) scoring over random MADE_UP systems and answers.

Every system here is generated: names, weights and thresholds are invented for tests and are no
real industry's benchmarks.
"""

import json
from decimal import Decimal
from fractions import Fraction

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from qingshen.benchmarking.definition import (
    COMMON_LEVEL_RULES,
    HIGHER_BETTER,
    LEVELS,
    LOWER_BETTER,
    QUALITATIVE,
    indicators,
    rank,
)
from qingshen.benchmarking.scoring import effective_weights, evaluate

REQUIREMENTS = [f"虚构要求{number}" for number in range(1, 6)]
MADE_UP_STRICT_RULES = [  # invented: other thresholds, and restrictive indicators at III for level III
    {"level": "I", "label": "一级（虚构）", "min_index": Decimal("90"), "restrictive_level": "I"},
    {"level": "II", "label": "二级（虚构）", "min_index": Decimal("70"), "restrictive_level": "II"},
    {"level": "III", "label": "三级（虚构）", "min_index": Decimal("50"), "restrictive_level": "III"},
]
PROPERTIES = settings(max_examples=200, deadline=None, database=None)

# Strategies are built once: building them inside the composites costs more than drawing.
weights = st.integers(1, 100).map(lambda n: Decimal(n) / 100)
numbers = st.integers(0, 1000).map(lambda n: Decimal(n) / 10)
kinds = st.sampled_from([LOWER_BETTER, HIGHER_BETTER, QUALITATIVE])
shares = st.sampled_from(["", "", "m", "n"])
flags = st.tuples(st.booleans(), st.booleans(), st.booleans())  # restrictive, water, optional
gaps = st.lists(st.integers(0, 4), min_size=3, max_size=3)  # 0: no benchmark at that level
requirement_counts = st.lists(st.integers(1, len(REQUIREMENTS)), min_size=3, max_size=3)
number_triples = st.lists(numbers, min_size=3, max_size=3)
requirements = st.sampled_from(REQUIREMENTS)
met_lists = st.none() | st.lists(requirements, unique=True)
values = st.none() | numbers
one_in_five = st.integers(0, 4).map(lambda n: n == 0)


@st.composite
def made_up_levels(draw, kind):
    """Ordered benchmarks, some missing: I ≤ II ≤ III for lower_better, I ≥ II ≥ III for
    higher_better; for qualitative, requirement lists with I ⊇ II ⊇ III."""
    missing = draw(gaps)
    if kind == QUALITATIVE:
        benchmarks = [REQUIREMENTS[:count] for count in sorted(draw(requirement_counts), reverse=True)]
    else:
        benchmarks = sorted(draw(number_triples), reverse=kind == HIGHER_BETTER)
    return {level: None if gap == 0 else value for level, value, gap in zip(LEVELS, benchmarks, missing, strict=True)}


@st.composite
def made_up_systems(draw):
    seq = 0
    groups = []
    for group_number in range(draw(st.integers(1, 4))):
        shared_weights = {"m": draw(weights), "n": draw(weights)}
        group_indicators = []
        for _ in range(draw(st.integers(1, 5))):
            seq += 1
            kind, share = draw(kinds), draw(shares)
            restrictive, water, optional = draw(flags)
            group_indicators.append({
                "seq": seq, "name": f"虚构指标{seq}", "unit": "" if kind == QUALITATIVE else "虚构单位",
                "kind": kind, "weight": shared_weights[share] if share else draw(weights), "share": share,
                "levels": draw(made_up_levels(kind)), "restrictive": restrictive, "water": water, "optional": optional,
                "footnotes": "",
            })  # fmt: skip
        groups.append({"name": f"虚构组{group_number}", "weight": draw(weights), "indicators": group_indicators})
    return {
        "code": "made-up-random",
        "name": "虚构体系（测试用）",
        "status": draw(st.sampled_from(["draft", "incomplete", "verified"])),
        "level_rules": draw(st.sampled_from([COMMON_LEVEL_RULES, MADE_UP_STRICT_RULES])),
        "groups": groups,
    }


@st.composite
def made_up_answers(draw, definition):
    answers = {}
    for _group, indicator in indicators(definition):
        if (indicator["optional"] or indicator["share"]) and draw(one_in_five):
            answers[indicator["seq"]] = {"applicable": False}
        elif indicator["kind"] == QUALITATIVE:
            answers[indicator["seq"]] = {"applicable": True, "met": draw(met_lists)}
        else:
            answers[indicator["seq"]] = {"applicable": True, "value": draw(values)}
    return answers


@st.composite
def systems_with_answers(draw):
    definition = draw(made_up_systems())
    return definition, draw(made_up_answers(definition))


def improved(draw, indicator, answer):
    """The answer made better: a lower_better value lowered, a higher_better one raised, a
    requirement added; an unanswered indicator gets any answer (0 at every level cannot drop)."""
    if indicator["kind"] == QUALITATIVE:
        return {**answer, "met": [*(answer["met"] or []), draw(requirements)]}
    if answer["value"] is None:
        return {**answer, "value": draw(numbers)}
    step = draw(numbers)
    return {**answer, "value": answer["value"] - step if indicator["kind"] == LOWER_BETTER else answer["value"] + step}


@PROPERTIES
@given(st.data())
def test_improving_one_answer_never_lowers_a_level_or_an_index(data):
    definition, answers = data.draw(systems_with_answers())
    applicable = [ind for _group, ind in indicators(definition) if answers[ind["seq"]]["applicable"]]
    assume(applicable)
    chosen = data.draw(st.sampled_from(applicable))
    better_answers = {**answers, chosen["seq"]: improved(data.draw, chosen, answers[chosen["seq"]])}
    before, after = evaluate(definition, answers), evaluate(definition, better_answers)
    assert rank(after.level) <= rank(before.level)
    assert rank(after.index_level) <= rank(before.index_level)
    assert all(after.indices[level] >= before.indices[level] for level in LEVELS)


@PROPERTIES
@given(systems_with_answers())
def test_restrictive_indicator_below_two_caps_the_result(system):
    definition, answers = system
    definition["level_rules"] = COMMON_LEVEL_RULES
    result = evaluate(definition, answers)
    assume(any(row.restrictive and row.applicable and rank(row.level) >= 3 for row in result.indicators))
    assert rank(result.level) >= 3


@PROPERTIES
@given(systems_with_answers())
def test_weights_sum_to_one_and_indices_are_ordered_and_bounded(system):
    """Both on one input: drawing a random system costs more than checking it."""
    definition, answers = system
    weights = effective_weights(definition, answers)
    anything_applies = any(answer["applicable"] for answer in answers.values())
    assert sum(weights.values()) == (1 if anything_applies else 0)
    assert all(isinstance(weight, Fraction) and weight >= 0 for weight in weights.values())
    result = evaluate(definition, answers)
    assert {row.seq: row.weight for row in result.indicators} == weights
    assert 0 <= result.indices["I"] <= result.indices["II"] <= result.indices["III"] <= 100
    assert rank(result.index_level) <= rank(result.level)
    assert json.loads(json.dumps(result.as_dict()))["indices_exact"] == {k: str(v) for k, v in result.indices.items()}
