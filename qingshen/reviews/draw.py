"""专家抽取: the random draw of a review group, reproducible from its record.

Why pure: anyone must be able to re-verify a draw, years later, from what was recorded — the
pool as it stood, each exclusion with its reason, the seed, the algorithm version and the
result. So the draw is a function of those alone: no database, no clock, no global randomness.
The service builds `Candidate`s and a `Subject` from the models, stores `Outcome.as_record()`
in the audit trail, and `verify(record)` re-runs it. A draw cannot be "retried until it suits":
every attempt gets a fresh `new_seed()` and its own record.

Algorithm qingshen-draw/1:

1. Recusal: every candidate gets the reasons it must stay out (`recusal_reasons`); those with
   any reason are excluded, all reasons listed.
2. The eligible are sorted by id (the input order never matters) and picked with
   `random.Random(int(sha256(ALGORITHM + "\\n" + seed)))`, one at a time, using only the
   generator's `random()`: its sequence is the part Python guarantees across versions.
3. Minimums first, in order — industry experts (whose divisions include the enterprise's),
   then each named field of `Rules.min_fields` — each pick from those meeting the minimum
   being filled, leaving out anyone whose pick would make the remaining minimums impossible
   within the group size (so whenever some group meets every minimum, the draw finds one).
   An expert counts for every minimum it meets. Then the rest of the group from everyone left.
4. The leader (组长) is picked among the group's members who can lead: a cleaner production
   specialist or an expert of the enterprise's industry. When no minimum already guarantees
   one, "at least one who can lead" is a minimum of its own.

A substitute (替补) for an expert who declined keeps the rest of the group, adds the declined
one to `Rules.exclude`, and picks one replacement the same way: the minimums are counted with
the kept experts, so the replacement must cover whatever the declined one covered. The leader
stays unless it is the one who declined; then a new one is picked.

The record (`Outcome.as_record()`, JSON-serialisable)::

    {
      "algorithm": "qingshen-draw/1",
      "seed": "9f2c…",                         # new_seed(): 32 hex digits
      "rules": {"size": 5, "leader": true, "min_industry": 1,
                "min_fields": [["cleaner_production", 1]],
                "exclude_same_county": true, "exclude_previous_stage_reviewers": false,
                "exclude": [12]},              # declined in this draw (substitutes)
      "subject": {"enterprise_id": 7, "enterprise_name": "…", "county_code": "130681",
                  "division": "26", "consultancy_ids": [31], "consultancy_names": ["…"],
                  "stage": "acceptance", "previous_stage": "evaluation"},
      "pool": [{"id": 3, "name": "…", "employer": "…", "home_county": "130602",
                "home_city": "1306", "fields": ["cleaner_production"], "divisions": ["26"],
                "conflict_consultancy_ids": [], "conflict_enterprise_ids": [],
                "reviewed": [[7, "evaluation"]], "active": true}, …],   # by id
      "exclusions": [{"id": 5, "name": "…", "reasons": ["与企业同在 130681（同县回避）"]}, …],
      "chosen": [3, 9, 4, 11, 6],              # the group, in draw order (substitute: kept + new)
      "leader": 9,                             # or null when the rules ask for no leader
      "kept": null,                            # substitute: the members kept, in order
      "replaces": null,                        # substitute: the id of the one who declined
      "kept_leader": null                      # substitute: the leader carried over, or null
    }
"""

import hashlib
import json
import random
import secrets
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace
from functools import lru_cache

ALGORITHM = "qingshen-draw/1"

CLEANER_PRODUCTION = "cleaner_production"
#: Named specialties, labelled as in `qingshen.experts.models.Field`.
FIELDS = {"cleaner_production": "清洁生产", "energy": "节能", "environment": "环保", "process": "行业工艺"}
STAGES = {"evaluation": "评估", "acceptance": "验收"}


