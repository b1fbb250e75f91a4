"""Every act of a review goes through here: who may act (the declared transition's permission,
the acting level, jurisdiction through `restrict`), the row lock (two reviewers acting at once:
the second finds the state moved on and is refused), the change, and its audit event, in one
transaction.

Intake: `check_steps` records the acting level's 无误 / problem per step; `conclude_intake`
passes the review on, or returns it to the enterprise (its phases with problems reopened).
Full review (the handling level): `draw_experts` (each attempt kept, verifiable), `decline` and
`substitute`, `form_group`; the experts' `give_opinion`, the leader's `compile_opinion`;
`record_site_visit`; `decide` (通过 / 不通过 / 整改) with the opinion document.
"""

import json
from dataclasses import asdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django_fsm import can_proceed, has_transition_perm

from qingshen.audit_trail.services import record, snapshot
from qingshen.reviews import draw as drawing
from qingshen.reviews import steps as review_steps
from qingshen.reviews.models import (
    Assignment,
    Conclusion,
    ExpertDraw,
    IntakeCheck,
    Level,
    RectificationItem,
    Review,
    ScoreItem,
    SitePhoto,
    SiteVisit,
    acting_level,
)

PHOTOS = ("jpeg", "png")
STALE = "该审核已被他人处理或已更新，请刷新页面后再操作。您填写的内容仍保留在下方。"
REVIEW_FIELDS = ["status", "conclusion", "result_opinion", "rectify_by", "acceptance_deadline", "confirmed_level"]


def _lock(actor, review, version=None) -> Review:
    """The review, locked, if the actor may see it; a stale page is refused."""
    locked = (Review.objects.restrict(actor).select_for_update(of=("self",)).filter(pk=review.pk)
              .select_related("project__enterprise__region", "project__campaign", "application").first())
    if locked is None:
        raise PermissionDenied("该审核不在您的权限范围内。")
    if version is not None and version != locked.version:
        raise ValidationError(STALE)
    return locked


def _transition(actor, review, name: str, what: str):
    """Take a declared transition: refused in Chinese when it is not this step, or not the
    actor's to take (a level acting out of turn)."""
    bound = getattr(review, name)
    if not can_proceed(bound):
        raise ValidationError(f"当前环节为“{review.get_status_display()}”，不能{what}。")
    if not has_transition_perm(bound, actor):
        raise PermissionDenied(f"当前环节为“{review.get_status_display()}”，不由您办理，不能{what}。")
    before = review.status
    bound()
    review.arrived_at = timezone.now()
    review.version += 1
    return before


# --- opening ----------------------------------------------------------------------------------


def open_review(application) -> Review:
    """Called when an application is submitted (inside that transaction): intake starts at the
    county, or at the city for an enterprise of a city with no counties (定州市, 辛集市)."""
    project = application.project
    member = project.member
    first = Review.Status.COUNTY_INTAKE if project.enterprise.region.county_code else Review.Status.CITY_INTAKE
    review = Review(application=application, project=project, stage=application.stage, status=first,
                    handling_level=member.handling_level, arrived_at=timezone.now())
    review.save()
    record("review.open", actor=application.submitted_by, obj=review, after=snapshot(review, ["status", "handling_level"]),
           summary=f"{application}进入{review.get_status_display()}")
    return review


def may_start_round(project, stage) -> tuple[bool, str]:
    """Whether the enterprise may draft a new application for the stage: before any
    submission, or after a return at intake or an 整改; not while one is under review, nor
    after 通过 or 不通过."""
    latest = (Review.objects.filter(project=project, stage=stage).select_related("application")
              .order_by("-application__number").first())
    if latest is None or latest.status in (Review.Status.RETURNED, Review.Status.RECTIFY):
        return True, ""
    if latest.status == Review.Status.PASSED:
        return False, "该阶段已通过审核。"
    if latest.status == Review.Status.FAILED:
        return False, "该阶段审核未通过，已结束。"
    return False, f"已提交的申请正在审核中（{latest.get_status_display()}），退回或要求整改后才能重新提交。"


# --- intake (受理审核) -------------------------------------------------------------------------


