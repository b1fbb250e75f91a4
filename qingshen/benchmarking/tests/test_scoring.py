"""Benchmarking (对标) scoring against hand-computed cases.

Most cases use MADE_UP systems: every name and number in them is invented for these tests and is
no real industry's benchmark. One test uses the shape and numbers of the official electroplating
table (real data, quoted from the source), as far as our partial copy goes.
"""

import copy
import json
from decimal import Decimal
from fractions import Fraction

import pytest

from qingshen.benchmarking.definition import (
    BELOW,
    COMMON_LEVEL_RULES,
    HIGHER_BETTER,
    LOWER_BETTER,
    QUALITATIVE,
)
from qingshen.benchmarking.scoring import (
    AnswerError,
    check_target,
    effective_weights,
    evaluate,
    indicator_level,
    rounded,
    water_target,
)

D = Decimal
F = Fraction
METALS = range(10, 17)


def made_up_indicator(seq, name, kind, weight, levels, unit="%", **flags):
    return {
        "seq": seq,
        "name": name,
        "unit": "" if kind == QUALITATIVE else unit,
        "kind": kind,
        "weight": D(weight),
        "share": flags.get("share", ""),
        "levels": levels,
        "restrictive": flags.get("restrictive", False),
        "water": flags.get("water", False),
        "optional": flags.get("optional", False),
        "footnotes": "",
    }


def made_up_definition(status="verified", level_rules=COMMON_LEVEL_RULES):
    """MADE_UP system: the numbers are invented for tests.

    Weights with everything applicable: seq 1 and 2 0.15 each, seq 3 0.2, the seven metals
    (seq 10–16, sharing 0.8) 0.5 × 0.8 / 7 = 2/35 each, seq 17 0.1."""
    metals = [
        made_up_indicator(seq, f"虚构金属{seq - 9}利用率", HIGHER_BETTER, "0.8",
                          {"I": D(90), "II": D(80), "III": D(70)}, share="m", optional=True)
        for seq in METALS
    ]  # fmt: skip
    return copy.deepcopy(
        {
            "code": "made-up-system",
            "name": "虚构行业清洁生产评价指标体系（测试用）",
            "issuers": "",
            "document_number": "",
            "year": None,
            "industries": [],
            "status": status,
            "source": {"file": "", "page": "", "note": "测试用，数值均为虚构"},
            "level_rules": level_rules,
            "groups": [
                {"name": "虚构资源消耗指标", "weight": D("0.3"), "indicators": [
                    made_up_indicator(1, "虚构取水量", LOWER_BETTER, "0.5", {"I": D(1), "II": D(2), "III": D(3)},
                                      unit="t/t", restrictive=True, water=True),
                    made_up_indicator(2, "虚构回收率", HIGHER_BETTER, "0.5", {"I": D(90), "II": D(80), "III": None},
                                      optional=True),
                ]},
                {"name": "虚构工艺指标", "weight": D("0.2"), "indicators": [
                    made_up_indicator(3, "虚构工艺要求", QUALITATIVE, "1",
                                      {"I": ["甲", "乙", "丙"], "II": ["甲", "乙"], "III": ["甲"]}),
                ]},
                {"name": "虚构金属利用指标", "weight": D("0.5"), "indicators": [
                    *metals,
                    made_up_indicator(17, "虚构综合利用率", HIGHER_BETTER, "0.2", {"I": D(60), "II": D(50), "III": D(40)},
                                      optional=True),
                ]},
            ],
        }
    )  # fmt: skip


def made_up_answers(**changes):
    """Everything at level I, then `changes` by seq (s1=…, s17=…): a dict replaces the answer."""
    answers = {1: {"applicable": True, "value": D(1)}, 2: {"applicable": True, "value": D(90)},
               3: {"applicable": True, "met": ["甲", "乙", "丙"]}, 17: {"applicable": True, "value": D(60)}}
    answers |= {seq: {"applicable": True, "value": D(95)} for seq in METALS}  # fmt: skip
    answers |= {int(key[1:]): answer for key, answer in changes.items()}
    return answers


