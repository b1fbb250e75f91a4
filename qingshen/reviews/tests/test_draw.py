"""Tests of the expert draw (专家抽取): recusal, determinism, minimums, leader, records, substitutes.

Every expert, enterprise and consultancy here is made up (测试专家甲, 涿州测试企业, …).
"""

import itertools
import json
import random
import re
from dataclasses import replace

import pytest

from qingshen.reviews.draw import (
    ALGORITHM,
    Candidate,
    PoolTooSmall,
    RecordError,
    Rules,
    Subject,
    draw,
    new_seed,
    recusal_reasons,
    substitute,
    verify,
)

CP = "cleaner_production"
NAMES = "甲乙丙丁戊己庚辛壬癸"
MADE_UP_SUBJECT = Subject(
    enterprise_id=7, enterprise_name="涿州测试企业", county_code="130681", division="26",
    consultancy_ids=(31, 32), consultancy_names=("测试咨询甲公司", "测试咨询乙公司"),
    stage="acceptance", previous_stage="evaluation",
)


def made_up_expert(pk, *, name=None, employer="测试科研院", county="130102", fields=(CP,), divisions=(),
                   consultancies=(), enterprises=(), reviewed=(), active=True) -> Candidate:
    return Candidate(
        id=pk, name=name or (f"测试专家{NAMES[pk - 1]}" if pk <= len(NAMES) else f"测试专家{pk}"),
        employer=employer, home_county=county, home_city=county[:4], fields=tuple(fields),
        divisions=tuple(divisions), conflict_consultancy_ids=tuple(consultancies),
        conflict_enterprise_ids=tuple(enterprises), reviewed=tuple(reviewed), active=active,
    )


def made_up_pool() -> list[Candidate]:
    """Twelve eligible experts: 1–3 of the enterprise's industry (1 also cleaner production),
    4–8 cleaner production, 9–11 energy / environment / process, 12 no named field."""
    return [
        made_up_expert(1, divisions=("26",)),
        made_up_expert(2, fields=(), divisions=("26", "25")),
        made_up_expert(3, fields=("process",), divisions=("26",)),
        *(made_up_expert(pk, divisions=("33",)) for pk in range(4, 9)),
        made_up_expert(9, fields=("energy",)),
        made_up_expert(10, fields=("environment",)),
        made_up_expert(11, fields=("process",), divisions=("25",)),
        made_up_expert(12, fields=()),
    ]


def meets(group: list[Candidate], subject: Subject, rules: Rules) -> bool:
    """The rules' minimums, written independently of the draw."""
    industry = sum(1 for member in group if subject.division and subject.division in member.divisions)
    fields_ok = all(sum(1 for member in group if code in member.fields) >= count for code, count in rules.min_fields)
    can_lead = any(CP in member.fields or subject.division in member.divisions for member in group)
    return industry >= rules.min_industry and fields_ok and (can_lead or not rules.leader)


# --- recusal --------------------------------------------------------------------------------

