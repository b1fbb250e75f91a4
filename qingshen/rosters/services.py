"""Every step of roster verification: checked against the workflow and the actor, done in one
transaction, written to the audit trail. Views and the API call these; nothing else changes a
RosterTask's status.

Each step refuses, with a Chinese message and before changing anything:

- an actor who may not take it (PermissionDenied: not this department, or not the level above);
- a task whose status does not allow it (ValidationError), said plainly — a second click on
  提交 is told the task was already submitted, it never makes a second round;
- a stale page (`expected_status`: the status the user's page showed): if the task moved on
  meanwhile, the user is told what it is now instead of acting on what they no longer see;
- while a lower level is verifying part of the list, changes to that part (its enterprises
  are theirs until its submission is approved).

`availability()` answers "could this user do that now, and if not why" without doing it, from
the same checks, for the pages' buttons and the API.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed, has_transition_perm

from qingshen.audit_trail.services import record
from qingshen.campaigns.models import Campaign, CampaignEnterprise
from qingshen.campaigns.services import add_member
from qingshen.enterprises import services as enterprise_services
from qingshen.enterprises.models import Enterprise
from qingshen.files.services import store_upload
from qingshen.organizations.models import Organization
from qingshen.rosters.models import RosterDecision, RosterSubmission, RosterTask, may_act, may_review

ATTESTATION = "电子形式内容完全等同于纸质效力，请确认本次任务内容完整、准确，并对此承担责任。"
NOT_ATTESTED = "请先阅读并勾选“我同意上述内容”。"

#: Company facts a level may correct while checking its list, with how to read a new value.
CORRECTABLE = {
    "double_exceed": "是否双超",
    "double_toxic": "是否双有",
    "name": "企业名称",
    "uscc": "统一社会信用代码",
    "address": "地址",
    "legal_representative": "法定代表人",
    "status": "企业状态",
    "permit_number": "排污许可证编号",
}
BOOLEAN_FACTS = ("double_exceed", "double_toxic")

Status = RosterTask.Status

#: What each step is called in messages, and the status it leads to (a repeat of a step that
#: has already happened is told so, not treated as a stale page).
VERBS = {
    "publish": ("下发", Status.DISPATCHED),
    "dispatch": ("下发", Status.DISPATCHED),
    "submit": ("提交", Status.SUBMITTED),
    "approve": ("审核通过", Status.APPROVED),
    "send_back": ("退回", Status.RETURNED),
}


def _lock(task) -> RosterTask:
    """The task, locked (its own row only: PostgreSQL cannot lock the nullable side of the join to
    its parent, and the parent is locked explicitly where it matters)."""
    return RosterTask.objects.select_for_update(of=("self",)).select_related(
        "parent", "organization__region", "campaign").get(pk=task.pk)


def _child_department(region) -> Organization:
    return Organization.objects.get(region=region, kind__in=Organization.DEPARTMENT_KINDS)


def _status_event(actor, task, before, action, summary, **extra):
    record(action, actor=actor, obj=task, before={"status": before}, after={"status": task.status, **extra},
           summary=summary)


# --- the checks every step shares -------------------------------------------------------------


def _state_message(task, step) -> str:
    """Why `step` cannot be taken from the task's current status, in the user's words."""
    verb, target = VERBS[step]
    status = task.status
    if status == target and step in ("publish", "dispatch"):
        return f"任务已下发（{_when(task.attested_at)}），请勿重复下发。"
    if status == Status.SUBMITTED and step == "submit":
        return f"任务已提交（第 {task.round} 轮），正在等待上级审核，请勿重复提交。"
    if status == Status.APPROVED and step == "approve":
        return "该任务已审核通过，无需再次审核。"
    if status == Status.RETURNED and step == "send_back":
        return "该任务已退回，正在等待重新提交。"
    if status == Status.APPROVED:
        return f"任务已审核通过，不能再{verb}。"
    if status == Status.SUBMITTED:
        return f"任务已提交，正在等待上级审核，不能再{verb}。"
    if step in ("approve", "send_back"):
        return f"任务{task.get_status_display()}，尚未提交，不能{verb}。"
    return f"任务当前状态为“{task.get_status_display()}”，不能{verb}。"


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "此前"


def _check_expected(task, expected_status, step=None):
    """A stale page: the user acts on what their page showed, but the task has moved on."""
    if not expected_status or expected_status == task.status:
        return
    if step is not None and VERBS[step][1] == task.status:
        raise ValidationError(_state_message(task, step))
    shown = dict(Status.choices).get(expected_status, expected_status)
    raise ValidationError(
        f"该任务的状态已由“{shown}”变为“{task.get_status_display()}”（页面打开后已有人操作），"
        "请查看最新情况后再操作。")


def _require(task, step, actor, who_message):
    """The actor may take this step (else PermissionDenied) and the task's status allows it
    (else a ValidationError that says what the status is)."""
    bound = getattr(task, step)
    permitted = may_review if step in ("approve", "send_back") else may_act
    if not permitted(task, actor):
        raise PermissionDenied(who_message)
    if not can_proceed(bound):
        raise ValidationError(_state_message(task, step))
    if not has_transition_perm(bound, actor):  # the declared permission, as the workflow states it
        raise PermissionDenied(who_message)


def _check_editable(actor, task):
    if task.organization_id != actor.organization_id or not actor.has_perm("rosters.verify_roster"):
        raise PermissionDenied("只有本级生态环境部门可以核定本级名单。")
    if not task.is_editable:
        if task.status == Status.SUBMITTED:
            raise ValidationError("任务已提交，正在等待上级审核，不能再修改名单。")
        raise ValidationError(f"任务{task.get_status_display()}，不能再修改名单。")


def _editable(actor, task, expected_status=None) -> RosterTask:
    task = _lock(task)
    _check_expected(task, expected_status)
    _check_editable(actor, task)
    return task


def lower_task_for(task, member) -> RosterTask | None:
    """The lower level's task covering this enterprise, if this task was dispatched to it."""
    codes = [code for code in (member.city_code, member.county_code) if code and code != task.organization.region_id]
    if not codes:
        return None
    return task.children.filter(organization__region_id__in=codes).select_related("organization").first()