NOT_APPLICABLE = {"applicable": False}


def value(number):
    return {"applicable": True, "value": number}


def met(*requirements):
    return {"applicable": True, "met": list(requirements)}


def row(result, seq):
    return next(item for item in result.indicators if item.seq == seq)


def indicator(definition, seq):
    return next(item for group in definition["groups"] for item in group["indicators"] if item["seq"] == seq)


# --- one indicator's level ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seq", "answer", "expected"),
    [
        # lower_better ≤: I 1, II 2, III 3 (the boundary itself meets the level)
        (1, value(D("0.5")), "I"),
        (1, value(D(1)), "I"),
        (1, value(D("1.01")), "II"),
        (1, value(D(2)), "II"),
        (1, value(D(3)), "III"),
        (1, value(D("3.01")), BELOW),
        # higher_better ≥: I 90, II 80, III missing
        (2, value(D(95)), "I"),
        (2, value(D(90)), "I"),
        (2, value(D("89.9")), "II"),
        (2, value(D(80)), "II"),
        (2, value(D(79)), BELOW),  # a III value would be met here, but there is none
        # qualitative: I ⊇ II ⊇ III
        (3, met("甲", "乙", "丙"), "I"),
        (3, met("丙", "乙", "甲", "丁"), "I"),  # order and requirements of no level do not matter
        (3, met("甲", "乙"), "II"),
        (3, met("甲", "丙"), "III"),
        (3, met("甲"), "III"),
        (3, met("乙", "丙"), BELOW),  # I's and II's lists include 甲
        (3, met(), BELOW),
        # not scored
        (2, NOT_APPLICABLE, None),
        (2, value(None), None),
        (2, None, None),
        (3, {"applicable": True}, None),
        (3, {"applicable": True, "met": None}, None),
    ],
)
def test_indicator_level(seq, answer, expected):
    assert indicator_level(indicator(made_up_definition(), seq), answer) == expected


@pytest.mark.parametrize(
    "raw",
    [D("83.5"), "83.5", " 83.5 ", 83.5, "83.50", D("8.35E+1")],
    ids=["decimal", "str", "padded", "float", "zeros", "exp"],
)
def test_values_are_normalised(raw):
    made_up = made_up_indicator(1, "虚构率", HIGHER_BETTER, "1", {"I": D("83.5"), "II": D("83.49"), "III": D(80)})
    assert indicator_level(made_up, value(raw)) == "I"


def test_int_value_and_blank_string():
    made_up = made_up_indicator(1, "虚构率", HIGHER_BETTER, "1", {"I": D(90), "II": D(80), "III": D(70)})
    assert indicator_level(made_up, value(85)) == "II"
    assert indicator_level(made_up, value("89.99")) == "II"
    assert indicator_level(made_up, value("  ")) is None  # a blank form field: unanswered


def test_answers_read_back_from_json_have_string_keys():
    answers = made_up_answers(s1=value(D(2)))
    stored = json.loads(json.dumps(answers, default=str))  # {"1": {"applicable": true, "value": "2"}, …}
    assert set(stored) == {str(seq) for seq in answers}
    assert evaluate(made_up_definition(), stored) == evaluate(made_up_definition(), answers)


# --- weights ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("applicable_metals", "metal_weight", "seq17_weight"),
    [
        (7, F(2, 35), F(1, 10)),  # 0.5 × (0.8 / 7) / (0.8 + 0.2)
        (2, F(1, 5), F(1, 10)),  # 0.5 × (0.8 / 2)
        (1, F(2, 5), F(1, 10)),  # 0.5 × 0.8
        (0, F(0), F(1, 2)),  # the share contributes nothing; seq 17 alone fills the group: 0.5 × 0.2 / 0.2
    ],
)
def test_shared_weight_is_split_among_applicable_metals(applicable_metals, metal_weight, seq17_weight):
    changes = {f"s{seq}": NOT_APPLICABLE for seq in METALS[applicable_metals:]}
    weights = effective_weights(made_up_definition(), made_up_answers(**changes))
    assert [weights[seq] for seq in METALS] == [metal_weight] * applicable_metals + [F(0)] * (7 - applicable_metals)
    assert weights[17] == seq17_weight
    assert (weights[1], weights[2], weights[3]) == (F(3, 20), F(3, 20), F(1, 5))
    assert sum(weights.values()) == 1


