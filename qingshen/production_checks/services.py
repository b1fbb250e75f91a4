"""Every change to a 投产/复产核查 goes through here: permission, jurisdiction, row lock,
stale-page and double-submit checks, the computation, the conclusion rule, and the audit event
(with the indicator system's code and version) — in one transaction.

The scoring is the benchmarking app's, unchanged: `scoring.evaluate` gives Y_I/Y_II/Y_III and the
level, `scoring.water_target` and `scoring.check_target` the check against the campaign's target
(`benchmarking.services.target_of`, or CampaignTarget.DEFAULTS without a campaign). `compute()`
only strings those together for values that are not a Benchmark row.

The conclusion rule (why it is enforced here and not only on the page): the seed makes reaching
the target a *precondition* of 投产/复产, so the recorded conclusion must be what the computed
check says — an official cannot record 达到 when the check says 未达到 (nor the reverse), cannot
conclude while an applicable indicator is blank, and cannot conclude at all on a 试算 result
(a 草稿/不完整 system). Without an indicator system the official's judgement is the conclusion,
with the peer comparison and the reasons written down. Once concluded a check never changes.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from qingshen.audit_trail.services import record, snapshot
from qingshen.benchmarking import definition as spec
from qingshen.benchmarking import scoring
from qingshen.benchmarking import services as benchmarking
from qingshen.benchmarking.models import CampaignTarget
from qingshen.enterprises.choices import Status as EnterpriseStatus
from qingshen.enterprises.models import Enterprise
from qingshen.production_checks.models import (
    ProductionCheck,
    ProductionCheckValue,
    conclusion_text,
)

ADD = "production_checks.add_productioncheck"
STALE = "核查内容已被修改（可能在另一个页面或由他人修改），请刷新页面后重新填写。您填写的内容仍保留在下方。"
DUPLICATE = "本页面的核查已经保存过（可能是重复提交），未重复保存。请到核查列表查看。"
CONCLUDED = "该核查已作出结论，不能再修改；企业整改后需要重新核查的，请新建一次核查。"
FIELDS = ["enterprise", "kind", "project_name", "campaign", "system", "in_approved_park", "centralized_treatment",
          "peer_comparison", "enterprise_status", "level", "trial", "target_levels", "target_met", "conclusion",
          "opinion"]


def target_levels(campaign) -> dict:
    """The target the check applies: the campaign's own (or its seed defaults), or the seed's
    defaults when no campaign is named."""
    return benchmarking.target_of(campaign) if campaign is not None else dict(CampaignTarget.DEFAULTS)


def compute(system, answers: dict, *, campaign, in_approved_park: bool, centralized_treatment: bool):
    """(result, target check, target levels) for answers keyed by seq, through the benchmarking
    scoring. Raises ValidationError (naming the indicator) for answers that cannot be scored."""
    levels = target_levels(campaign)
    definition = spec.from_json(system.definition)
    try:
        result = scoring.evaluate(definition, answers).as_dict()
    except scoring.AnswerError as exc:
        raise ValidationError(str(exc)) from None
    water = scoring.water_target(in_approved_park, centralized_treatment,
                                 in_park_level=levels["water_level_in_park"],
                                 outside_level=levels["water_level_outside"])
    check = scoring.check_target(definition, result, levels["overall_level"], water).as_dict()
    return result, check, levels


def resumption_warning(kind: str, enterprise) -> str:
    """复产 of an enterprise the registry does not list as 停产: said, not refused (the registry
    may be behind), so the official looks twice."""
    if kind == ProductionCheck.Kind.RESUMPTION and enterprise is not None \
            and enterprise.status != EnterpriseStatus.SUSPENDED:
        return (f"企业名录中“{enterprise.name}”的状态为“{enterprise.get_status_display()}”，不是“停产”。"
                "复产核查针对停产企业，请核实企业状态。")
    return ""


def _require(actor):
    if not actor.has_perm(ADD):
        raise PermissionDenied("您无权进行投产/复产核查。")


def _check_input(kind, project_name, system, peer_comparison):
    if kind not in ProductionCheck.Kind.values:
        raise ValidationError({"kind": "请选择核查类型。"})
    if kind in ProductionCheck.PROJECT_KINDS and not project_name:
        raise ValidationError({"project_name": f"{ProductionCheck.Kind(kind).label}须填写项目名称。"})
    if system is None and not peer_comparison:
        raise ValidationError({"peer_comparison": "本行业无指标体系时，请填写与同行业对比的说明。"})


def _values_json(check) -> list:
    return [{"seq": v.seq, "applicable": v.applicable, "value": None if v.value is None else str(v.value),
             "met": v.met} for v in check.values.all()]


def _state(check) -> dict:
    system = check.system
    ref = None if system is None else {"id": system.pk, "code": system.code, "version": system.version,
                                       "status": system.status}
    return {**snapshot(check, FIELDS), "indicator_system": ref, "values": _values_json(check)}


def save_check(actor, check: ProductionCheck | None = None, *, enterprise, kind: str, project_name: str = "",
               campaign=None, system=None, answers: dict | None = None, in_approved_park: bool = False,
               centralized_treatment: bool = False, peer_comparison: str = "", token=None,
               version: int | None = None, conclusion: str = "", opinion: str = "") -> ProductionCheck:
    """Record a new check (`check` None) or correct a draft one, with the computed result; with a
    `conclusion`, conclude it in the same transaction (all or nothing)."""
    _require(actor)
    project_name = (project_name or "").strip()
    peer_comparison = (peer_comparison or "").strip()
    _check_input(kind, project_name, system, peer_comparison)
    answers = answers or {}
    with transaction.atomic():
        locked_enterprise = (Enterprise.objects.restrict(actor).select_for_update().filter(pk=enterprise.pk)
                             .select_related("region").first())
        if locked_enterprise is None:
            raise PermissionDenied("该企业不在您的辖区内。")
        if check is None:
            if token is not None and ProductionCheck.objects.filter(token=token).exists():
                raise ValidationError(DUPLICATE)
            check, before = ProductionCheck(token=token, version=0), None
        else:
            check = _lock(actor, check)
            if version is not None and version != check.version:
                raise ValidationError(STALE)
            if check.is_concluded:
                raise ValidationError(CONCLUDED)
            before = _state(check)
        if system is not None:
            known = {indicator["seq"] for _, indicator in spec.indicators(system.definition)}
            answers = {seq: answer for seq, answer in answers.items() if seq in known}
            result, target, levels = compute(system, answers, campaign=campaign, in_approved_park=in_approved_park,
                                             centralized_treatment=centralized_treatment)
            check.level, check.trial, check.target_met = result["level"], result["trial"], target["met"]
        else:
            answers, result, target, levels = {}, None, None, target_levels(campaign)
            check.level, check.trial, check.target_met = "", False, None
        check.enterprise, check.kind, check.project_name = locked_enterprise, kind, project_name
        check.campaign, check.system = campaign, system
        check.in_approved_park, check.centralized_treatment = in_approved_park, centralized_treatment
        check.peer_comparison = peer_comparison if system is None else ""
        check.enterprise_status = locked_enterprise.status
        check.result, check.target, check.target_levels = result, target, levels
        check.recorded_by, check.recorded_at = actor, timezone.now()
        check.version += 1
        try:
            with transaction.atomic():
                check.save()
        except IntegrityError:  # the same page submitted twice at once: the token is unique
            raise ValidationError(DUPLICATE) from None
        check.values.all().delete()
        ProductionCheckValue.objects.bulk_create(
            ProductionCheckValue(production_check=check, seq=seq, applicable=answer.get("applicable", True),
                                 value=answer.get("value"), met=list(answer.get("met") or []))
            for seq, answer in sorted(answers.items()))
        record("production_checks.recorded", actor=actor, obj=check, before=before, after=_state(check),
               summary=_summary("核查", check))
        if conclusion:
            _conclude(actor, check, conclusion, opinion)
    return check


def conclude(actor, check: ProductionCheck, *, conclusion: str, opinion: str = "",
             version: int | None = None) -> ProductionCheck:
    """The official's conclusion on a recorded check."""
    _require(actor)
    with transaction.atomic():
        check = _lock(actor, check)
        if version is not None and version != check.version:
            raise ValidationError(STALE)
        _conclude(actor, check, conclusion, opinion)
    return check