def _check_not_delegated(task, member):
    """While a lower level verifies part of the list, that part is theirs: the level above
    changes it again only after approving that level's submission (or returns it with comments)."""
    lower = lower_task_for(task, member)
    if lower is not None and lower.status != Status.APPROVED:
        raise ValidationError(
            f"{lower.organization.name}正在核定该企业（其任务{lower.get_status_display()}），"
            "待其提交并经本级审核通过后才能在本级修改；如有意见，请在审核时退回并说明。")


def _member_of(task, member) -> CampaignEnterprise:
    try:
        member = task.members().select_for_update().select_related("enterprise").get(pk=member.pk)
    except CampaignEnterprise.DoesNotExist:
        raise PermissionDenied("该企业不在本级名单范围内。") from None
    _check_not_delegated(task, member)
    return member


# --- the province: build and publish ---------------------------------------------------------


def create_province_task(actor, campaign: Campaign) -> RosterTask:
    """The province's own task (草稿), where it builds the roster before publishing it."""
    province = Organization.objects.get(kind=Organization.Kind.PROVINCE_DEPARTMENT)
    with transaction.atomic():
        task = RosterTask(campaign=campaign, organization=province, level="province",
                          status=RosterTask.Status.DRAFT)
        task.save()
        record("roster.create", actor=actor, obj=task, summary=f"建立名单核定任务 {campaign.name}")
    return task


PUBLISH_WHO = "只有省级生态环境部门可以下发名单。"


def _check_publish(actor, task):
    _require(task, "publish", actor, PUBLISH_WHO)
    if not task.members().exists():
        raise ValidationError("名单中还没有企业，不能下发。请先在清审批次中编制名单。")


def publish(actor, task: RosterTask, *, attested: bool, expected_status=None) -> list[RosterTask]:
    """Province → cities: one task (待确认) per city-level unit with enterprises on the roster."""
    with transaction.atomic():
        task = _lock(task)
        _check_expected(task, expected_status, "publish")
        _check_publish(actor, task)
        if not attested:
            raise ValidationError(NOT_ATTESTED)
        members = task.members().select_related("enterprise__region")
        before = task.status
        task.publish()
        task.attested_by, task.attested_at = actor, timezone.now()
        task.save()
        cities = sorted({m.city_code for m in members if m.city_code})
        children = _create_children(actor, task, cities)
        campaign = task.campaign
        campaign.roster_published_on = timezone.localdate()
        campaign.status = Campaign.Status.ACTIVE
        campaign.save(update_fields=["roster_published_on", "status"])
        _status_event(actor, task, before, "roster.publish", f"下发名单核定任务至 {len(children)} 个市",
                      attestation=ATTESTATION)
    return children