def test_not_applicable_indicator_is_renormalised_within_its_group():
    weights = effective_weights(made_up_definition(), made_up_answers(s2=NOT_APPLICABLE))
    assert (weights[1], weights[2]) == (F(3, 10), F(0))  # seq 1 takes the whole 0.3 of its group
    assert sum(weights.values()) == 1


def test_whole_group_not_applicable():
    changes = {f"s{seq}": NOT_APPLICABLE for seq in [*METALS, 17]}
    result = evaluate(made_up_definition(), made_up_answers(**changes))
    weights = {item.seq: item.weight for item in result.indicators}
    # groups 0.3 and 0.2 renormalised to 0.6 and 0.4
    assert (weights[1], weights[2], weights[3]) == (F(3, 10), F(3, 10), F(2, 5))
    assert all(weights[seq] == 0 for seq in [*METALS, 17])
    groups = [(group.applicable, group.weight) for group in result.groups]
    assert groups == [(True, F(3, 5)), (True, F(2, 5)), (False, 0)]
    assert result.indices == {"I": 100, "II": 100, "III": 100}
    assert result.level == "I"


def test_shared_indicator_may_always_be_not_applicable():
    definition = made_up_definition()
    indicator(definition, 10)["optional"] = False  # the share letter makes it optional anyway
    assert effective_weights(definition, made_up_answers(s10=NOT_APPLICABLE))[10] == 0


# --- indices and the overall level ------------------------------------------------------------


def test_level_one_counts_for_two_and_three():
    result = evaluate(made_up_definition(), made_up_answers())
    assert row(result, 1).contributions == {"I": 15, "II": 15, "III": 15}
    assert result.indices == {"I": 100, "II": 100, "III": 100}
    assert (result.level, result.label, result.index_level) == ("I", "I级（国际清洁生产领先水平）", "I")
    assert result.held_back_by == {} and result.unanswered == []


def test_level_two_counts_for_three_even_when_three_has_no_benchmark():
    result = evaluate(made_up_definition(), made_up_answers(s2=value(D(85))))
    assert row(result, 2).level == "II"
    assert row(result, 2).contributions == {"I": 0, "II": 15, "III": 15}
    assert row(result, 2).missing_benchmark == ["III"]
    assert result.indices == {"I": 85, "II": 100, "III": 100}


def test_missing_benchmark_cannot_be_met_directly():
    result = evaluate(made_up_definition(), made_up_answers(s2=value(D(79))))
    assert row(result, 2).level == BELOW
    assert row(result, 2).contributions == {"I": 0, "II": 0, "III": 0}
    assert result.indices == {"I": 85, "II": 85, "III": 85}
    assert row(result, 2).next == {
        "level": "III", "missing_benchmark": True, "reach_level": "II", "comparator": "≥", "value": D(80), "unit": "%",
    }  # fmt: skip
    assert row(result, 1).missing_benchmark == []