RECUSAL_TABLE = [
    # (case, expert, rules, expected reasons)
    ("eligible", made_up_expert(1), Rules(), []),
    ("inactive", made_up_expert(1, active=False), Rules(), ["已停用（不在库）"]),
    ("advised this enterprise", made_up_expert(1, enterprises=(5, 7)), Rules(),
     ["曾服务或指导本企业：涿州测试企业"]),
    ("advised another enterprise", made_up_expert(1, enterprises=(5,)), Rules(), []),
    ("worked for its consultancy", made_up_expert(1, consultancies=(32,)), Rules(),
     ["与本企业委托的咨询机构有关：测试咨询乙公司"]),
    ("employed by its consultancy", made_up_expert(1, employer="测试咨询甲公司"), Rules(),
     ["与本企业委托的咨询机构有关：测试咨询甲公司"]),
    ("worked for another consultancy", made_up_expert(1, consultancies=(33,)), Rules(), []),
    ("employed by the enterprise", made_up_expert(1, employer="涿州测试企业"), Rules(), ["受雇于本企业"]),
    ("same county", made_up_expert(1, county="130681"), Rules(), ["与企业同在 130681（同县回避）"]),
    ("same county, rule off", made_up_expert(1, county="130681"), Rules(exclude_same_county=False), []),
    ("county unknown", made_up_expert(1, county=""), Rules(), []),
    ("same city, other county", made_up_expert(1, county="130602"), Rules(), []),
    ("reviewed the evaluation, rule on", made_up_expert(1, reviewed=((7, "evaluation"),)),
     Rules(exclude_previous_stage_reviewers=True), ["参加过本企业评估审核"]),
    ("reviewed the evaluation, rule off", made_up_expert(1, reviewed=((7, "evaluation"),)), Rules(), []),
    ("reviewed another enterprise", made_up_expert(1, reviewed=((8, "evaluation"),)),
     Rules(exclude_previous_stage_reviewers=True), []),
    ("declined this draw", made_up_expert(1), Rules(exclude=(1,)), ["已谢绝本次审核"]),
    ("someone else declined", made_up_expert(1), Rules(exclude=(2,)), []),
    ("every reason at once",
     made_up_expert(1, active=False, enterprises=(7,), consultancies=(31,), employer="涿州测试企业",
                    county="130681", reviewed=((7, "evaluation"),)),
     Rules(exclude_previous_stage_reviewers=True, exclude=(1,)),
     ["已停用（不在库）", "曾服务或指导本企业：涿州测试企业", "与本企业委托的咨询机构有关：测试咨询甲公司",
      "受雇于本企业", "与企业同在 130681（同县回避）", "参加过本企业评估审核", "已谢绝本次审核"]),
    ("both consultancies", made_up_expert(1, consultancies=(31, 32)), Rules(),
     ["与本企业委托的咨询机构有关：测试咨询甲公司", "与本企业委托的咨询机构有关：测试咨询乙公司"]),
]


@pytest.mark.parametrize(("expert", "rules", "expected"), [row[1:] for row in RECUSAL_TABLE],
                         ids=[row[0] for row in RECUSAL_TABLE])
def test_recusal_reasons(expert, rules, expected):
    assert recusal_reasons(expert, MADE_UP_SUBJECT, rules) == expected


def test_previous_stage_rule_does_nothing_at_the_first_stage():
    evaluation = replace(MADE_UP_SUBJECT, stage="evaluation", previous_stage=None)
    expert = made_up_expert(1, reviewed=((7, "evaluation"),))
    assert recusal_reasons(expert, evaluation, Rules(exclude_previous_stage_reviewers=True)) == []


def test_draw_keeps_the_recused_out_and_records_why():
    pool = [*made_up_pool(), made_up_expert(13, county="130681"), made_up_expert(14, enterprises=(7,), active=False)]
    for seed in map(str, range(30)):
        outcome = draw(pool, MADE_UP_SUBJECT, Rules(size=12), seed)
        assert sorted(outcome.chosen) == list(range(1, 13))
        assert outcome.exclusions == [
            {"id": 13, "name": "测试专家13", "reasons": ["与企业同在 130681（同县回避）"]},
            {"id": 14, "name": "测试专家14", "reasons": ["已停用（不在库）", "曾服务或指导本企业：涿州测试企业"]},
        ]


# --- determinism ----------------------------------------------------------------------------


def test_same_seed_same_record():
    first = draw(made_up_pool(), MADE_UP_SUBJECT, Rules(), "made-up-seed")
    again = draw(made_up_pool(), MADE_UP_SUBJECT, Rules(), "made-up-seed")
    assert first.as_record() == again.as_record()


def test_input_order_does_not_matter():
    expected = draw(made_up_pool(), MADE_UP_SUBJECT, Rules(), "made-up-seed").as_record()
    shuffler = random.Random(1)
    for _ in range(10):
        pool = made_up_pool()
        shuffler.shuffle(pool)
        assert draw(pool, MADE_UP_SUBJECT, Rules(), "made-up-seed").as_record() == expected


def test_different_seeds_give_different_groups():
    groups = {tuple(draw(made_up_pool(), MADE_UP_SUBJECT, Rules(), f"seed-{n}").chosen) for n in range(8)}
    assert len(groups) > 1


def test_new_seed_is_fresh_hex():
    seeds = {new_seed() for _ in range(5)}
    assert len(seeds) == 5
    assert all(re.fullmatch(r"[0-9a-f]{32}", seed) for seed in seeds)