def _create_children(actor, task, region_codes) -> list[RosterTask]:
    from qingshen.regions.models import Region

    children = []
    for region in Region.objects.filter(code__in=region_codes).order_by("code"):
        child = RosterTask(campaign=task.campaign, organization=_child_department(region), parent=task,
                           level=region.level)
        child.save()
        record("roster.create", actor=actor, obj=child, summary=f"{child.organization.name}收到名单核定任务")
        children.append(child)
    return children


# --- a level's own work ----------------------------------------------------------------------


def update_requirements(actor, task, *, requirements: str, new_attachments=(), remove_attachments=(),
                        expected_status=None) -> RosterTask:
    """本级任务信息: the level's own requirements and notice files (PDF/JPG/PNG)."""
    with transaction.atomic():
        task = _editable(actor, task, expected_status)
        before = task.requirements
        stored = [store_upload(actor, upload) for upload in new_attachments]
        removed = list(task.attachments.filter(pk__in=[getattr(f, "pk", f) for f in remove_attachments]))
        task.requirements = requirements
        task.save(update_fields=["requirements", "updated_at"])
        task.attachments.add(*stored)
        task.attachments.remove(*removed)
        record("roster.requirements", actor=actor, obj=task, before={"requirements": before},
               after={"requirements": requirements, "attachments": [f.original_name for f in stored],
                      "removed": [f.original_name for f in removed]},
               summary="补充本级任务要求")
    return task


def keep(actor, task, member, *, expected_status=None) -> CampaignEnterprise:
    """信息无误: keep (or put back) an enterprise."""
    with transaction.atomic():
        task = _editable(actor, task, expected_status)
        member = _member_of(task, member)
        before = member.status
        if member.status != CampaignEnterprise.Status.PROPOSED:
            member.status = CampaignEnterprise.Status.INCLUDED
        member.exclusion_reason = ""
        member.save()
        RosterDecision.objects.create(task=task, member=member, action=RosterDecision.Action.KEEP,
                                      round=task.round, decided_by=actor)
        record("roster.keep", actor=actor, obj=member, before={"status": before}, after={"status": member.status},
               summary=f"保留 {member.enterprise.name}")
    return member


def exclude(actor, task, member, *, reason: str, evidence, expected_status=None) -> CampaignEnterprise:
    """标注“否”: the enterprise does not meet this campaign's requirements; reason and evidence required."""
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = "请填写详细情况说明。"
    if not evidence:
        errors["evidence"] = "请上传佐证材料。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        task = _editable(actor, task, expected_status)
        member = _member_of(task, member)
        stored = []
        for upload in evidence:
            try:
                stored.append(store_upload(actor, upload))
            except ValidationError as exc:
                raise ValidationError({"evidence": exc.messages}) from exc
        before = member.status
        member.status = CampaignEnterprise.Status.EXCLUDED
        member.exclusion_reason = reason.strip()
        member.save()
        decision = RosterDecision.objects.create(task=task, member=member, action=RosterDecision.Action.EXCLUDE,
                                                 reason=reason.strip(), round=task.round, decided_by=actor)
        decision.evidence.set(stored)
        record("roster.exclude", actor=actor, obj=member, before={"status": before},
               after={"status": member.status, "reason": member.exclusion_reason,
                      "evidence": [f.sha256 for f in stored]},
               summary=f"将 {member.enterprise.name} 标注为否")
    return member


def correct(actor, task, member, *, field: str, value, expected_status=None,
            expected_version=None) -> CampaignEnterprise:
    """Correct 双超/双有 or a company fact; the enterprise record changes, old and new kept."""
    return correct_facts(actor, task, member, {field: value}, expected_status=expected_status,
                         expected_version=expected_version)


def correct_facts(actor, task, member, changes: dict, *, expected_status=None,
                  expected_version=None) -> CampaignEnterprise:
    """Several corrections of one enterprise at once (one decision per changed fact), all or none.
    `expected_version` is the enterprise's version the user's page showed (a stale page is refused)."""
    unknown = [name for name in changes if name not in CORRECTABLE]
    if unknown or not changes:
        raise ValidationError({"field": "该项目不能在名单核定中修正。"})
    with transaction.atomic():
        task = _editable(actor, task, expected_status)
        member = _member_of(task, member)
        enterprise = member.enterprise
        old = {name: getattr(enterprise, name) for name in changes}
        updated = enterprise_services.update_enterprise(actor, enterprise, expected_version=expected_version,
                                                        **changes)
        for name in changes:
            new = getattr(updated, name)
            if _shown(name, old[name]) == _shown(name, new):
                continue
            RosterDecision.objects.create(task=task, member=member, action=RosterDecision.Action.CORRECT,
                                          field=name, old_value=_shown(name, old[name]),
                                          new_value=_shown(name, new), round=task.round, decided_by=actor)
        member.enterprise = updated
    return member