@pytest.mark.parametrize(
    ("seq1", "level", "index_level", "held_back_by", "indices"),
    [
        # Y_I = 85 either way: the restrictive seq 1 (0.15) decides
        (D(1), "I", "I", {}, (100, 100, 100)),
        (D(2), "II", "I", {"I": [1]}, (85, 100, 100)),
        (D(3), "III", "I", {"I": [1], "II": [1]}, (85, 85, 100)),
        (D(4), BELOW, "I", {"I": [1], "II": [1]}, (85, 85, 85)),
        (None, BELOW, "I", {"I": [1], "II": [1]}, (85, 85, 85)),  # unanswered fails the restrictive test
    ],
)
def test_restrictive_indicator_caps_the_level(seq1, level, index_level, held_back_by, indices):
    result = evaluate(made_up_definition(), made_up_answers(s1=value(seq1)))
    assert (result.level, result.index_level, result.held_back_by) == (level, index_level, held_back_by)
    assert (result.indices["I"], result.indices["II"], result.indices["III"]) == indices


def test_not_applicable_restrictive_indicator_holds_nothing_back():
    definition = made_up_definition()
    indicator(definition, 1)["optional"] = True
    result = evaluate(definition, made_up_answers(s1=NOT_APPLICABLE, s17=value(D(50))))
    # seq 17 (0.1) at II: Y_I = 90, no restrictive indicator applies
    assert (result.level, result.held_back_by, result.indices["I"]) == ("I", {}, 90)


def test_index_below_threshold_without_restrictive_blame():
    # seq 3 (0.2) and seq 17 (0.1) at II: Y_I = 70, Y_II = 100, restrictive fine at I
    result = evaluate(made_up_definition(), made_up_answers(s3=met("甲", "乙"), s17=value(D(55))))
    assert (result.level, result.index_level, result.held_back_by) == ("II", "II", {})
    assert result.indices["I"] == 70


def made_up_tiny(weights, share=""):
    """MADE_UP one-group system (invented numbers): lower_better indicators I 1, II 2, III 3."""
    definition = made_up_definition()
    definition["groups"] = [{"name": "虚构组", "weight": D("0.4"), "indicators": [
        made_up_indicator(seq, f"虚构指标{seq}", LOWER_BETTER, weight, {"I": D(1), "II": D(2), "III": D(3)}, share=share)
        for seq, weight in enumerate(weights, start=1)
    ]}]  # fmt: skip
    return definition


@pytest.mark.parametrize(
    ("weights", "share", "values", "level", "y3"),
    [
        (["0.9999", "0.0001"], "", [3, 3], "III", "100.00"),
        (["0.9999", "0.0001"], "", [3, 4], BELOW, "99.99"),  # 99.99 is not 100
        (["1", "1", "1"], "t", [3, 3, 3], "III", "100.00"),  # 1/3 + 1/3 + 1/3 is exactly 1
        (["0.1", "0.2"], "", [3, 3], "III", "100.00"),  # renormalised to 1/3 and 2/3
    ],
)
def test_level_three_needs_exactly_100(weights, share, values, level, y3):
    answers = {seq: value(D(number)) for seq, number in enumerate(values, start=1)}
    result = evaluate(made_up_tiny(weights, share), answers)
    assert result.level == level
    assert (result.indices["III"] == 100) is (level == "III")
    assert result.indices_display["III"] == D(y3)


MADE_UP_RULES = [  # invented for tests: other thresholds and labels, and restrictive at III too
    {"level": "I", "label": "一级（虚构）", "min_index": D("90"), "restrictive_level": "I"},
    {"level": "II", "label": "二级（虚构）", "min_index": D("80"), "restrictive_level": "II"},
    {"level": "III", "label": "三级（虚构）", "min_index": D("60"), "restrictive_level": "III"},
]
MADE_UP_LENIENT_THREE = [*MADE_UP_RULES[:2], {**MADE_UP_RULES[2], "restrictive_level": None}]