def _check_intake_turn(actor, review):
    level = review.intake_level
    if not level:
        raise ValidationError(f"当前环节为“{review.get_status_display()}”，不是受理审核。")
    if not actor.has_perm("reviews.handle_review") or acting_level(actor) != level:
        raise PermissionDenied(f"当前由{Level(level).label}生态环境部门受理审核，不能由您办理。")
    return level


def check_steps(actor, review, checks: dict, *, version=None) -> Review:
    """Record the acting level's check of steps: {step code: (ok, problem)}. A problem needs
    words; 无误 clears them."""
    with transaction.atomic():
        review = _lock(actor, review, version)
        level = _check_intake_turn(actor, review)
        known = dict(review_steps.steps_of(review.stage))
        errors = {}
        for step, (ok, problem) in checks.items():
            if step not in known:
                raise ValidationError(f"未知的审核步骤“{step}”。")
            problem = (problem or "").strip()
            if not ok and not problem:
                errors[step] = f"{known[step]}：请写明存在的问题。"
        if errors:
            raise ValidationError(errors)
        for step, (ok, problem) in checks.items():
            row = IntakeCheck.objects.filter(review=review, level=level, step=step).first()
            before = snapshot(row, ["ok", "problem"]) if row else None
            row = row or IntakeCheck(review=review, level=level, step=step)
            row.ok, row.problem, row.checked_by = ok, "" if ok else problem.strip(), actor
            row.save()
            record("review.check", actor=actor, obj=review, before=before, after={"step": step, "level": level,
                   "ok": row.ok, "problem": row.problem},
                   summary=f"{Level(level).label}受理审核 {known[step]}：{'无误' if ok else row.problem}")
        review.version += 1
        review.save(update_fields=["version"])
    return review


def conclude_intake(actor, review, *, version=None) -> Review:
    """When every step is checked: return to the enterprise if any has a problem, otherwise
    pass on (county → city → province for 省直管, or to the handling level's full review)."""
    with transaction.atomic():
        review = _lock(actor, review, version)
        level = _check_intake_turn(actor, review)
        checks = {row.step: row for row in review.checks.filter(level=level)}
        steps = review_steps.steps_of(review.stage)
        unchecked = [label for code, label in steps if code not in checks]
        if unchecked:
            raise ValidationError(f"还有 {len(unchecked)} 个步骤未审核：{'、'.join(unchecked)}。")
        problems = [code for code, _ in steps if not checks[code].ok]
        if problems:
            before = _transition(actor, review, "send_back", "退回")
            _reopen(actor, review, review_steps.phases_in(problems), "受理审核发现问题")
            if review_steps.PROJECT_START in problems:
                from qingshen.project_start.services import reopen as reopen_start

                reopen_start(actor, review.project, reason=f"{review.application}：受理审核发现问题")
            summary = f"{Level(level).label}受理不通过，退回企业修改（{len(problems)} 个步骤有问题）"
        else:
            name = {Level.COUNTY: "county_accepts", Level.PROVINCE: "province_accepts"}.get(level)
            if level == Level.CITY:
                name = "city_forwards" if review.handling_level == "province" else "city_accepts"
            before = _transition(actor, review, name, "受理")
            summary = f"{Level(level).label}受理通过，转{review.get_status_display()}"
        review.save()
        record("review.intake", actor=actor, obj=review, before={"status": before},
               after={"status": review.status, "problems": problems}, summary=summary)
    return review


def _reopen(actor, review, phases, reason):
    from qingshen.filings.services import reopen

    reopen(actor, review.project, phases, reason=f"{review.application}：{reason}")


# --- expert draw (专家抽取) ---------------------------------------------------------------------


def _check_handling(actor, review, what):
    if not actor.has_perm("reviews.handle_review") or acting_level(actor) != review.handling_level:
        level = "省级" if review.handling_level == "province" else "市级"
        raise PermissionDenied(f"{what}由负责评估验收的{level}生态环境部门办理。")