@dataclass(frozen=True)
class Candidate:
    """An expert of the pool as it stood at the draw."""

    id: int
    name: str
    employer: str
    home_county: str  # county code, "" if unknown (then no same-county recusal)
    home_city: str
    fields: tuple[str, ...]  # keys of FIELDS
    divisions: tuple[str, ...]  # GB/T 4754 two-digit divisions
    conflict_consultancy_ids: tuple[int, ...]
    conflict_enterprise_ids: tuple[int, ...]
    reviewed: tuple[tuple[int, str], ...]  # (enterprise id, stage) reviewed before
    active: bool = True

    @classmethod
    def from_dict(cls, data: dict) -> "Candidate":
        return cls(
            id=int(data["id"]), name=str(data["name"]), employer=str(data["employer"]),
            home_county=str(data["home_county"]), home_city=str(data["home_city"]),
            fields=tuple(str(code) for code in data["fields"]),
            divisions=tuple(str(code) for code in data["divisions"]),
            conflict_consultancy_ids=tuple(int(pk) for pk in data["conflict_consultancy_ids"]),
            conflict_enterprise_ids=tuple(int(pk) for pk in data["conflict_enterprise_ids"]),
            reviewed=tuple((int(enterprise), str(stage)) for enterprise, stage in data["reviewed"]),
            active=bool(data["active"]),
        )


@dataclass(frozen=True)
class Subject:
    """The enterprise and the stage the group reviews."""

    enterprise_id: int
    enterprise_name: str
    county_code: str
    division: str  # the enterprise's GB/T 4754 division
    consultancy_ids: tuple[int, ...]
    consultancy_names: tuple[str, ...]  # same order as consultancy_ids, for messages
    stage: str  # "evaluation" / "acceptance"
    previous_stage: str | None  # "evaluation" when stage is acceptance

    def __post_init__(self):
        if len(self.consultancy_ids) != len(self.consultancy_names):
            raise ValueError("咨询机构编号与名称的个数不一致。")
        if self.stage not in STAGES or self.previous_stage not in (None, *STAGES):
            raise ValueError(f"审核阶段有误：{self.stage}（上一阶段 {self.previous_stage}）。")

    @classmethod
    def from_dict(cls, data: dict) -> "Subject":
        return cls(
            enterprise_id=int(data["enterprise_id"]), enterprise_name=str(data["enterprise_name"]),
            county_code=str(data["county_code"]), division=str(data["division"]),
            consultancy_ids=tuple(int(pk) for pk in data["consultancy_ids"]),
            consultancy_names=tuple(str(name) for name in data["consultancy_names"]),
            stage=str(data["stage"]), previous_stage=data["previous_stage"],
        )


@dataclass(frozen=True)
class Rules:
    """What the handling level asks for."""

    size: int = 5
    leader: bool = True
    min_industry: int = 1  # experts whose divisions include the enterprise's
    min_fields: tuple[tuple[str, int], ...] = ((CLEANER_PRODUCTION, 1),)
    exclude_same_county: bool = True
    exclude_previous_stage_reviewers: bool = False
    exclude: tuple[int, ...] = ()  # declined in this draw

    def __post_init__(self):
        if self.size < 1:
            raise ValueError("抽取规则有误：专家组至少 1 人。")
        if self.min_industry < 0 or any(count < 0 for _, count in self.min_fields):
            raise ValueError("抽取规则有误：最少人数不能为负数。")
        codes = [code for code, _ in self.min_fields]
        unknown = [code for code in codes if code not in FIELDS]
        if unknown:
            raise ValueError(f"抽取规则有误：未知的专业领域 {'、'.join(unknown)}。")
        if len(set(codes)) != len(codes):
            raise ValueError("抽取规则有误：同一专业领域的最少人数只能写一次。")

    @classmethod
    def from_dict(cls, data: dict) -> "Rules":
        return cls(
            size=int(data["size"]), leader=bool(data["leader"]), min_industry=int(data["min_industry"]),
            min_fields=tuple((str(code), int(count)) for code, count in data["min_fields"]),
            exclude_same_county=bool(data["exclude_same_county"]),
            exclude_previous_stage_reviewers=bool(data["exclude_previous_stage_reviewers"]),
            exclude=tuple(int(pk) for pk in data["exclude"]),
        )


