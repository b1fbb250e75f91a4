"""Every change to indicator systems, campaign targets and a project's benchmarking goes
through here: permission, jurisdiction, row lock, stale-page check, validation with Chinese
messages, the change, and its audit event (with the indicator system's code and version), in
one transaction.

Who may do what (qingshen.core.roles):
- `benchmarking.change_indicatorsystem` (province, system administrator): import a system or a
  new version of one, change the status of a version nobody has used yet;
- `benchmarking.change_benchmark` (the enterprise and its consultancy): enter the values;
- `benchmarking.review_benchmark` (the city and the province, the levels that organise the
  reviews): confirm or correct the qualitative answers and confirm the level, or return the
  benchmark for correction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from qingshen.audit_trail.services import record, snapshot
from qingshen.benchmarking import definition as spec
from qingshen.benchmarking import scoring
from qingshen.benchmarking.formats.validation import validate
from qingshen.benchmarking.models import (
    Benchmark,
    BenchmarkValue,
    CampaignTarget,
    IndicatorSystem,
)
from qingshen.industries.models import Industry
from qingshen.projects.models import AuditProject

STALE = "对标内容已被修改（可能在另一个页面或由他人修改），请刷新页面后重新填写。您填写的内容仍保留在下方。"
SYSTEM_FIELDS = ["code", "version", "name", "issuers", "document_number", "year", "status", "source_file",
                 "source_page", "source_note"]
BENCHMARK_FIELDS = ["system", "in_approved_park", "centralized_treatment", "peer_comparison", "level", "trial",
                    "confirmed_level", "review_opinion"]


# --- indicator systems --------------------------------------------------------------------------


def is_frozen(system: IndicatorSystem) -> bool:
    """A version some benchmark (or production check, 投产/复产核查) was computed against never
    changes again."""
    return Benchmark.objects.filter(system=system).exists() or system.production_checks.exists()


def import_system(actor, definition: dict) -> IndicatorSystem:
    """Save a definition as the next version of its code (version 1 for a new code)."""
    if not actor.has_perm("benchmarking.change_indicatorsystem"):
        raise PermissionDenied("您无权导入清洁生产评价指标体系。")
    report = validate(definition)
    if not report.ok:
        raise ValidationError(report.errors)
    codes = list(dict.fromkeys(definition.get("industries") or []))
    industries = list(Industry.objects.filter(code__in=codes, level=Industry.Level.CLASS))
    unknown = sorted(set(codes) - {industry.code for industry in industries})
    if unknown:
        raise ValidationError(f"适用行业代码不是 GB/T 4754-2017 的小类：{'、'.join(unknown)}。")
    source = definition.get("source") or {}
    with transaction.atomic():
        # Serialise imports of one code so two at once cannot take the same version number.
        list(IndicatorSystem.objects.select_for_update().filter(code=definition["code"]).values_list("pk"))
        latest = IndicatorSystem.objects.filter(code=definition["code"]).order_by("-version").first()
        if latest is not None and latest.definition == spec.to_json(definition):
            # a second click, or the same file again: nothing new to keep
            raise ValidationError(f"与已有的第 {latest.version} 版内容完全相同，未重复导入。")
        last = latest.version if latest else 0
        system = IndicatorSystem.objects.create(
            code=definition["code"], version=last + 1, name=definition["name"],
            issuers=definition.get("issuers") or "", document_number=definition.get("document_number") or "",
            year=definition.get("year"), status=definition["status"], source_file=source.get("file") or "",
            source_page=source.get("page") or "", source_note=source.get("note") or "",
            definition=spec.to_json(definition), created_by=actor)
        system.industries.set(industries)
        record("benchmarking.system_imported", actor=actor, obj=system,
               after={**snapshot(system, SYSTEM_FIELDS), "warnings": report.warnings},
               summary=f"导入指标体系 {system.name}（{system.code} 第 {system.version} 版）")
    return system


def set_status(actor, system: IndicatorSystem, status: str) -> IndicatorSystem:
    """Mark a version draft, incomplete or verified. Verified needs a definition that passes the
    verified checks (weights add up, every level present); a version in use is frozen."""
    if not actor.has_perm("benchmarking.change_indicatorsystem"):
        raise PermissionDenied("您无权修改清洁生产评价指标体系。")
    if status not in IndicatorSystem.Status.values:
        raise ValidationError("状态无效。")
    with transaction.atomic():
        system = IndicatorSystem.objects.select_for_update().get(pk=system.pk)
        if system.status == status:
            return system
        if is_frozen(system):
            raise ValidationError("该版本已用于企业对标，不能再修改；如需更正，请导入新版本。")
        definition = {**system.definition, "status": status}
        report = validate(spec.from_json(definition))
        if not report.ok:
            raise ValidationError([f"不能标为“{IndicatorSystem.Status(status).label}”：", *report.errors])
        before = snapshot(system, ["status"])
        system.status, system.definition = status, definition
        system.save(update_fields=["status", "definition"])
        record("benchmarking.system_status", actor=actor, obj=system, before=before, after=snapshot(system, ["status"]),
               summary=f"{system} 状态改为 {system.get_status_display()}")
    return system


def systems_for(industry) -> list[IndicatorSystem]:
    """The latest version of each system covering the industry class, verified ones first
    (only they yield an official level), then incomplete, then drafts."""
    if industry is None:
        return []
    latest = {}
    for system in IndicatorSystem.objects.filter(industries=industry).order_by("code", "-version"):
        latest.setdefault(system.code, system)
    preference = {IndicatorSystem.Status.VERIFIED: 0, IndicatorSystem.Status.INCOMPLETE: 1}
    return sorted(latest.values(), key=lambda system: (preference.get(system.status, 2), system.code))


# --- campaign targets ---------------------------------------------------------------------------


#: The seed's rules (审核目标), for a campaign that has not set its own and for 试算.
DEFAULT_TARGET = CampaignTarget.DEFAULTS


def target_of(campaign) -> dict:
    """The campaign's target levels: its own row, or the seed's rules."""
    try:
        target = campaign.benchmark_target
    except CampaignTarget.DoesNotExist:
        return dict(DEFAULT_TARGET)
    return {name: getattr(target, name) for name in CampaignTarget.DEFAULTS}


def save_target(actor, campaign, data: dict) -> CampaignTarget:
    if not actor.has_perm("campaigns.change_campaign"):
        raise PermissionDenied("您无权修改本批次的对标目标。")
    fields = [*CampaignTarget.DEFAULTS, "note"]
    with transaction.atomic():
        target, created = CampaignTarget.objects.select_for_update().get_or_create(
            campaign=campaign, defaults={"updated_by": actor})
        before = None if created else snapshot(target, fields)
        for name in fields:
            if name in data:
                setattr(target, name, data[name])
        target.full_clean(exclude=["campaign", "updated_by"])
        target.updated_by = actor
        target.save()
        record("benchmarking.target_saved", actor=actor, obj=campaign, before=before, after=snapshot(target, fields),
               summary=f"{campaign} 对标目标：整体 {target.overall_level} 级，涉水指标园区内 "
                       f"{target.water_level_in_park} 级、园区外 {target.water_level_outside} 级")
    return target


def target_check(benchmark: Benchmark, result: dict | None = None) -> dict | None:
    """Whether the benchmark's (confirmed, else entered) result meets the campaign's target."""
    if benchmark.system_id is None:
        return None
    result = result or benchmark.confirmed_result or benchmark.result
    if not result:
        return None
    target = target_of(benchmark.project.campaign)
    water = scoring.water_target(benchmark.in_approved_park, benchmark.centralized_treatment,
                                 in_park_level=target["water_level_in_park"],
                                 outside_level=target["water_level_outside"])
    definition = spec.from_json(benchmark.system.definition)
    return scoring.check_target(definition, result, target["overall_level"], water).as_dict()


def trial(system: IndicatorSystem, answers: dict, *, in_approved_park: bool,
          centralized_treatment: bool) -> tuple[dict, dict]:
    """试算: the result and its check against the seed's targets, saved nowhere."""
    definition = spec.from_json(system.definition)
    try:
        result = scoring.evaluate(definition, answers).as_dict()
    except scoring.AnswerError as exc:
        raise ValidationError(str(exc)) from None
    water = scoring.water_target(in_approved_park, centralized_treatment,
                                 in_park_level=DEFAULT_TARGET["water_level_in_park"],
                                 outside_level=DEFAULT_TARGET["water_level_outside"])
    return result, scoring.check_target(definition, result, DEFAULT_TARGET["overall_level"], water).as_dict()