def candidates_for(review) -> list:
    """The pool as it stands: the handling level's experts (a city's own pool and the
    province's; the province's pool for 省直管), with what the recusal rules need."""
    from qingshen.experts.models import Expert

    pools = {review.project.enterprise.region.province_code}
    if review.handling_level == "city":
        pools.add(review.project.enterprise.region.city_code)
    experts = (Expert.objects.filter(pool_id__in=pools).select_related("home_region")
               .prefetch_related("industries", "conflict_consultancies", "conflict_enterprises").order_by("pk"))
    reviewed = {}
    for expert_id, enterprise_id, stage in Assignment.objects.filter(
            status=Assignment.Status.ACTIVE, expert__in=experts).exclude(review=review).values_list(
            "expert_id", "review__project__enterprise_id", "review__stage"):
        reviewed.setdefault(expert_id, set()).add((enterprise_id, stage))
    return [drawing.Candidate(
        id=expert.pk, name=expert.name, employer=expert.employer,
        home_county=expert.home_region.county_code or "", home_city=expert.home_region.city_code or "",
        fields=tuple(expert.fields), divisions=tuple(sorted(i.code for i in expert.industries.all())),
        conflict_consultancy_ids=tuple(sorted(o.pk for o in expert.conflict_consultancies.all())),
        conflict_enterprise_ids=tuple(sorted(e.pk for e in expert.conflict_enterprises.all())),
        reviewed=tuple(sorted(reviewed.get(expert.pk, ()))), active=expert.is_active) for expert in experts]


def subject_of(review):
    from qingshen.enterprises.models import Delegation

    enterprise = review.project.enterprise
    consultancies = list(Delegation.objects.filter(enterprise=enterprise).select_related("consultancy"))
    return drawing.Subject(
        enterprise_id=enterprise.pk, enterprise_name=enterprise.name, county_code=enterprise.region.county_code or "",
        division=enterprise.industry.division_code if enterprise.industry_id else "",
        consultancy_ids=tuple(d.consultancy_id for d in consultancies),
        consultancy_names=tuple(d.consultancy.name for d in consultancies),
        stage=review.stage, previous_stage="evaluation" if review.stage == "acceptance" else None)


def draw_experts(actor, review, *, size=5, leader=True, min_industry=1, min_cleaner_production=1,
                 min_energy=0, min_environment=0, min_process=0, exclude_previous_stage_reviewers=False,
                 reason="") -> ExpertDraw:
    """Draw the group. Every attempt is kept (a failed one with the message naming which rule
    excluded whom); once a group has been drawn there is no second draw — a decline is met by
    a substitute — so a draw cannot be repeated until a favourable group comes out."""
    with transaction.atomic():
        review = _lock(actor, review)
        _check_handling(actor, review, "抽取专家")
        if review.status != Review.Status.EXPERT_DRAW:
            raise ValidationError(f"当前环节为“{review.get_status_display()}”，不能抽取专家。")
        if review.draws.filter(succeeded=True).exists():
            raise ValidationError("本次审核已抽取专家组，不能重新抽取；专家谢绝时请补抽。")
        rules = drawing.Rules(size=size, leader=leader, min_industry=min_industry,
                              min_fields=tuple((name, count) for name, count in (
                                  ("cleaner_production", min_cleaner_production), ("energy", min_energy),
                                  ("environment", min_environment), ("process", min_process)) if count),
                              exclude_previous_stage_reviewers=exclude_previous_stage_reviewers)
        seed = drawing.new_seed()
        number = (review.draws.aggregate(n=Max("number"))["n"] or 0) + 1
        candidates, subject = candidates_for(review), subject_of(review)
        try:
            outcome = drawing.draw(candidates, subject, rules, seed)
        except drawing.PoolTooSmall as exc:
            attempt = ExpertDraw.objects.create(
                review=review, number=number, record=_failed_record(candidates, subject, rules, seed, exc),
                succeeded=False, message=str(exc), reason=reason, drawn_by=actor)
            record("review.draw_failed", actor=actor, obj=review, after={"draw": attempt.number, "seed": seed},
                   summary=f"第 {number} 次抽取未成功：{exc}")
            return attempt
        attempt = ExpertDraw.objects.create(review=review, number=number, record=outcome.as_record(), succeeded=True,
                                            reason=reason, drawn_by=actor)
        for expert_id in outcome.chosen:
            Assignment.objects.create(review=review, expert_id=expert_id, draw=attempt,
                                      role=Assignment.Role.LEADER if expert_id == outcome.leader
                                      else Assignment.Role.MEMBER)
        review.version += 1
        review.save(update_fields=["version"])
        record("review.draw", actor=actor, obj=review,
               after={"draw": number, "seed": seed, "algorithm": outcome.algorithm, "chosen": list(outcome.chosen),
                      "leader": outcome.leader},
               summary=f"第 {number} 次抽取：抽中 {len(outcome.chosen)} 名专家")
    return attempt