@dataclass(frozen=True)
class Outcome:
    """One draw or substitute, with everything needed to re-run it (see the module docstring)."""

    algorithm: str
    seed: str
    rules: dict
    subject: dict
    pool: list[dict]
    exclusions: list[dict]
    chosen: list[int]
    leader: int | None
    kept: list[int] | None = None
    replaces: int | None = None
    kept_leader: int | None = None

    def as_record(self) -> dict:
        """The record to store: exactly what a JSON column gives back."""
        return json.loads(json.dumps(asdict(self)))


@dataclass(frozen=True)
class VerifyResult:
    same: bool
    chosen: list[int]  # recomputed ([] when the draw could not be re-run)
    leader: int | None
    message: str


class PoolTooSmall(ValueError):
    """Not enough eligible experts for the rules. Carries what the page shows."""

    def __init__(self, message: str, exclusions: list[dict], eligible: list[Candidate]):
        super().__init__(message)
        self.exclusions = exclusions
        self.eligible = eligible


class RecordError(ValueError):
    """A record that cannot be re-run: unknown algorithm version, or missing or malformed data."""


def new_seed() -> str:
    return secrets.token_hex(16)


def recusal_reasons(candidate: Candidate, subject: Subject, rules: Rules) -> list[str]:
    """Why `candidate` must stay out of this review, every reason (none: eligible)."""
    reasons = []
    if not candidate.active:
        reasons.append("已停用（不在库）")
    if subject.enterprise_id in candidate.conflict_enterprise_ids:
        reasons.append(f"曾服务或指导本企业：{subject.enterprise_name}")
    employer = candidate.employer.strip()
    for pk, name in zip(subject.consultancy_ids, subject.consultancy_names, strict=True):
        if pk in candidate.conflict_consultancy_ids or (employer and employer == name.strip()):
            reasons.append(f"与本企业委托的咨询机构有关：{name}")
    if employer and employer == subject.enterprise_name.strip():
        reasons.append("受雇于本企业")
    if rules.exclude_same_county and candidate.home_county and candidate.home_county == subject.county_code:
        reasons.append(f"与企业同在 {subject.county_code}（同县回避）")
    if (rules.exclude_previous_stage_reviewers and subject.previous_stage
            and (subject.enterprise_id, subject.previous_stage) in candidate.reviewed):
        reasons.append(f"参加过本企业{STAGES[subject.previous_stage]}审核")
    if candidate.id in rules.exclude:
        reasons.append("已谢绝本次审核")
    return reasons


def draw(candidates: Iterable[Candidate], subject: Subject, rules: Rules, seed: str) -> Outcome:
    """Draw a group. Raises PoolTooSmall when the eligible experts cannot meet the rules."""
    return _run(list(candidates), subject, rules, seed)


def substitute(record: dict, declined_id: int, seed: str) -> Outcome:
    """Draw one replacement for `declined_id` of the group in `record`, keeping the others.

    The record must verify first: a substitute drawn from an altered record would carry the
    alteration along."""
    check = verify(record)
    if not check.same:
        raise RecordError(f"该抽取记录未通过复核，不能据此替补。{check.message}")
    candidates, subject, rules, _ = _load(record)
    chosen, leader = _ids(record["chosen"]), _id(record["leader"])
    if declined_id not in chosen:
        names = {candidate.id: candidate.name for candidate in candidates}
        raise ValueError(f"无法替补：{names.get(declined_id, f'编号 {declined_id}')}不在本次抽取的专家组中。")
    return _run(candidates, subject, replace(rules, exclude=(*rules.exclude, declined_id)), seed,
                kept=[pk for pk in chosen if pk != declined_id],
                kept_leader=None if leader == declined_id else leader, replaces=declined_id)