# --- minimums and leader, over random made-up pools ------------------------------------------


FIELD_CODES = ["cleaner_production", "energy", "environment", "process"]


def random_made_up_case(maker: random.Random) -> tuple[list[Candidate], Rules]:
    """A random made-up pool, and minimums copied from a random group of it (the witness): tight
    rules that a careless draw can miss, met only when the witness is itself eligible."""
    pool = [
        made_up_expert(pk, fields=maker.sample(FIELD_CODES, maker.randint(0, 2)),
                       divisions=maker.sample(["26", "25", "33"], maker.randint(0, 2)),
                       county=maker.choice(["130102", "130102", "130681"]), enterprises=maker.choice([(), (), (7,)]))
        for pk in maker.sample(range(1, 40), maker.randint(2, 9))
    ]
    size = maker.randint(1, min(5, len(pool)))
    eligible = [expert for expert in pool if expert.home_county != "130681" and 7 not in expert.conflict_enterprise_ids]
    witness = maker.sample(eligible if len(eligible) >= size and maker.random() < 0.7 else pool, size)
    rules = Rules(size=size, leader=maker.random() < 0.8,
                  min_industry=sum(1 for expert in witness if "26" in expert.divisions),
                  min_fields=tuple((code, sum(1 for expert in witness if code in expert.fields))
                                   for code in maker.sample(FIELD_CODES, maker.randint(0, 3))))
    return pool, rules


def test_minimums_met_whenever_some_group_meets_them():
    maker = random.Random(20240611)
    drawn = refused = 0
    for case in range(400):
        pool, rules = random_made_up_case(maker)
        eligible = [expert for expert in pool if not recusal_reasons(expert, MADE_UP_SUBJECT, rules)]
        possible = any(meets(list(group), MADE_UP_SUBJECT, rules)
                       for group in itertools.combinations(eligible, rules.size))
        if not possible:
            with pytest.raises(PoolTooSmall):
                draw(pool, MADE_UP_SUBJECT, rules, f"case-{case}")
            refused += 1
            continue
        outcome = draw(pool, MADE_UP_SUBJECT, rules, f"case-{case}")
        group = [expert for expert in eligible if expert.id in outcome.chosen]
        assert len(outcome.chosen) == len(set(outcome.chosen)) == rules.size == len(group), case
        assert meets(group, MADE_UP_SUBJECT, rules), case
        if rules.leader:
            leader = next(expert for expert in group if expert.id == outcome.leader)
            assert CP in leader.fields or "26" in leader.divisions, case
        else:
            assert outcome.leader is None
        assert verify(outcome.as_record()).same, case
        drawn += 1
    assert drawn > 100 and refused > 100  # both branches really exercised


def test_a_greedy_first_pick_would_fail_but_the_draw_does_not():
    """Size 2 with industry, cleaner production and energy minimums: only 甲 (industry and
    cleaner production) with 丁 (energy) meets them; taking 乙 or 丙 for the industry minimum
    would leave no room."""
    pool = [made_up_expert(1, divisions=("26",)), made_up_expert(2, fields=(), divisions=("26",)),
            made_up_expert(3, fields=(), divisions=("26",)), made_up_expert(4, fields=("energy",))]
    rules = Rules(size=2, min_industry=1, min_fields=((CP, 1), ("energy", 1)))
    for seed in map(str, range(20)):
        assert sorted(draw(pool, MADE_UP_SUBJECT, rules, seed).chosen) == [1, 4]


def test_leader_is_drawn_among_those_who_can_lead():
    leaders = set()
    for seed in map(str, range(40)):
        outcome = draw(made_up_pool(), MADE_UP_SUBJECT, Rules(size=5), seed)
        assert outcome.leader in outcome.chosen
        assert outcome.leader not in (9, 10, 11, 12)  # neither cleaner production nor industry 26
        leaders.add(outcome.leader)
    assert {2, 3} & leaders  # industry experts without cleaner production can lead too
    assert len(leaders) > 3