@pytest.mark.parametrize(
    ("rules", "changes", "level", "label", "held_back_by"),
    [
        # seq 2 (0.15) below: Y_I = Y_II = Y_III = 85
        (COMMON_LEVEL_RULES, {"s2": value(D(70))}, "I", "I级（国际清洁生产领先水平）", {}),
        (None, {"s2": value(D(70))}, "I", "I级（国际清洁生产领先水平）", {}),  # no rules: the common ones
        (MADE_UP_RULES, {"s2": value(D(70))}, "II", "二级（虚构）", {}),
        # restrictive seq 1 below III: Y_k = 85
        (COMMON_LEVEL_RULES, {"s1": value(D(4))}, BELOW, "III级以下", {"I": [1], "II": [1]}),
        # (85 < 90: level I is out of reach by the index, so seq 1 is not what holds it back)
        (MADE_UP_RULES, {"s1": value(D(4))}, BELOW, "III级以下", {"II": [1], "III": [1]}),
        (MADE_UP_LENIENT_THREE, {"s1": value(D(4))}, "III", "三级（虚构）", {"II": [1]}),
        # restrictive seq 1 at III: the variant's level III accepts it
        (MADE_UP_RULES, {"s1": value(D(3))}, "III", "三级（虚构）", {"II": [1]}),
    ],
)
def test_custom_level_rules(rules, changes, level, label, held_back_by):
    definition = made_up_definition(level_rules=rules)
    if rules is None:
        del definition["level_rules"]
    result = evaluate(definition, made_up_answers(**changes))
    assert (result.level, result.label, result.held_back_by) == (level, label, held_back_by)


@pytest.mark.parametrize(("status", "trial"), [("verified", False), ("incomplete", True), ("draft", True)])
def test_trial_unless_verified(status, trial):
    result = evaluate(made_up_definition(status=status), made_up_answers())
    assert result.trial is trial
    assert result.level == "I"  # a trial still computes a level; the UI labels it 试算


# --- unanswered and next-level needs -----------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"s2": value(None), "s3": {"applicable": True, "met": None}},
        {"s2": value(""), "s3": {"applicable": True}},
        {"s2": {}, "s3": {}},
    ],
)
def test_unanswered_scores_zero_and_is_listed(changes):
    answers = made_up_answers(**changes)
    result = evaluate(made_up_definition(), answers)
    assert result.unanswered == [2, 3]
    assert [(row(result, seq).level, row(result, seq).answered) for seq in (2, 3)] == [(None, False)] * 2
    assert row(result, 2).weight == F(3, 20)  # keeps its weight: the gap shows in the indices
    assert result.indices == {"I": 65, "II": 65, "III": 65}


def test_missing_answer_counts_as_unanswered():
    answers = made_up_answers()
    del answers[17]
    assert evaluate(made_up_definition(), answers).unanswered == [17]


@pytest.mark.parametrize(
    ("seq", "answer", "expected"),
    [
        (1, value(D(2)), {"level": "I", "comparator": "≤", "value": D(1), "unit": "t/t"}),
        (1, value(D(5)), {"level": "III", "comparator": "≤", "value": D(3), "unit": "t/t"}),
        (1, value(None), {"level": "III", "comparator": "≤", "value": D(3), "unit": "t/t"}),
        (17, value(D(45)), {"level": "II", "comparator": "≥", "value": D(50), "unit": "%"}),
        (3, met(), {"level": "III", "requirements": ["甲"]}),
        (3, met("甲", "丙"), {"level": "II", "requirements": ["乙"]}),
        (3, met("甲", "乙"), {"level": "I", "requirements": ["丙"]}),
        (3, {"applicable": True}, {"level": "III", "requirements": ["甲"]}),
    ],
)
def test_next_level_needs(seq, answer, expected):
    need = row(evaluate(made_up_definition(), made_up_answers(**{f"s{seq}": answer})), seq).next
    assert need == {**expected, "missing_benchmark": False, "reach_level": expected["level"]}


@pytest.mark.parametrize(("seq", "answer"), [(1, value(D(1))), (3, met("甲", "乙", "丙")), (2, NOT_APPLICABLE)])
def test_no_next_level_at_one_or_when_not_applicable(seq, answer):
    assert row(evaluate(made_up_definition(), made_up_answers(**{f"s{seq}": answer})), seq).next is None