def _shown(field, value) -> str:
    if value is True:
        return "是"
    if value is False:
        return "否"
    if value is None:
        return ""
    choices = dict(Enterprise._meta.get_field(field).flatchoices) if field else {}
    return str(choices.get(value, value))[:300]


def propose(actor, task, *, enterprise: Enterprise | None = None, new_enterprise: dict | None = None,
            reasons, handling_level, reason: str = "", expected_status=None) -> CampaignEnterprise:
    """增补: add a missing enterprise, from the registry or registered here with its USCC;
    it stays 增补待审 until the level above approves this task's submission (the province's own
    additions need no approval)."""
    with transaction.atomic():
        task = _editable(actor, task, expected_status)
        if enterprise is None:
            data = dict(new_enterprise or {})
            if not data.get("uscc"):
                raise ValidationError({"uscc": "在此登记新企业须填写统一社会信用代码。"})
            enterprise = enterprise_services.create_enterprise(actor, **data)
        elif not Enterprise.objects.restrict(actor).filter(pk=enterprise.pk).exists():
            raise PermissionDenied(f"{enterprise.name}不在您的辖区内。")
        # The province has no level above to approve its additions: they are on the list at once.
        status = CampaignEnterprise.Status.PROPOSED if task.parent_id else CampaignEnterprise.Status.INCLUDED
        member = add_member(actor, task.campaign, enterprise, reasons=reasons, handling_level=handling_level,
                            status=status, proposed_by=task.organization)
        if not task.members().filter(pk=member.pk).exists():
            raise PermissionDenied(f"{enterprise.name}不在本级名单范围内。")
        _check_not_delegated(task, member)
        RosterDecision.objects.create(task=task, member=member, action=RosterDecision.Action.ADD, reason=reason,
                                      round=task.round, decided_by=actor)
    return member


# --- dispatch, submit, review -----------------------------------------------------------------


DISPATCH_WHO = "只有本级生态环境部门可以下发该任务。"


def _check_dispatch(actor, task):
    _require(task, "dispatch", actor, DISPATCH_WHO)
    if not task.has_lower_level:
        raise ValidationError(f"{task.organization.region.name}没有下级区县，请直接核定并提交。")


def dispatch(actor, task, *, attested: bool, expected_status=None) -> list[RosterTask]:
    """City → its counties (下发任务)."""
    with transaction.atomic():
        task = _lock(task)
        _check_expected(task, expected_status, "dispatch")
        _check_dispatch(actor, task)
        if not attested:
            raise ValidationError(NOT_ATTESTED)
        counties = sorted({m.county_code for m in task.members() if m.county_code})
        before = task.status
        task.dispatch()
        task.attested_by, task.attested_at = actor, timezone.now()
        task.save()
        children = _create_children(actor, task, counties)
        _status_event(actor, task, before, "roster.dispatch", f"下发名单核定任务至 {len(children)} 个区县",
                      attestation=ATTESTATION)
    return children


SUBMIT_WHO = "只有本级生态环境部门可以提交该任务。"


def _check_submit(actor, task):
    if task.parent_id is None:
        raise ValidationError("省级任务无需提交。")
    _require(task, "submit", actor, SUBMIT_WHO)
    if task.has_lower_level and task.status == RosterTask.Status.PENDING:
        raise ValidationError("请先将任务下发至区县，待区县提交并审核通过后再提交。")
    waiting = [f"{c.organization.name}（{c.get_status_display()}）"
               for c in task.children.select_related("organization").order_by("organization__account_code")
               if c.status != RosterTask.Status.APPROVED]
    if waiting:
        raise ValidationError(f"下级任务尚未全部审核通过，暂不能提交：{'、'.join(waiting)}。")