def test_leader_is_its_own_minimum_when_nothing_else_guarantees_one():
    pool = [made_up_expert(1), *(made_up_expert(pk, fields=("energy",)) for pk in range(2, 9))]
    rules = Rules(size=3, min_industry=0, min_fields=(("energy", 1),))
    for seed in map(str, range(20)):
        outcome = draw(pool, MADE_UP_SUBJECT, rules, seed)
        assert 1 in outcome.chosen and outcome.leader == 1


def test_no_leader_when_the_rules_ask_for_none():
    outcome = draw(made_up_pool(), MADE_UP_SUBJECT, Rules(size=3, leader=False), "made-up-seed")
    assert outcome.leader is None


# --- pool too small -------------------------------------------------------------------------


def small_pool() -> list[Candidate]:
    return [
        made_up_expert(1, name="测试专家甲", county="130681"),
        made_up_expert(2, name="测试专家乙", enterprises=(7,)),
        made_up_expert(3, divisions=("26",)),
        made_up_expert(4),
        made_up_expert(5, fields=("energy",)),
    ]


TOO_SMALL_TABLE = [
    ("size", Rules(size=5),
     "可抽取专家不足：需要 5 人（其中行业专家至少 1 人、清洁生产至少 1 人），符合条件的只有 3 人。"
     "回避情况：测试专家甲——与企业同在 130681（同县回避）；测试专家乙——曾服务或指导本企业：涿州测试企业。"),
    ("size, no minimums", Rules(size=4, leader=False, min_industry=0, min_fields=()),
     "可抽取专家不足：需要 4 人，符合条件的只有 3 人。"
     "回避情况：测试专家甲——与企业同在 130681（同县回避）；测试专家乙——曾服务或指导本企业：涿州测试企业。"),
    ("industry minimum", Rules(size=3, min_industry=2),
     "可抽取专家不足：需要行业专家（本企业所属行业大类 26）至少 2 人，符合条件的只有 1 人。"
     "回避情况：测试专家甲——与企业同在 130681（同县回避）；测试专家乙——曾服务或指导本企业：涿州测试企业。"),
    ("field minimum", Rules(size=3, min_fields=((CP, 1), ("environment", 1))),
     "可抽取专家不足：需要环保专业的专家至少 1 人，符合条件的只有 0 人。"
     "回避情况：测试专家甲——与企业同在 130681（同县回避）；测试专家乙——曾服务或指导本企业：涿州测试企业。"),
    ("minimums together", Rules(size=2, min_fields=((CP, 2), ("energy", 1))),
     "可抽取专家不足：符合条件的 3 人中，无法在 2 人内同时满足行业专家至少 1 人、清洁生产至少 2 人、节能至少 1 人。"
     "回避情况：测试专家甲——与企业同在 130681（同县回避）；测试专家乙——曾服务或指导本企业：涿州测试企业。"),
]


@pytest.mark.parametrize(("rules", "message"), [row[1:] for row in TOO_SMALL_TABLE],
                         ids=[row[0] for row in TOO_SMALL_TABLE])
def test_pool_too_small_names_the_rule_and_the_people(rules, message):
    with pytest.raises(PoolTooSmall) as raised:
        draw(small_pool(), MADE_UP_SUBJECT, rules, "made-up-seed")
    assert str(raised.value) == message
    assert [exclusion["id"] for exclusion in raised.value.exclusions] == [1, 2]
    assert [expert.id for expert in raised.value.eligible] == [3, 4, 5]


def test_pool_too_small_without_an_industry_on_record():
    subject = replace(MADE_UP_SUBJECT, division="")
    with pytest.raises(PoolTooSmall, match="需要行业专家（本企业未填写所属行业大类）至少 1 人，符合条件的只有 0 人。"):
        draw(made_up_pool(), subject, Rules(), "made-up-seed")


# --- records and verification ---------------------------------------------------------------


def made_up_record() -> dict:
    pool = [*made_up_pool(), made_up_expert(13, county="130681")]
    return draw(pool, MADE_UP_SUBJECT, Rules(size=5), "made-up-seed").as_record()