# --- a project's benchmarking -------------------------------------------------------------------


def _project(actor, project) -> AuditProject:
    locked = (AuditProject.objects.restrict(actor).select_for_update(of=("self",)).filter(pk=project.pk)
              .select_related("enterprise__region", "campaign").first())
    if locked is None:
        raise PermissionDenied("该清洁生产审核项目不在您的权限范围内。")
    return locked


def _answers_of(values) -> dict:
    return {value.seq: {"applicable": value.applicable, "value": value.value, "met": list(value.met)}
            for value in values}


def _evaluate(system: IndicatorSystem, answers: dict) -> dict:
    try:
        return scoring.evaluate(spec.from_json(system.definition), answers).as_dict()
    except scoring.AnswerError as exc:
        raise ValidationError(str(exc)) from None


def save_benchmark(actor, project, stage: str, *, system: IndicatorSystem | None, answers: dict,
                   in_approved_park: bool, centralized_treatment: bool, peer_comparison: str = "",
                   version: int | None = None) -> Benchmark:
    """Record the enterprise's values (answers keyed by seq, as scoring reads them) and the
    computed result. Without a system, `peer_comparison` is the enterprise's account of how it
    compares with its peers (required)."""
    if not actor.has_perm("benchmarking.change_benchmark"):
        raise PermissionDenied("您无权填写对标。")
    if stage not in Benchmark.Stage.values:
        raise ValidationError("对标阶段无效。")
    peer_comparison = (peer_comparison or "").strip()
    if system is None and not peer_comparison:
        raise ValidationError({"peer_comparison": "本行业无指标体系时，请填写与同行业对比的说明。"})
    with transaction.atomic():
        project = _project(actor, project)
        benchmark = Benchmark.objects.filter(project=project, stage=stage).first()
        if benchmark is None:
            if version not in (None, 0):
                raise ValidationError(STALE)
            benchmark, before = Benchmark(project=project, stage=stage), None
        else:
            if version is not None and version != benchmark.version:
                raise ValidationError(STALE)
            if benchmark.is_confirmed:
                raise ValidationError("对标结果已经审核确认，不能再修改；如需修改，请联系审核部门退回。")
            before = {**snapshot(benchmark, BENCHMARK_FIELDS), "values": _answers_json(benchmark.values.all())}
            benchmark.version += 1
        known = set()
        if system is not None:
            known = {indicator["seq"] for _, indicator in spec.indicators(system.definition)}
            answers = {seq: answer for seq, answer in answers.items() if seq in known}
            result = _evaluate(system, answers)
            benchmark.level = result["level"]
            benchmark.trial = result["trial"]
        else:
            answers, result = {}, None
            benchmark.level, benchmark.trial = "", False
        benchmark.system = system
        benchmark.result = result
        benchmark.in_approved_park, benchmark.centralized_treatment = in_approved_park, centralized_treatment
        benchmark.peer_comparison = peer_comparison if system is None else ""
        benchmark.recorded_by, benchmark.recorded_at = actor, timezone.now()
        benchmark.save()
        benchmark.values.all().delete()
        BenchmarkValue.objects.bulk_create(
            BenchmarkValue(benchmark=benchmark, seq=seq, applicable=answer.get("applicable", True),
                           value=answer.get("value"), met=list(answer.get("met") or []))
            for seq, answer in sorted(answers.items()))
        after = {**snapshot(benchmark, BENCHMARK_FIELDS), "values": _answers_json(benchmark.values.all())}
        record("benchmarking.recorded", actor=actor, obj=benchmark, before=before, after={**after, **_system_ref(system)},
               summary=_summary("填报对标", benchmark, result))
    return benchmark