def verify(record: dict) -> VerifyResult:
    """Re-run the draw (or substitute) of `record` and say whether it gives the same group."""
    candidates, subject, rules, seed = _load(record)
    try:
        chosen, leader, exclusions = _ids(record["chosen"]), _id(record["leader"]), record["exclusions"]
        kept = None if record["kept"] is None else _ids(record["kept"])
        replaces, kept_leader = _id(record["replaces"]), _id(record["kept_leader"])
    except (KeyError, TypeError, ValueError) as error:
        raise RecordError(f"抽取记录不完整或格式有误：{error!r}。") from error
    names = {candidate.id: candidate.name for candidate in candidates}
    try:
        again = _run(candidates, subject, rules, seed, kept=kept, kept_leader=kept_leader, replaces=replaces)
    except ValueError as error:
        return VerifyResult(False, [], None, f"复核不一致：按记录重新抽取未能完成——{error}")
    problems = []
    if (again.chosen, again.leader) != (chosen, leader):
        problems.append(f"记录的结果为 {_group_text(chosen, leader, names)}，"
                        f"按记录重新抽取得到 {_group_text(again.chosen, again.leader, names)}")
    if again.exclusions != exclusions:
        problems.append("记录中的回避情况与按回避规则重新计算的不同")
    if problems:
        return VerifyResult(False, again.chosen, again.leader, f"复核不一致：{'；'.join(problems)}。")
    return VerifyResult(True, again.chosen, again.leader,
                        f"复核一致：按记录中的候选名单、回避规则和随机种子（算法 {ALGORITHM}）重新抽取，"
                        f"得到同一组专家：{_group_text(again.chosen, again.leader, names)}。")


# --- the engine ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Need:
    """A minimum: at least `count` members passing `test`."""

    label: str  # in the rules summary: "行业专家"
    detail: str  # when this minimum alone cannot be met: "行业专家（本企业所属行业大类 26）"
    count: int
    test: Callable[[Candidate], bool]


def _run(candidates: list[Candidate], subject: Subject, rules: Rules, seed: str, *,
         kept: list[int] | None = None, kept_leader: int | None = None,
         replaces: int | None = None) -> Outcome:
    if not isinstance(seed, str) or not seed:
        raise ValueError("随机种子不能为空。")
    pool = sorted(candidates, key=lambda candidate: candidate.id)
    by_id = {candidate.id: candidate for candidate in pool}
    if len(by_id) != len(pool):
        duplicates = sorted(pk for pk, n in Counter(c.id for c in pool).items() if n > 1)
        raise ValueError(f"候选名单中专家编号重复：{'、'.join(map(str, duplicates))}。")
    exclusions = [{"id": candidate.id, "name": candidate.name, "reasons": reasons}
                  for candidate in pool if (reasons := recusal_reasons(candidate, subject, rules))]
    excluded = {exclusion["id"] for exclusion in exclusions}
    group = []
    for pk in kept or ():
        if pk not in by_id or pk in excluded:
            raise ValueError(f"组内专家编号 {pk} 不在候选名单中或需回避。")
        group.append(by_id[pk])
    if replaces is not None and replaces not in rules.exclude:
        raise ValueError(f"被替补的专家编号 {replaces} 不在谢绝名单中。")
    if kept_leader is not None and kept_leader not in (kept or ()):
        raise ValueError(f"保留的组长编号 {kept_leader} 不在组内。")
    unavailable = excluded | set(kept or ())
    eligible = [candidate for candidate in pool if candidate.id not in unavailable]
    needs = _needs(subject, rules)
    _check_enough(needs, rules.size, group, eligible, exclusions, substituting=kept is not None)
    rng = _rng(seed)
    group = _fill(rng, needs, rules.size, group, eligible)
    leader = kept_leader
    if rules.leader and leader is None:
        leader = _pick(rng, [member for member in group if _can_lead(member, subject)]).id
    return Outcome(
        algorithm=ALGORITHM, seed=seed, rules=_plain(asdict(rules)), subject=_plain(asdict(subject)),
        pool=[_plain(asdict(candidate)) for candidate in pool], exclusions=exclusions,
        chosen=[member.id for member in group], leader=leader, kept=None if kept is None else list(kept),
        replaces=replaces, kept_leader=kept_leader,
    )