def test_record_is_json_with_every_input():
    record = made_up_record()
    assert json.loads(json.dumps(record)) == record
    assert record["algorithm"] == ALGORITHM and record["seed"] == "made-up-seed"
    assert set(record) == {"algorithm", "seed", "rules", "subject", "pool", "exclusions", "chosen", "leader",
                           "kept", "replaces", "kept_leader"}
    assert [expert["id"] for expert in record["pool"]] == list(range(1, 14))
    assert record["pool"][0] == {
        "id": 1, "name": "测试专家甲", "employer": "测试科研院", "home_county": "130102", "home_city": "1301",
        "fields": [CP], "divisions": ["26"], "conflict_consultancy_ids": [], "conflict_enterprise_ids": [],
        "reviewed": [], "active": True,
    }
    assert record["rules"]["min_fields"] == [[CP, 1]]
    assert record["subject"]["consultancy_names"] == ["测试咨询甲公司", "测试咨询乙公司"]
    assert record["kept"] is None and record["replaces"] is None


def test_verify_a_fresh_record():
    record = made_up_record()
    result = verify(json.loads(json.dumps(record)))
    assert result.same
    assert (result.chosen, result.leader) == (record["chosen"], record["leader"])
    assert result.message.startswith("复核一致：")
    leader_name = f"测试专家{NAMES[record['leader'] - 1]}（组长）"
    assert leader_name in result.message


def tampered(change):
    record = made_up_record()
    change(record)
    return record


def other_seed(record):
    record["seed"] = "another-made-up-seed"


def drop_a_chosen_expert(record):
    record["pool"] = [expert for expert in record["pool"] if expert["id"] != record["chosen"][0]]


def move_the_recused_expert(record):
    record["pool"][-1]["home_county"] = "130102"


def swap_a_member(record):
    record["chosen"][0] = next(pk for pk in range(1, 13) if pk not in record["chosen"])


def swap_the_leader(record):
    record["leader"] = next(pk for pk in record["chosen"] if pk != record["leader"])


def soften_a_reason(record):
    record["exclusions"][0]["reasons"] = ["其他原因"]


def shrink_the_pool(record):
    record["pool"] = record["pool"][:4]


@pytest.mark.parametrize("change", [other_seed, drop_a_chosen_expert, move_the_recused_expert, swap_a_member,
                                    swap_the_leader, soften_a_reason, shrink_the_pool])
def test_verify_a_tampered_record(change):
    result = verify(tampered(change))
    assert not result.same
    assert result.message.startswith("复核不一致：")


def test_verify_names_both_groups_when_they_differ():
    result = verify(tampered(other_seed))
    assert "记录的结果为 " in result.message and "按记录重新抽取得到 " in result.message


@pytest.mark.parametrize(("change", "message"), [
    (lambda record: record.update(algorithm="qingshen-draw/0"), "记录的抽取算法版本为 qingshen-draw/0，本系统只支持 qingshen-draw/1"),
    (lambda record: record.pop("algorithm"), "记录的抽取算法版本为 （未注明）"),
    (lambda record: record.pop("pool"), "抽取记录不完整或格式有误"),
    (lambda record: record["rules"].update(size=0), "抽取记录不完整或格式有误"),
])
def test_records_that_cannot_be_rerun(change, message):
    with pytest.raises(RecordError, match=re.escape(message)):
        verify(tampered(change))


# --- substitutes ----------------------------------------------------------------------------


def test_substitute_keeps_the_others():
    record = made_up_record()
    declined = record["chosen"][1]
    outcome = substitute(record, declined, "made-up-substitute-seed")
    kept = [pk for pk in record["chosen"] if pk != declined]
    assert outcome.kept == kept
    assert outcome.chosen[:-1] == kept and outcome.chosen[-1] not in record["chosen"]
    assert outcome.replaces == declined and outcome.rules["exclude"] == [declined]
    assert {"id": declined, "name": f"测试专家{NAMES[declined - 1]}", "reasons": ["已谢绝本次审核"]} in outcome.exclusions
    assert outcome.pool == record["pool"]
    assert verify(json.loads(json.dumps(outcome.as_record()))).same


def test_substitute_keeps_the_leader_unless_the_leader_declined():
    record = made_up_record()
    other = next(pk for pk in record["chosen"] if pk != record["leader"])
    assert substitute(record, other, "made-up-substitute-seed").leader == record["leader"]
    for seed in map(str, range(10)):
        outcome = substitute(record, record["leader"], seed)
        assert outcome.kept_leader is None and outcome.leader in outcome.chosen
        assert outcome.leader not in (9, 10, 11, 12, record["leader"])
        assert verify(outcome.as_record()).same