def _answers_json(values) -> list:
    return [{"seq": value.seq, "applicable": value.applicable,
             "value": None if value.value is None else str(value.value), "met": value.met,
             "confirmed_met": value.confirmed_met} for value in values]


def _system_ref(system) -> dict:
    if system is None:
        return {"indicator_system": None}
    return {"indicator_system": {"id": system.pk, "code": system.code, "version": system.version,
                                 "status": system.status}}


def _summary(what, benchmark, result) -> str:
    stage = benchmark.get_stage_display()
    if result is None:
        return f"{what}（{stage}）：无指标体系，与同行业对比"
    level = spec.LEVEL_LABELS.get(result["level"], result["level"])
    trial = "（试算）" if result["trial"] else ""
    return (f"{what}（{stage}）：{benchmark.system.name} 第 {benchmark.system.version} 版，"
            f"{level}{trial}")


def confirm_benchmark(actor, benchmark: Benchmark, *, confirmed_met: dict | None = None, opinion: str = "",
                      peer_reached: bool | None = None, version: int | None = None) -> Benchmark:
    """The reviewer's confirmation. With a system: the qualitative answers as confirmed (seq →
    requirements met; answers not given stay as the enterprise gave them), a reason when any
    is corrected, and the level recomputed from them. Without one: the experts' judgement
    whether the enterprise reached the peer domestic-advanced level, with its reasons."""
    if not actor.has_perm("benchmarking.review_benchmark"):
        raise PermissionDenied("您无权确认对标结果。")
    opinion = (opinion or "").strip()
    with transaction.atomic():
        locked = (Benchmark.objects.restrict(actor).select_for_update(of=("self",)).filter(pk=benchmark.pk)
                  .select_related("system", "project__campaign").first())
        if locked is None:
            raise PermissionDenied("该对标不在您的权限范围内。")
        benchmark = locked
        if version is not None and version != benchmark.version:
            raise ValidationError("企业已修改对标内容，请刷新页面后重新确认。")
        if benchmark.recorded_at is None:
            raise ValidationError("企业尚未填报对标。")
        before = {**snapshot(benchmark, BENCHMARK_FIELDS), "values": _answers_json(benchmark.values.all())}
        if benchmark.system is None:
            if peer_reached is None:
                raise ValidationError({"peer_reached": "请选择是否达到同行业国内先进水平。"})
            if not opinion:
                raise ValidationError({"review_opinion": "请填写专家判断的理由。"})
            benchmark.confirmed_result = None
            benchmark.confirmed_level = (Benchmark.Level.PEER_ADVANCED if peer_reached
                                         else Benchmark.Level.PEER_NOT_REACHED)
        else:
            if not benchmark.system.is_official:
                raise ValidationError(f"{benchmark.system.name}（第 {benchmark.system.version} 版）状态为"
                                      f"“{benchmark.system.get_status_display()}”，只能试算，不能确认正式等级。")
            values = list(benchmark.values.all())
            qualitative = {indicator["seq"] for _, indicator in spec.indicators(benchmark.system.definition)
                           if indicator["kind"] == spec.QUALITATIVE}
            corrected = False
            for value in values:
                if value.seq not in qualitative:
                    continue
                given = (confirmed_met or {}).get(value.seq)
                confirmed = sorted(value.met) if given is None else sorted(given)
                corrected = corrected or confirmed != sorted(value.met)
                value.confirmed_met = confirmed
            if corrected and not opinion:
                raise ValidationError({"review_opinion": "更正了企业的定性指标答复，请填写理由。"})
            BenchmarkValue.objects.bulk_update(values, ["confirmed_met"])
            answers = {value.seq: {"applicable": value.applicable, "value": value.value,
                                   "met": value.confirmed_met if value.confirmed_met is not None else value.met}
                       for value in values}
            result = _evaluate(benchmark.system, answers)
            benchmark.confirmed_result, benchmark.confirmed_level = result, result["level"]
        benchmark.review_opinion = opinion
        benchmark.confirmed_by, benchmark.confirmed_at = actor, timezone.now()
        benchmark.version += 1
        benchmark.save()
        after = {**snapshot(benchmark, BENCHMARK_FIELDS), "values": _answers_json(benchmark.values.all())}
        record("benchmarking.confirmed", actor=actor, obj=benchmark, before=before,
               after={**after, **_system_ref(benchmark.system)},
               summary=f"确认对标（{benchmark.get_stage_display()}）：{benchmark.get_confirmed_level_display()}")
    return benchmark