def test_next_level_without_any_benchmark_to_reach():
    definition = made_up_definition()
    indicator(definition, 1)["levels"]["I"] = None
    result = evaluate(definition, made_up_answers(s1=value(D("0.5"))))
    assert row(result, 1).level == "II"  # 0.5 ≤ 2; there is no I to meet
    assert row(result, 1).missing_benchmark == ["I"]
    assert row(result, 1).next == {
        "level": "I", "missing_benchmark": True, "reach_level": None, "comparator": "≤", "value": None, "unit": "t/t",
    }  # fmt: skip


def test_empty_requirement_list_is_a_missing_benchmark():
    definition = made_up_definition()
    indicator(definition, 3)["levels"]["III"] = []
    result = evaluate(definition, made_up_answers(s3=met()))
    assert row(result, 3).level == BELOW  # not "III for free"
    assert row(result, 3).missing_benchmark == ["III"]
    assert row(result, 3).next == {"level": "III", "missing_benchmark": True, "reach_level": "II",
                                   "requirements": ["甲", "乙"]}  # fmt: skip


# --- input errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"s1": NOT_APPLICABLE}, "第 1 项（虚构取水量）不可标为不适用。"),
        ({"s3": NOT_APPLICABLE}, "第 3 项（虚构工艺要求）不可标为不适用。"),
        ({"s1": value("abc")}, "第 1 项（虚构取水量）：“abc”不是数字。"),
        ({"s1": value("12 t")}, "第 1 项（虚构取水量）：“12 t”不是数字。"),
        ({"s1": value("NaN")}, "第 1 项（虚构取水量）：“NaN”不是数字。"),
        ({"s1": value("Infinity")}, "第 1 项（虚构取水量）：“Infinity”不是数字。"),
        ({"s1": value(True)}, "第 1 项（虚构取水量）：“True”不是数字。"),
        ({"s1": value([1])}, "第 1 项（虚构取水量）：“[1]”不是数字。"),
        ({"s2": {"applicable": "否"}}, "第 2 项（虚构回收率）：是否适用须为“是”或“否”。"),
        ({"s3": {"applicable": True, "met": "甲"}}, "第 3 项（虚构工艺要求）：达到的要求须逐条列出。"),
        ({"s3": {"applicable": True, "met": [1]}}, "第 3 项（虚构工艺要求）：达到的要求须逐条列出。"),
    ],
)
def test_answer_errors(changes, message):
    for compute in (evaluate, effective_weights):
        with pytest.raises(AnswerError) as error:
            compute(made_up_definition(), made_up_answers(**changes))
        assert str(error.value) == message
    assert isinstance(error.value, ValueError)


# --- stored form ------------------------------------------------------------------------------


def test_as_dict_is_json_and_exact():
    result = evaluate(made_up_definition(status="incomplete"), made_up_answers(s1=value(D("2.0")), s11=value(D(65))))
    stored = json.loads(json.dumps(result.as_dict(), ensure_ascii=False))
    # seq 11 (2/35) below III: Y_II = Y_III = 100 − 40/7; seq 1 (0.15) at II: Y_I = 85 − 40/7
    assert stored["indices_exact"] == {"I": "555/7", "II": "660/7", "III": "660/7"}
    assert stored["indices"] == {"I": "79.29", "II": "94.29", "III": "94.29"}
    assert {key: stored[key] for key in ("level", "label", "index_level", "trial", "held_back_by", "unanswered")} == {
        "level": "II", "label": "II级（国内清洁生产先进水平）", "index_level": "II", "trial": True, "held_back_by": {},
        "unanswered": [],
    }  # fmt: skip
    seq11 = stored["indicators"][4]
    assert (seq11["seq"], seq11["weight"], seq11["weight_exact"], seq11["level"]) == (11, "0.0571", "2/35", BELOW)
    assert stored["indicators"][0]["value"] == "2.0"
    assert stored["indicators"][0]["contributions"] == {"I": "0.00", "II": "15.00", "III": "15.00"}
    assert stored["indicators"][0]["next"] == {
        "level": "I", "missing_benchmark": False, "reach_level": "I", "comparator": "≤", "value": "1", "unit": "t/t",
    }  # fmt: skip
    assert stored["groups"][0] == {"name": "虚构资源消耗指标", "applicable": True, "weight": "0.3000", "weight_exact": "3/10"}
    assert stored["indicators"][2]["met"] == ["甲", "乙", "丙"]


