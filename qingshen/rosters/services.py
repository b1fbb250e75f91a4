"""Every step of roster verification: checked against the workflow and the actor, done in one
transaction, written to the audit trail. Views and the API call these; nothing else changes a
RosterTask's status."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import has_transition_perm

from qingshen.audit_trail.services import record
from qingshen.campaigns.models import Campaign, CampaignEnterprise
from qingshen.campaigns.services import add_member
from qingshen.enterprises import services as enterprise_services
from qingshen.enterprises.models import Enterprise
from qingshen.files.services import store_upload
from qingshen.organizations.models import Organization
from qingshen.rosters.models import RosterDecision, RosterSubmission, RosterTask

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


def _lock(task) -> RosterTask:
    return RosterTask.objects.select_for_update().select_related("parent", "organization__region", "campaign").get(
        pk=task.pk)


def _require(bound_transition, actor, message):
    if not has_transition_perm(bound_transition, actor):
        raise PermissionDenied(message)


def _child_department(region) -> Organization:
    return Organization.objects.get(region=region, kind__in=Organization.DEPARTMENT_KINDS)


def _status_event(actor, task, before, action, summary, **extra):
    record(action, actor=actor, obj=task, before={"status": before}, after={"status": task.status, **extra},
           summary=summary)


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


def publish(actor, task: RosterTask, *, attested: bool) -> list[RosterTask]:
    """Province → cities: one task (待确认) per city-level unit with enterprises on the roster."""
    if not attested:
        raise ValidationError(NOT_ATTESTED)
    with transaction.atomic():
        task = _lock(task)
        _require(task.publish, actor, "只有省级生态环境部门可以在草稿状态下发名单。")
        members = task.members().select_related("enterprise__region")
        if not members.exists():
            raise ValidationError("名单中还没有企业，不能下发。")
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


def _editable(actor, task) -> RosterTask:
    task = _lock(task)
    if task.organization_id != actor.organization_id or not actor.has_perm("rosters.verify_roster"):
        raise PermissionDenied("只有本级生态环境部门可以核定本级名单。")
    if not task.is_editable:
        raise ValidationError(f"任务{task.get_status_display()}，不能再修改名单。")
    return task


def _member_of(task, member) -> CampaignEnterprise:
    try:
        return task.members().select_for_update().select_related("enterprise").get(pk=member.pk)
    except CampaignEnterprise.DoesNotExist:
        raise PermissionDenied("该企业不在本级名单范围内。") from None


def update_requirements(actor, task, *, requirements: str, new_attachments=()) -> RosterTask:
    with transaction.atomic():
        task = _editable(actor, task)
        before = task.requirements
        stored = [store_upload(actor, upload) for upload in new_attachments]
        task.requirements = requirements
        task.save(update_fields=["requirements", "updated_at"])
        task.attachments.add(*stored)
        record("roster.requirements", actor=actor, obj=task, before={"requirements": before},
               after={"requirements": requirements, "attachments": [f.original_name for f in stored]},
               summary="补充本级任务要求")
    return task


def keep(actor, task, member) -> CampaignEnterprise:
    """信息无误: keep (or put back) an enterprise."""
    with transaction.atomic():
        task = _editable(actor, task)
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


def exclude(actor, task, member, *, reason: str, evidence) -> CampaignEnterprise:
    """标注“否”: the enterprise does not meet this campaign's requirements; reason and evidence required."""
    errors = {}
    if not reason.strip():
        errors["reason"] = "请填写详细情况说明。"
    if not evidence:
        errors["evidence"] = "请上传佐证材料。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        task = _editable(actor, task)
        member = _member_of(task, member)
        stored = [store_upload(actor, upload) for upload in evidence]
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


def correct(actor, task, member, *, field: str, value) -> CampaignEnterprise:
    """Correct 双超/双有 or a company fact; the enterprise record changes, old and new kept."""
    if field not in CORRECTABLE:
        raise ValidationError({"field": "该项目不能在名单核定中修正。"})
    with transaction.atomic():
        task = _editable(actor, task)
        member = _member_of(task, member)
        enterprise = member.enterprise
        old = getattr(enterprise, field)
        enterprise_services.update_enterprise(actor, enterprise, **{field: value})
        enterprise.refresh_from_db()
        new = getattr(enterprise, field)
        RosterDecision.objects.create(task=task, member=member, action=RosterDecision.Action.CORRECT, field=field,
                                      old_value=_shown(old), new_value=_shown(new), round=task.round,
                                      decided_by=actor)
    return member


def _shown(value) -> str:
    if value is True:
        return "是"
    if value is False:
        return "否"
    return "" if value is None else str(value)[:300]