def return_benchmark(actor, benchmark: Benchmark, *, opinion: str, version: int | None = None) -> Benchmark:
    """Undo a confirmation (or refuse an entry) so the enterprise can correct its values."""
    if not actor.has_perm("benchmarking.review_benchmark"):
        raise PermissionDenied("您无权退回对标。")
    opinion = (opinion or "").strip()
    if not opinion:
        raise ValidationError({"review_opinion": "请填写退回理由。"})
    with transaction.atomic():
        locked = Benchmark.objects.restrict(actor).select_for_update(of=("self",)).filter(pk=benchmark.pk).first()
        if locked is None:
            raise PermissionDenied("该对标不在您的权限范围内。")
        benchmark = locked
        if version is not None and version != benchmark.version:
            raise ValidationError("对标内容已被修改，请刷新页面后再操作。")
        before = snapshot(benchmark, BENCHMARK_FIELDS)
        benchmark.values.update(confirmed_met=None)
        benchmark.confirmed_result, benchmark.confirmed_level = None, ""
        benchmark.confirmed_by, benchmark.confirmed_at = None, None
        benchmark.review_opinion = opinion
        benchmark.version += 1
        benchmark.save()
        record("benchmarking.returned", actor=actor, obj=benchmark, before=before,
               after={**snapshot(benchmark, BENCHMARK_FIELDS), **_system_ref(benchmark.system)},
               summary=f"退回对标（{benchmark.get_stage_display()}）：{opinion}")
    return benchmark