@pytest.mark.parametrize(
    ("exact", "places", "shown"),
    [(F(450, 7), 2, "64.29"), (F(5, 1000), 2, "0.01"), (F(4999, 1000000), 2, "0.00"), (F(100), 2, "100.00"),
     (F(5, 14), 4, "0.3571"), (F(0), 4, "0.0000")],
)  # fmt: skip
def test_rounded_half_up(exact, places, shown):
    assert str(rounded(exact, places)) == shown


# --- Hebei's targets --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("in_park", "centralised", "level"),
    [(True, True, "II"), (True, False, "I"), (False, True, "I"), (False, False, "I")],
)
def test_water_target(in_park, centralised, level):
    assert water_target(in_park, centralised) == level
    custom = water_target(in_park, centralised, in_park_level="III", outside_level="II")
    assert custom == {"II": "III", "I": "II"}[level]


def target(changes, overall_level, water_level):
    definition = made_up_definition()
    return check_target(definition, evaluate(definition, made_up_answers(**changes)), overall_level, water_level)


def test_target_met_at_level_one():
    check = target({}, "II", "I")
    assert (check.met, check.overall_met, check.water_shortfalls, check.shortfalls) == (True, True, [], [])


def test_water_indicator_short_of_water_target():
    check = target({"s1": value(D(2))}, "II", "I")  # water seq 1 at II, the result II
    assert (check.met, check.overall_met, check.level, check.trial) == (False, True, "II", False)
    [shortfall] = check.water_shortfalls
    assert (shortfall.seq, shortfall.level, shortfall.target) == (1, "II", "I")
    assert shortfall.need == {"level": "I", "missing_benchmark": False, "reach_level": "I", "comparator": "≤",
                              "value": D(1), "unit": "t/t"}  # fmt: skip
    assert check.shortfalls == []
    assert target({"s1": value(D(2))}, "II", "II").met is True


def test_other_shortfalls_are_listed_without_failing_the_target():
    check = target({"s17": value(D(45))}, "II", "II")  # seq 17 (0.1) at III: Y_I = 90, level I
    assert (check.met, check.level, check.water_shortfalls) == (True, "I", [])
    assert [(item.seq, item.level, item.target) for item in check.shortfalls] == [(17, "III", "II")]
    assert check.as_dict()["shortfalls"][0]["need"] == {
        "level": "II", "missing_benchmark": False, "reach_level": "II", "comparator": "≥", "value": "50", "unit": "%",
    }  # fmt: skip


def test_overall_target_missed():
    # no water rule: the water seq 1 is an ordinary shortfall; Y_I = 65, level II
    check = target({"s1": value(D(2)), "s3": met("甲", "乙")}, "I", None)
    assert (check.met, check.overall_met, check.level, check.water_shortfalls) == (False, False, "II", [])
    assert [(item.seq, item.level, item.target) for item in check.shortfalls] == [(1, "II", "I"), (3, "II", "I")]
    assert check.shortfalls[1].need["requirements"] == ["丙"]


def test_water_indicator_meeting_water_target_but_below_overall_one():
    check = target({"s1": value(D(2))}, "I", "II")
    assert (check.water_shortfalls, [item.seq for item in check.shortfalls]) == ([], [1])


def test_unanswered_water_indicator_falls_short():
    check = target({"s1": value(None)}, "III", "II")
    assert [(item.seq, item.level) for item in check.water_shortfalls] == [(1, None)]
    assert check.water_shortfalls[0].need["value"] == D(2)
    assert json.dumps(check.as_dict())