def _lock(actor, check) -> ProductionCheck:
    locked = (ProductionCheck.objects.restrict(actor).select_for_update(of=("self",)).filter(pk=check.pk)
              .select_related("system", "enterprise").first())
    if locked is None:
        raise PermissionDenied("该核查不在您的辖区内。")
    return locked


def refusal(check) -> str:
    """Why no conclusion can be recorded on this check as it stands ("" when one can)."""
    if check.is_concluded:
        return CONCLUDED
    if check.system_id is None:
        return ""
    if check.trial:
        return (f"所用指标体系“{check.system.name}”（第 {check.system.version} 版）状态为"
                f"“{spec.STATUSES.get((check.result or {}).get('status'), check.system.get_status_display())}”："
                "结果只是试算，不能作出投产（复产）结论。请选用已核对的指标体系；本行业确无指标体系的，"
                "选择“无指标体系”并与同行业对比。")
    unanswered = (check.result or {}).get("unanswered") or []
    if unanswered:
        return f"第 {'、'.join(str(seq) for seq in unanswered)} 项适用指标未填写，不能作出结论；请补填后重新计算。"
    return ""


def expected_conclusion(check) -> str | None:
    """The conclusion the computed check allows (None without a system: the official judges)."""
    if check.system_id is None:
        return None
    return ProductionCheck.Conclusion.MET if check.target_met else ProductionCheck.Conclusion.NOT_MET