def _needs(subject: Subject, rules: Rules) -> list[_Need]:
    """The minimums in the order they are filled."""
    needs = []
    if rules.min_industry:
        where = f"本企业所属行业大类 {subject.division}" if subject.division else "本企业未填写所属行业大类"
        needs.append(_Need("行业专家", f"行业专家（{where}）", rules.min_industry,
                           lambda candidate: _in_industry(candidate, subject)))
    for code, count in rules.min_fields:
        if count:
            needs.append(_Need(FIELDS[code], f"{FIELDS[code]}专业的专家", count,
                               lambda candidate, code=code: code in candidate.fields))
    if rules.leader and not (rules.min_industry or dict(rules.min_fields).get(CLEANER_PRODUCTION)):
        label = "可任组长者（清洁生产专业或本行业）"
        needs.append(_Need(label, label, 1, lambda candidate: _can_lead(candidate, subject)))
    return needs


def _in_industry(candidate: Candidate, subject: Subject) -> bool:
    return bool(subject.division) and subject.division in candidate.divisions


def _can_lead(candidate: Candidate, subject: Subject) -> bool:
    return CLEANER_PRODUCTION in candidate.fields or _in_industry(candidate, subject)


def _mask(needs: list[_Need], candidate: Candidate) -> int:
    return sum(1 << index for index, need in enumerate(needs) if need.test(candidate))


def _deficits(needs: list[_Need], group: list[Candidate]) -> tuple[int, ...]:
    return tuple(max(need.count - sum(1 for member in group if need.test(member)), 0) for need in needs)


def _possible(needs: list[_Need], size: int, group: list[Candidate], rest: list[Candidate]) -> bool:
    """Whether `group` can grow to `size` from `rest` meeting every minimum."""
    kinds = Counter(_mask(needs, candidate) for candidate in rest)
    slots = size - len(group)
    return slots <= len(rest) and _coverable(
        _deficits(needs, group), slots, tuple(sorted((mask, n) for mask, n in kinds.items() if mask)))


@lru_cache(maxsize=4096)
def _coverable(deficits: tuple[int, ...], slots: int, kinds: tuple[tuple[int, int], ...]) -> bool:
    """Whether `slots` picks from `kinds` ((needs met as a bit mask, how many), …) can meet the
    deficits. Searching over kinds, not people, keeps this small: at most 2**len(needs) kinds."""
    if not any(deficits):
        return True
    if slots <= 0:
        return False
    first = next(index for index, deficit in enumerate(deficits) if deficit)
    for position, (mask, count) in enumerate(kinds):
        if mask >> first & 1:
            fewer = kinds[:position] + (((mask, count - 1),) if count > 1 else ()) + kinds[position + 1:]
            after = tuple(max(deficit - (mask >> index & 1), 0) for index, deficit in enumerate(deficits))
            if _coverable(after, slots - 1, fewer):
                return True
    return False


def _check_enough(needs: list[_Need], size: int, group: list[Candidate], eligible: list[Candidate],
                  exclusions: list[dict], *, substituting: bool):
    """Raise PoolTooSmall, naming the rule that cannot be met and who was excluded for what,
    before anything is picked."""
    shortfall = _shortfall(needs, size, group, eligible, substituting)
    if shortfall:
        recusals = "；".join(f"{exclusion['name']}——{'，'.join(exclusion['reasons'])}" for exclusion in exclusions)
        raise PoolTooSmall(f"可抽取专家不足：{shortfall}回避情况：{recusals or '无'}。", exclusions, eligible)