def submit(actor, task, *, stamped_list, expected_status=None) -> RosterSubmission:
    """提交: the level's final list, stamped and scanned (PDF/JPG/PNG), goes up for review."""
    with transaction.atomic():
        task = _lock(task)
        _check_expected(task, expected_status, "submit")
        _check_submit(actor, task)
        if stamped_list is None:
            raise ValidationError({"stamped_list": "请上传本级最终名单（盖章扫描件）。"})
        try:
            stored = store_upload(actor, stamped_list)
        except ValidationError as exc:
            raise ValidationError({"stamped_list": exc.messages}) from exc
        before = task.status
        task.submit()
        task.save()
        submission = RosterSubmission.objects.create(
            task=task, round=task.round, submitted_by=actor, submitted_at=timezone.now(), stamped_list=stored,
            snapshot=snapshot_list(task),
        )
        _status_event(actor, task, before, "roster.submit", f"提交最终名单（第 {task.round} 轮）",
                      stamped_list=stored.sha256)
    return submission


def snapshot_list(task) -> list[dict]:
    """The list as submitted, kept with the round (what the reviewer saw, whatever changes later)."""
    return [
        {"id": m.pk, "enterprise": m.enterprise.name, "uscc": m.enterprise.uscc or "",
         "county": m.enterprise.region.name, "county_code": m.enterprise.region_id,
         "industry": str(m.enterprise.industry) if m.enterprise.industry_id else "",
         "double_exceed": m.enterprise.double_exceed, "double_toxic": m.enterprise.double_toxic,
         "status": m.status, "reasons": m.reasons, "handling_level": m.handling_level,
         "exclusion_reason": m.exclusion_reason,
         "proposed_by": m.proposed_by.name if m.proposed_by_id else ""}
        for m in task.members().select_related("enterprise__region", "enterprise__industry", "proposed_by")
        .order_by("seq", "pk")
    ]


REVIEW_WHO = "只有上一级生态环境部门可以审核该任务。"


def _check_review(actor, task, step):
    _require(task, step, actor, REVIEW_WHO)
    parent = task.parent
    if not parent.is_editable:
        raise ValidationError(f"本级任务{parent.get_status_display()}，不能再审核下级。")


def _review(actor, task, approve: bool, comments: str, expected_status=None) -> RosterTask:
    comments = (comments or "").strip()
    step = "approve" if approve else "send_back"
    with transaction.atomic():
        task = _lock(task)
        _check_expected(task, expected_status, step)
        parent = RosterTask.objects.select_for_update().get(pk=task.parent_id) if task.parent_id else None
        task.parent = parent
        _check_review(actor, task, step)
        if not approve and not comments:
            raise ValidationError({"comments": "退回时请填写审核意见。"})
        bound = task.approve if approve else task.send_back
        before = task.status
        bound()
        task.save()
        submission = task.submissions.order_by("-round").first()
        if submission is not None and before == RosterTask.Status.SUBMITTED:
            submission.decision = (RosterSubmission.Decision.APPROVED if approve
                                   else RosterSubmission.Decision.RETURNED)
            submission.comments = comments
            submission.reviewed_by, submission.reviewed_at = actor, timezone.now()
            submission.save()
        elif submission is not None and not approve:
            # An approved list sent back again: the comments go with the round they are about.
            submission.decision = RosterSubmission.Decision.RETURNED
            submission.comments = comments
            submission.reviewed_by, submission.reviewed_at = actor, timezone.now()
            submission.save()
        if approve:
            task.members().filter(status=CampaignEnterprise.Status.PROPOSED).update(
                status=CampaignEnterprise.Status.INCLUDED, updated_at=timezone.now())
        _status_event(actor, task, before, "roster.approve" if approve else "roster.return",
                      f"{'通过' if approve else '退回'} {task.organization.name} 的名单", comments=comments)
    return task


def approve(actor, task, comments: str = "", *, expected_status=None) -> RosterTask:
    return _review(actor, task, True, comments, expected_status)


def send_back(actor, task, comments: str, *, expected_status=None) -> RosterTask:
    return _review(actor, task, False, comments, expected_status)


# --- what a user could do now ----------------------------------------------------------------

ACTIONS = ("edit", "publish", "dispatch", "submit", "approve", "send_back")


def availability(actor, task, action) -> tuple[bool, str]:
    """(allowed, why not) for one step on the task as it is now; changes nothing."""
    checks = {
        "edit": lambda: _check_editable(actor, task),
        "publish": lambda: _check_publish(actor, task),
        "dispatch": lambda: _check_dispatch(actor, task),
        "submit": lambda: _check_submit(actor, task),
        "approve": lambda: _check_review(actor, task, "approve"),
        "send_back": lambda: _check_review(actor, task, "send_back"),
    }
    try:
        checks[action]()
    except (PermissionDenied, ValidationError) as exc:
        return False, message_of(exc)
    return True, ""


def message_of(exc) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc) or "您无权执行该操作。"