def propose(actor, task, *, enterprise: Enterprise | None = None, new_enterprise: dict | None = None,
            reasons, handling_level, reason: str = "") -> CampaignEnterprise:
    """增补: add a missing enterprise, from the registry or registered here with its USCC;
    it stays 增补待审 until the level above approves this task's submission."""
    with transaction.atomic():
        task = _editable(actor, task)
        if enterprise is None:
            data = dict(new_enterprise or {})
            if not data.get("uscc"):
                raise ValidationError({"uscc": "在此登记新企业须填写统一社会信用代码。"})
            enterprise = enterprise_services.create_enterprise(actor, **data)
        elif not Enterprise.objects.restrict(actor).filter(pk=enterprise.pk).exists():
            raise PermissionDenied(f"{enterprise.name}不在您的辖区内。")
        member = add_member(actor, task.campaign, enterprise, reasons=reasons, handling_level=handling_level,
                            status=CampaignEnterprise.Status.PROPOSED, proposed_by=task.organization)
        if not task.members().filter(pk=member.pk).exists():
            raise PermissionDenied(f"{enterprise.name}不在本级名单范围内。")
        RosterDecision.objects.create(task=task, member=member, action=RosterDecision.Action.ADD, reason=reason,
                                      round=task.round, decided_by=actor)
    return member


# --- dispatch, submit, review -----------------------------------------------------------------


def dispatch(actor, task, *, attested: bool) -> list[RosterTask]:
    """City → its counties (下发任务)."""
    if not attested:
        raise ValidationError(NOT_ATTESTED)
    with transaction.atomic():
        task = _lock(task)
        _require(task.dispatch, actor, "只有本级生态环境部门可以下发待确认的任务。")
        if not task.has_lower_level:
            raise ValidationError(f"{task.organization.region.name}没有下级区县，请直接核定并提交。")
        counties = sorted({m.county_code for m in task.members() if m.county_code})
        before = task.status
        task.dispatch()
        task.attested_by, task.attested_at = actor, timezone.now()
        task.save()
        children = _create_children(actor, task, counties)
        _status_event(actor, task, before, "roster.dispatch", f"下发名单核定任务至 {len(children)} 个区县",
                      attestation=ATTESTATION)
    return children


def submit(actor, task, *, stamped_list) -> RosterSubmission:
    """提交: the level's final list, stamped and scanned (PDF/JPG/PNG), goes up for review."""
    if stamped_list is None:
        raise ValidationError({"stamped_list": "请上传本级最终名单（盖章扫描件）。"})
    with transaction.atomic():
        task = _lock(task)
        _require(task.submit, actor, "只有本级生态环境部门可以提交该任务。")
        if task.parent_id is None:
            raise ValidationError("省级任务无需提交。")
        if task.has_lower_level and task.status == RosterTask.Status.PENDING:
            raise ValidationError("请先将任务下发至区县，待区县提交并审核通过后再提交。")
        waiting = [c.organization.name for c in task.children.select_related("organization")
                   if c.status != RosterTask.Status.APPROVED]
        if waiting:
            raise ValidationError(f"下级任务尚未全部审核通过：{'、'.join(waiting)}。")
        stored = store_upload(actor, stamped_list)
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
    return [
        {"id": m.pk, "enterprise": m.enterprise.name, "county": m.enterprise.region.name,
         "status": m.status, "reasons": m.reasons, "handling_level": m.handling_level}
        for m in task.members().select_related("enterprise__region").order_by("seq", "pk")
    ]


def _review(actor, task, approve: bool, comments: str) -> RosterTask:
    if not approve and not comments.strip():
        raise ValidationError({"comments": "退回时请填写审核意见。"})
    with transaction.atomic():
        task = _lock(task)
        bound = task.approve if approve else task.send_back
        _require(bound, actor, "只有上一级生态环境部门可以审核该任务。")
        parent = RosterTask.objects.select_for_update().get(pk=task.parent_id)
        if not parent.is_editable:
            raise ValidationError(f"本级任务{parent.get_status_display()}，不能再审核下级。")
        before = task.status
        bound()
        task.save()
        submission = task.submissions.order_by("-round").first()
        if submission is not None and before == RosterTask.Status.SUBMITTED:
            submission.decision = (RosterSubmission.Decision.APPROVED if approve
                                   else RosterSubmission.Decision.RETURNED)
            submission.comments = comments.strip()
            submission.reviewed_by, submission.reviewed_at = actor, timezone.now()
            submission.save()
        if approve:
            task.members().filter(status=CampaignEnterprise.Status.PROPOSED).update(
                status=CampaignEnterprise.Status.INCLUDED)
        _status_event(actor, task, before, "roster.approve" if approve else "roster.return",
                      f"{'通过' if approve else '退回'} {task.organization.name} 的名单", comments=comments.strip())
    return task


def approve(actor, task, comments: str = "") -> RosterTask:
    return _review(actor, task, True, comments)


def send_back(actor, task, comments: str) -> RosterTask:
    return _review(actor, task, False, comments)