def _shortfall(needs: list[_Need], size: int, group: list[Candidate], eligible: list[Candidate],
               substituting: bool) -> str | None:
    """The first rule that cannot be met: the size, one minimum, or the minimums together."""
    slots, deficits = size - len(group), _deficits(needs, group)
    summary = "、".join(f"{need.label}至少 {need.count} 人" for need in needs)
    if len(eligible) < slots:
        if substituting:
            return f"需要替补 {slots} 人，除组内专家外符合条件的只有 {len(eligible)} 人。"
        return f"需要 {size} 人{f'（其中{summary}）' if summary else ''}，符合条件的只有 {len(eligible)} 人。"
    for need, deficit in zip(needs, deficits, strict=True):
        available = sum(1 for candidate in eligible if need.test(candidate))
        if available < deficit:
            if substituting:
                return f"替补须为{need.detail}，符合条件的只有 {available} 人。"
            return f"需要{need.detail}至少 {need.count} 人，符合条件的只有 {available} 人。"
    if not _possible(needs, size, group, eligible):
        if substituting:
            missing = "、".join(f"{need.label} {deficit} 人" for need, deficit in zip(needs, deficits) if deficit)
            return f"无法由 {slots} 名替补同时补足{missing}。"
        return f"符合条件的 {len(eligible)} 人中，无法在 {size} 人内同时满足{summary}。"
    return None


def _fill(rng: random.Random, needs: list[_Need], size: int, group: list[Candidate],
          eligible: list[Candidate]) -> list[Candidate]:
    """Grow `group` to `size`: each minimum in turn, then anyone (see the module docstring)."""
    group, rest = list(group), list(eligible)
    for index, need in enumerate(needs):
        while _deficits(needs, group)[index]:
            keeps_possible = {}
            options = []
            for candidate in rest:
                if need.test(candidate):
                    mask = _mask(needs, candidate)
                    if mask not in keeps_possible:  # the same for every candidate of one kind
                        keeps_possible[mask] = _possible(
                            needs, size, [*group, candidate], [other for other in rest if other is not candidate])
                    if keeps_possible[mask]:
                        options.append(candidate)
            chosen = _pick(rng, options)
            group.append(chosen)
            rest.remove(chosen)
    while len(group) < size:
        chosen = _pick(rng, rest)
        group.append(chosen)
        rest.remove(chosen)
    return group


def _rng(seed: str) -> random.Random:
    digest = hashlib.sha256(f"{ALGORITHM}\n{seed}".encode()).digest()
    return random.Random(int.from_bytes(digest, "big"))


def _pick(rng: random.Random, options: list[Candidate]) -> Candidate:
    """One of `options`, using only `rng.random()`: unlike choice() and randrange(), whose
    algorithms have changed between Python versions, its sequence for a given seed is
    guaranteed to stay the same, so old records keep verifying."""
    return options[int(rng.random() * len(options))]


# --- records ------------------------------------------------------------------------------


def _load(record: dict) -> tuple[list[Candidate], Subject, Rules, str]:
    algorithm = record.get("algorithm") if isinstance(record, dict) else None
    if algorithm != ALGORITHM:
        raise RecordError(f"无法使用该抽取记录：记录的抽取算法版本为 {algorithm or '（未注明）'}，"
                          f"本系统只支持 {ALGORITHM}。")
    try:
        candidates = [Candidate.from_dict(data) for data in record["pool"]]
        return candidates, Subject.from_dict(record["subject"]), Rules.from_dict(record["rules"]), record["seed"]
    except (KeyError, TypeError, ValueError) as error:
        raise RecordError(f"抽取记录不完整或格式有误：{error!r}。") from error


def _id(value) -> int | None:
    return None if value is None else int(value)


def _ids(values) -> list[int]:
    return [int(value) for value in values]


def _plain(value):
    """Tuples as lists, so a fresh Outcome equals one read back from JSON."""
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _group_text(chosen: list[int], leader: int | None, names: dict[int, str]) -> str:
    members = [f"{names.get(pk, f'编号 {pk}')}{'（组长）' if pk == leader else ''}" for pk in chosen]
    return "、".join(members) or "（无人）"