def test_substitute_preserves_the_minimums():
    """Over many draws and every member declining: the replacement covers what was lost, and
    the substitute is refused only when no one left could."""
    pool = made_up_pool()
    rules = Rules(size=3, min_industry=1, min_fields=((CP, 1), ("energy", 1)))
    replaced = refused = 0
    for seed in map(str, range(15)):
        record = draw(pool, MADE_UP_SUBJECT, rules, seed).as_record()
        for declined in record["chosen"]:
            kept = [expert for expert in pool if expert.id in record["chosen"] and expert.id != declined]
            others = [expert for expert in pool if expert.id not in record["chosen"]]
            if not any(meets([*kept, other], MADE_UP_SUBJECT, rules) for other in others):
                with pytest.raises(PoolTooSmall, match="^可抽取专家不足：(替补须为|无法由 1 名替补同时补足)"):
                    substitute(record, declined, f"{seed}-{declined}")
                refused += 1
                continue
            outcome = substitute(record, declined, f"{seed}-{declined}")
            group = [expert for expert in pool if expert.id in outcome.chosen]
            assert len(group) == 3 and declined not in outcome.chosen
            assert meets(group, MADE_UP_SUBJECT, rules), (seed, declined)
            replaced += 1
    assert replaced > 10 and refused > 0


def test_substitutes_accumulate_declines():
    first = substitute(made_up_record(), made_up_record()["chosen"][0], "made-up-seed-1").as_record()
    second = substitute(first, first["chosen"][0], "made-up-seed-2")
    declined = [made_up_record()["chosen"][0], first["chosen"][0]]
    assert second.rules["exclude"] == declined
    assert not set(declined) & set(second.chosen)
    assert verify(second.as_record()).same


def test_substitute_when_no_one_can_replace_the_only_industry_expert():
    pool = [made_up_expert(1, fields=(), divisions=("26",)), *(made_up_expert(pk) for pk in range(2, 6))]
    record = draw(pool, MADE_UP_SUBJECT, Rules(size=3), "made-up-seed").as_record()
    with pytest.raises(PoolTooSmall) as raised:
        substitute(record, 1, "made-up-substitute-seed")
    assert str(raised.value).startswith(
        "可抽取专家不足：替补须为行业专家（本企业所属行业大类 26），符合条件的只有 0 人。回避情况：测试专家甲——已谢绝本次审核。")


def test_substitute_for_someone_not_in_the_group():
    record = made_up_record()
    outsider = next(pk for pk in range(1, 13) if pk not in record["chosen"])
    with pytest.raises(ValueError, match=f"无法替补：测试专家{NAMES[outsider - 1]}不在本次抽取的专家组中。"):
        substitute(record, outsider, "made-up-substitute-seed")


def test_substitute_refuses_a_record_that_does_not_verify():
    with pytest.raises(RecordError, match="该抽取记录未通过复核，不能据此替补。复核不一致："):
        substitute(tampered(swap_a_member), 1, "made-up-substitute-seed")


def test_a_tampered_substitute_record_does_not_verify():
    record = made_up_record()
    outcome = substitute(record, record["chosen"][0], "made-up-substitute-seed").as_record()
    outcome["kept"] = outcome["kept"][:-1] + [outcome["chosen"][-1]]
    assert not verify(outcome).same


# --- rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"size": 0}, "专家组至少 1 人"),
    ({"min_industry": -1}, "最少人数不能为负数"),
    ({"min_fields": (("law", 1),)}, "未知的专业领域 law"),
    ({"min_fields": ((CP, 1), (CP, 2))}, "同一专业领域的最少人数只能写一次"),
])
def test_rules_that_make_no_sense(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Rules(**kwargs)


def test_duplicate_expert_ids_are_refused():
    with pytest.raises(ValueError, match="候选名单中专家编号重复：4"):
        draw([*made_up_pool(), made_up_expert(4)], MADE_UP_SUBJECT, Rules(), "made-up-seed")