def _failed_record(candidates, subject, rules, seed, exc) -> dict:
    """What a failed attempt stood on, kept like a draw's record (the pool, the exclusions)."""
    return json.loads(json.dumps({
        "algorithm": drawing.ALGORITHM, "seed": seed, "rules": asdict(rules), "subject": asdict(subject),
        "pool": [asdict(candidate) for candidate in candidates], "exclusions": exc.exclusions, "error": str(exc)}))


def decline(actor, assignment, *, reason: str) -> Assignment:
    """An expert cannot take part (recorded by the handling level, or by the expert itself)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写谢绝原因。"})
    with transaction.atomic():
        review = _lock(actor, assignment.review)
        is_self = assignment.expert.user_id == actor.pk
        if not is_self:
            _check_handling(actor, review, "登记专家谢绝")
        if review.status not in (Review.Status.EXPERT_DRAW, Review.Status.DOCUMENT_REVIEW):
            raise ValidationError("专家组已开始现场审核，不能再谢绝。")
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.status == Assignment.Status.DECLINED:
            raise ValidationError("该专家已谢绝。")
        assignment.status, assignment.declined_reason, assignment.declined_at = (
            Assignment.Status.DECLINED, reason, timezone.now())
        assignment.save()
        review.version += 1
        review.save(update_fields=["version"])
        record("review.decline", actor=actor, obj=review,
               after={"expert": assignment.expert_id, "reason": reason},
               summary=f"专家 {assignment.expert.name} 谢绝：{reason}")
    return assignment


def substitute(actor, review, declined: Assignment) -> ExpertDraw:
    """Draw one expert in place of one who declined, from the same rules and the pool as it now
    stands; recorded and verifiable like the draw."""
    with transaction.atomic():
        review = _lock(actor, review)
        _check_handling(actor, review, "补抽专家")
        declined = Assignment.objects.select_for_update().get(pk=declined.pk, review=review)
        if declined.status != Assignment.Status.DECLINED:
            raise ValidationError("只能为谢绝的专家补抽。")
        if review.draws.filter(kind=ExpertDraw.Kind.SUBSTITUTE, succeeded=True,
                               record__replaces=declined.expert_id).exists():
            raise ValidationError("已为该专家补抽过。")
        last = review.draws.filter(succeeded=True).order_by("-number").first()
        seed = drawing.new_seed()
        number = (review.draws.aggregate(n=Max("number"))["n"] or 0) + 1
        try:
            outcome = drawing.substitute(last.record, declined.expert_id, seed)
        except (drawing.PoolTooSmall, drawing.RecordError) as exc:
            attempt = ExpertDraw.objects.create(review=review, number=number, kind=ExpertDraw.Kind.SUBSTITUTE,
                                                record={"replaces": declined.expert_id, "seed": seed},
                                                succeeded=False, message=str(exc), drawn_by=actor)
            record("review.substitute_failed", actor=actor, obj=review, after={"draw": number},
                   summary=f"补抽未成功：{exc}")
            return attempt
        attempt = ExpertDraw.objects.create(review=review, number=number, kind=ExpertDraw.Kind.SUBSTITUTE,
                                            record=outcome.as_record(), succeeded=True, drawn_by=actor)
        present = set(review.assignments.values_list("expert_id", flat=True))
        new = [expert_id for expert_id in outcome.chosen if expert_id not in present]
        for expert_id in new:
            Assignment.objects.create(review=review, expert_id=expert_id, draw=attempt)
        # the leader as the substitute's outcome has it (a new one when the leader declined)
        active = review.assignments.filter(status=Assignment.Status.ACTIVE)
        active.exclude(expert_id=outcome.leader).update(role=Assignment.Role.MEMBER)
        active.filter(expert_id=outcome.leader).update(role=Assignment.Role.LEADER)
        review.version += 1
        review.save(update_fields=["version"])
        record("review.substitute", actor=actor, obj=review,
               after={"draw": number, "seed": seed, "replaces": declined.expert_id, "chosen": new},
               summary=f"补抽专家替换 {declined.expert.name}")
    return attempt


def form_group(actor, review, *, version=None) -> Review:
    """The handling level confirms the group: the experts start the document review."""
    with transaction.atomic():
        review = _lock(actor, review, version)
        active = review.assignments.filter(status=Assignment.Status.ACTIVE)
        if not active.exists():
            raise ValidationError("尚未抽取专家。")
        if not active.filter(role=Assignment.Role.LEADER).exists():
            raise ValidationError("专家组没有组长，请补抽或指定组长。")
        before = _transition(actor, review, "group_formed", "确认专家组")
        review.save()
        record("review.group_formed", actor=actor, obj=review, before={"status": before},
               after={"status": review.status, "experts": list(active.values_list("expert_id", flat=True))},
               summary=f"确认专家组（{active.count()} 人），开始线上文审")
    return review


# --- document review (线上文审) -----------------------------------------------------------------


def score_items(review):
    return list(ScoreItem.objects.filter(campaign=review.project.campaign, stage=review.stage))


def give_opinion(actor, review, *, opinion: str, scores: dict | None = None) -> Assignment:
    """A drawn expert's opinion of the documents, with its scores where the campaign has a sheet."""
    opinion = (opinion or "").strip()
    with transaction.atomic():
        review = _lock(actor, review)
        if not actor.has_perm("reviews.give_opinion"):
            raise PermissionDenied("只有抽中的专家可以填写审核意见。")
        assignment = review.assignments.select_for_update().filter(expert__user=actor,
                                                                   status=Assignment.Status.ACTIVE).first()
        if assignment is None:
            raise PermissionDenied("您不是本次审核的专家组成员。")
        if review.status != Review.Status.DOCUMENT_REVIEW:
            raise ValidationError(f"当前环节为“{review.get_status_display()}”，不能填写文审意见。")
        errors = {}
        if not opinion:
            errors["opinion"] = "请填写审核意见。"
        clean_scores = {}
        for item in score_items(review):
            raw = (scores or {}).get(str(item.pk), (scores or {}).get(item.pk))
            try:
                value = int(raw)
            except (TypeError, ValueError):
                errors[f"score_{item.pk}"] = f"{item.title}：请填写 0 到 {item.max_score} 的整数分。"
                continue
            if not 0 <= value <= item.max_score:
                errors[f"score_{item.pk}"] = f"{item.title}：分值须在 0 到 {item.max_score} 之间。"
                continue
            clean_scores[str(item.pk)] = value
        if errors:
            raise ValidationError(errors)
        before = snapshot(assignment, ["opinion", "scores"])
        assignment.opinion, assignment.scores, assignment.opinion_at = opinion, clean_scores, timezone.now()
        assignment.save()
        record("review.opinion", actor=actor, obj=review, before=before, after=snapshot(assignment, ["opinion", "scores"]),
               summary=f"专家 {assignment.expert.name} 提交文审意见")
    return assignment