@pytest.mark.parametrize(("overall", "water"), [(BELOW, None), ("IV", "I"), ("II", "best")])
def test_target_levels_are_checked(overall, water):
    with pytest.raises(ValueError):
        target({}, overall, water)


# --- the official electroplating table, as far as our copy goes ---------------------------------


def electroplating_partial():
    """Real data from the official 电镀行业 indicator system (the two groups we hold; their weights
    do not add up to 1, which is why the result is renormalised and the status incomplete)."""
    share = {"unit": "%", "kind": HIGHER_BETTER, "weight": D("0.8"), "share": "n", "restrictive": False,
             "water": False, "optional": True, "footnotes": ""}  # fmt: skip
    return {
        "code": "electroplating-comprehensive",
        "name": "电镀行业清洁生产评价指标体系",
        "issuers": "",
        "document_number": "",
        "year": 2015,
        "industries": ["3360"],
        "status": "incomplete",
        "source": {"file": "", "page": "", "note": ""},
        "level_rules": COMMON_LEVEL_RULES,
        "groups": [
            {"name": "资源消耗指标", "weight": D("0.1"), "indicators": [
                {"seq": 5, "name": "单位产品每次清洗取水量", "unit": "L/m2", "kind": LOWER_BETTER, "weight": D("1"),
                 "share": "", "levels": {"I": D("8"), "II": D("24"), "III": D("40")}, "restrictive": True,
                 "water": False, "optional": False, "footnotes": ""},
            ]},
            {"name": "资源综合利用指标", "weight": D("0.18"), "indicators": [
                {"seq": 6, "name": "锌利用率", "levels": {"I": D("82"), "II": D("80"), "III": D("75")}, **share},
                {"seq": 7, "name": "铜利用率", "levels": {"I": D("90"), "II": D("80"), "III": D("75")}, **share},
                {"seq": 8, "name": "镍利用率", "levels": {"I": D("95"), "II": D("85"), "III": D("80")}, **share},
            ]},
        ],
    }  # fmt: skip


def test_electroplating_partial_table():
    definition = electroplating_partial()
    answers = {5: value("20"), 6: value("83"), 7: NOT_APPLICABLE, 8: NOT_APPLICABLE}  # only zinc plated
    result = evaluate(definition, answers)
    weights = {item.seq: item.weight for item in result.indicators}
    assert weights == {5: F(1, 10) / F(28, 100), 6: F(18, 100) / F(28, 100), 7: 0, 8: 0}
    assert [row(result, seq).level for seq in (5, 6, 7, 8)] == ["II", "I", None, None]
    assert result.indices == {"I": F(450, 7), "II": 100, "III": 100}
    assert result.indices_display == {"I": D("64.29"), "II": D("100.00"), "III": D("100.00")}
    assert (result.level, result.index_level, result.held_back_by, result.trial) == ("II", "II", {}, True)
    assert row(result, 5).next == {"level": "I", "missing_benchmark": False, "reach_level": "I",
                                   "comparator": "≤", "value": D("8"), "unit": "L/m2"}  # fmt: skip
    assert (row(result, 5).weight_display, row(result, 6).weight_display) == (D("0.3571"), D("0.6429"))
    # water above 24 L/m2: seq 5 at III, Y_II = 64.29, so level III (by the index, not held back)
    worse = evaluate(definition, {**answers, 5: value("30")})
    assert (worse.level, worse.indices["III"], worse.held_back_by) == ("III", 100, {})


@pytest.mark.parametrize("water_level", ["I", "II", None])
def test_check_target_reads_a_stored_result_as_computed(water_level):
    """Pages check the result kept in the database (its as_dict), not a fresh computation."""
    definition = made_up_definition()
    result = evaluate(definition, made_up_answers())
    stored = json.loads(json.dumps(result.as_dict()))
    assert (check_target(definition, stored, "II", water_level).as_dict()
            == check_target(definition, result, "II", water_level).as_dict())