def _conclude(actor, check, conclusion, opinion):
    opinion = (opinion or "").strip()
    if conclusion not in ProductionCheck.Conclusion.values:
        raise ValidationError({"conclusion": "请选择核查结论。"})
    reason = refusal(check)
    if reason:
        raise ValidationError({"conclusion": reason})
    expected = expected_conclusion(check)
    if expected is None and not opinion:
        raise ValidationError({"opinion": "无指标体系时，请填写判断理由（与同行业对比的依据）。"})
    if expected is not None and conclusion != expected:
        if conclusion == ProductionCheck.Conclusion.MET:
            raise ValidationError({"conclusion": f"核查结果为未达到清洁生产目标水平（{shortfall_summary(check)}），"
                                                 "不能作出“达到”的结论。"})
        raise ValidationError({"conclusion": "核查结果为达到清洁生产目标水平，结论应与核查结果一致。"})
    before = _state(check)
    check.conclusion, check.opinion = conclusion, opinion
    check.concluded_by, check.concluded_at = actor, timezone.now()
    check.version += 1
    check.save()
    record("production_checks.concluded", actor=actor, obj=check, before=before, after=_state(check),
           summary=f"{check}：{conclusion_text(conclusion, check.kind)}")


def shortfall_summary(check) -> str:
    """Why the target is not met, in one line: the overall level and the water indicators short."""
    target = check.target or {}
    parts = []
    if target and not target.get("overall_met"):
        parts.append(f"整体{spec.LEVEL_LABELS.get(target['level'], target['level'])}，"
                     f"目标{spec.LEVEL_LABELS.get(target['overall_level'])}及以上")
    water = target.get("water_shortfalls") or []
    if water:
        parts.append("涉水指标未达到：" + "、".join(f"第 {item['seq']} 项{item['name']}" for item in water))
    return "；".join(parts) or "未达到"


def _summary(what, check) -> str:
    if check.system is None:
        return f"{what}{check}：无指标体系，与同行业对比"
    level = spec.LEVEL_LABELS.get(check.level, check.level)
    trial = "（试算）" if check.trial else ""
    met = "达到" if check.target_met else "未达到"
    return (f"{what}{check}：{check.system.name} 第 {check.system.version} 版，{level}{trial}，"
            f"对照目标{met}")