def compile_opinion(actor, review, *, text: str, version=None) -> Review:
    """The leader compiles the group opinion once every expert of the group has given one."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写专家组意见。"})
    with transaction.atomic():
        review = _lock(actor, review, version)
        waiting = [a.expert.name for a in review.assignments.filter(status=Assignment.Status.ACTIVE,
                                                                   opinion_at__isnull=True).select_related("expert")]
        if review.status == Review.Status.DOCUMENT_REVIEW and waiting:
            raise ValidationError(f"还有专家未提交文审意见：{'、'.join(waiting)}。")
        before = _transition(actor, review, "opinion_compiled", "汇总专家组意见")
        review.group_opinion, review.group_opinion_by, review.group_opinion_at = text, actor, timezone.now()
        review.save()
        record("review.group_opinion", actor=actor, obj=review, before={"status": before},
               after={"status": review.status, "group_opinion": text}, summary="组长汇总专家组意见")
    return review


# --- site review (现场审核) ---------------------------------------------------------------------


def record_site_visit(actor, review, *, visited_on, place: str, present, checked: str, findings: str = "",
                      rectification=(), photos=(), version=None) -> SiteVisit:
    """The site review: date, place, experts present, what was checked and found, photos, and
    the items to rectify with their deadlines."""
    from qingshen.files.services import store_upload

    errors = {}
    if not visited_on:
        errors["visited_on"] = "请填写现场审核日期。"
    elif visited_on > timezone.localdate():
        errors["visited_on"] = "现场审核日期不能晚于今天。"
    if not (place or "").strip():
        errors["place"] = "请填写地点。"
    if not (checked or "").strip():
        errors["checked"] = "请填写核查内容。"
    for index, (text, deadline) in enumerate(rectification, start=1):
        if not (text or "").strip() or deadline is None:
            errors["rectification"] = f"第 {index} 条整改要求须写明内容和期限。"
        elif visited_on and deadline < visited_on:
            errors["rectification"] = f"第 {index} 条整改要求的期限早于现场审核日期。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        review = _lock(actor, review, version)
        _check_handling(actor, review, "现场审核记录")
        active = {a.pk: a for a in review.assignments.filter(status=Assignment.Status.ACTIVE)}
        chosen = [active[pk] for pk in present if pk in active]
        if not chosen:
            raise ValidationError({"present": "请选择到场的专家。"})
        before = _transition(actor, review, "site_reviewed", "记录现场审核")
        visit = SiteVisit.objects.create(review=review, visited_on=visited_on, place=place.strip(),
                                         checked=checked.strip(), findings=(findings or "").strip(), recorded_by=actor)
        visit.present.set(chosen)
        for upload in photos:
            SitePhoto.objects.create(site_visit=visit, stored=store_upload(actor, upload, allowed=PHOTOS),
                                     uploaded_by=actor)
        for order, (text, deadline) in enumerate(rectification, start=1):
            RectificationItem.objects.create(review=review, text=text.strip(), deadline=deadline, order=order)
        review.save()
        record("review.site_visit", actor=actor, obj=review, before={"status": before},
               after={"status": review.status, "visited_on": visited_on, "place": visit.place,
                      "present": [a.expert_id for a in chosen], "rectification": len(rectification),
                      "photos": len(photos)},
               summary=f"现场审核（{visited_on:%Y-%m-%d}，{visit.place}）")
    return visit


# --- result -----------------------------------------------------------------------------------


def confirmed_level_of(project) -> str:
    """The cleaner production level the acceptance carries: the confirmed 对标（实施后）."""
    from qingshen.benchmarking.models import Benchmark

    benchmark = Benchmark.objects.filter(project=project, stage=Benchmark.Stage.AFTER,
                                         confirmed_at__isnull=False).select_related("system").first()
    if benchmark is None:
        return ""
    if benchmark.confirmed_result:
        return benchmark.confirmed_result.get("label") or benchmark.get_confirmed_level_display()
    return benchmark.get_confirmed_level_display()


def decide(actor, review, *, conclusion: str, opinion: str, rectify_by=None, acceptance_deadline=None,
           version=None) -> Review:
    """通过, 不通过 or 整改, with the opinion; generates the opinion document."""
    opinion = (opinion or "").strip()
    errors = {}
    if conclusion not in Conclusion.values:
        errors["conclusion"] = "请选择审核结论。"
    if not opinion:
        errors["opinion"] = "请填写审核意见。"
    today = timezone.localdate()
    if conclusion == Conclusion.RECTIFY and (rectify_by is None or rectify_by <= today):
        errors["rectify_by"] = "整改须给出今天以后的重新提交期限。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        review = _lock(actor, review, version)
        if conclusion == Conclusion.PASSED and review.stage == "evaluation" and acceptance_deadline is None:
            acceptance_deadline = _acceptance_due(review)
        if conclusion == Conclusion.PASSED and review.stage == "acceptance":
            level = confirmed_level_of(review.project)
            if not level:
                raise ValidationError("验收通过前，须先审核确认企业实施后的对标结果（对标 → 审核确认）。")
            review.confirmed_level = level
        name = {Conclusion.PASSED: "pass_", Conclusion.FAILED: "fail", Conclusion.RECTIFY: "rectify"}[conclusion]
        before = _transition(actor, review, name, "出具审核结果")
        review.conclusion, review.result_opinion = conclusion, opinion
        review.rectify_by = rectify_by if conclusion == Conclusion.RECTIFY else None
        review.acceptance_deadline = acceptance_deadline if review.stage == "evaluation" else None
        review.decided_by, review.decided_at = actor, timezone.now()
        review.opinion_number = _opinion_number(review)
        review.save()
        if conclusion == Conclusion.RECTIFY:
            from qingshen.filings.models import phases_of

            _reopen(actor, review, [phase.value for phase in phases_of(review.stage)], "专家审核要求整改")
        if conclusion == Conclusion.PASSED and review.stage == "acceptance":
            from qingshen.evidence.services import lock_for_project

            lock_for_project(review.project, actor)
        record("review.decide", actor=actor, obj=review, before={"status": before},
               after=snapshot(review, REVIEW_FIELDS), summary=f"审核结果：{review.get_conclusion_display()}")
        _attach_opinion(actor, review)
    return review


def _acceptance_due(review):
    from qingshen.applications.readiness import due_date

    return due_date(review.project, "acceptance")


def _opinion_number(review) -> str:
    kind = "PG" if review.stage == "evaluation" else "YS"
    return f"QS-{kind}-{review.project.number}-{review.application.number}"


def _attach_opinion(actor, review):
    """Render the opinion document and keep it with the review."""
    from qingshen.files.services import store
    from qingshen.reviews import documents

    review.opinion_file = store(actor, f"{review.opinion_number}.pdf", documents.render(review), allowed=("pdf",))
    review.save(update_fields=["opinion_file"])


# --- score sheets (评分表) ---------------------------------------------------------------------


def add_score_item(actor, campaign, *, stage: str, title: str, max_score) -> ScoreItem:
    """An item of the campaign's score sheet for a stage (the province keeps it)."""
    if not actor.has_perm("campaigns.change_campaign"):
        raise PermissionDenied("您无权维护评分表。")
    title = (title or "").strip()
    errors = {}
    if stage not in ("evaluation", "acceptance"):
        errors["stage"] = "请选择阶段。"
    if not title:
        errors["title"] = "请填写评分项。"
    if not isinstance(max_score, int) or not 1 <= max_score <= 100:
        errors["max_score"] = "分值须为 1 到 100 的整数。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        last = ScoreItem.objects.filter(campaign=campaign, stage=stage).aggregate(n=Max("order"))["n"] or 0
        item = ScoreItem.objects.create(campaign=campaign, stage=stage, title=title, max_score=max_score,
                                        order=last + 1)
        record("review.score_item_added", actor=actor, obj=campaign, after=snapshot(item),
               summary=f"评分表（{item.get_stage_display()}）新增：{title}（{max_score} 分）")
    return item


def remove_score_item(actor, item) -> None:
    """Remove an item no expert has scored yet (a used item stays, so the scores keep their meaning)."""
    if not actor.has_perm("campaigns.change_campaign"):
        raise PermissionDenied("您无权维护评分表。")
    with transaction.atomic():
        item = ScoreItem.objects.select_for_update().get(pk=item.pk)
        if Assignment.objects.filter(review__project__campaign_id=item.campaign_id, review__stage=item.stage,
                                     scores__has_key=str(item.pk)).exists():
            raise ValidationError(f"评分项“{item.title}”已有专家打分，不能删除。")
        before = snapshot(item)
        item.delete()
        record("review.score_item_removed", actor=actor, obj=item.campaign, before=before,
               summary=f"评分表删除：{before['title']}")
