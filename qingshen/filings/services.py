"""Every change of the filings app: a project's phase filings, their start and submission, and
the campaign checklists the province keeps.

Each change runs in a transaction, locks the row it changes, checks who may do it and whether
the row's state allows it, then records an audit event.

Ordering of phases: every phase is open for filing from the start and may be submitted in any
order. The audit's real order is enforced where it matters, by the applications (an evaluation
application needs the evaluation stage's phases submitted); blocking a phase here would only
stop an enterprise from filing evidence it already has (photos of an implemented quick win,
its continuing rules) in the order its work produced them.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from qingshen.audit_trail.services import record, snapshot
from qingshen.core.roles import Role
from qingshen.filings import checklist, completeness, tables
from qingshen.filings.models import (
    CampaignChecklist,
    ChecklistItem,
    ItemKind,
    Phase,
    PhaseFiling,
)

ADMIN_REFUSED = "只有省级生态环境部门或系统管理员可以维护痕迹清单。"
SUBMIT_REFUSED = "只有企业本身可以提交阶段痕迹（咨询服务机构可以代为填报，不能提交）。"
STALE = "页面打开后该阶段已有变动，请刷新页面查看最新情况后再操作。"
ITEM_STALE = "页面打开后该清单项已被他人修改，请刷新页面后再修改。"


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


# --- phase filings -----------------------------------------------------------------------------


def ensure_filings(project) -> list[PhaseFiling]:
    """The project's nine filings, in phase order, creating those that do not exist yet (not
    started: an empty placeholder, so it has no audit event of its own)."""
    existing = {filing.phase: filing for filing in PhaseFiling.objects.filter(project=project)}
    missing = [phase for phase in Phase if phase.value not in existing]
    if missing:
        region = project.enterprise.region
        new = []
        for phase in missing:
            filing = PhaseFiling(project=project, phase=phase)
            filing.set_scope_from_region(region)
            new.append(filing)
        try:
            with transaction.atomic():
                PhaseFiling.objects.bulk_create(new)
        except IntegrityError:  # another request created them at the same moment
            pass
        existing = {filing.phase: filing for filing in PhaseFiling.objects.filter(project=project)}
    return [existing[phase.value] for phase in Phase]


def start(filing_id, actor, *, reason: str) -> bool:
    """未开始 → 填报中 (the first file attached to the phase); nothing if it has started."""
    with transaction.atomic():
        filing = (PhaseFiling.objects.select_for_update(of=("self",))
                  .select_related("project__enterprise__region").filter(pk=filing_id).first())
        if filing is None or filing.status != PhaseFiling.Status.NOT_STARTED:
            return False
        # The version stays: a page opened before the upload (the panel uploads through htmx,
        # without reloading the page) must still be able to submit.
        before = snapshot(filing, ["status"])
        filing.status = PhaseFiling.Status.IN_PROGRESS
        filing.save(update_fields=["status", "updated_at"])
        record("filing.start", actor=actor, obj=filing, before=before, after=snapshot(filing, ["status"]),
               summary=f"开始填报{filing.get_phase_display()}（{reason}）")
    return True


def _check_submitter(actor, filing):
    if actor is None or not actor.is_authenticated or actor.role != Role.ENTERPRISE \
            or not actor.has_perm("filings.submit_phasefiling"):
        raise PermissionDenied(SUBMIT_REFUSED)
    if not PhaseFiling.objects.restrict(actor).filter(pk=filing.pk).exists():
        raise PermissionDenied("只能提交本企业的阶段痕迹。")


def submit(actor, filing: PhaseFiling, *, expected_version=None) -> PhaseFiling:
    """Submit a phase: refused with the list of what is missing until every required item is
    filled; keeps the checklist as checked, with each item's files, as the snapshot."""
    _check_submitter(actor, filing)
    with transaction.atomic():
        filing = (PhaseFiling.objects.select_for_update(of=("self",))
                  .select_related("project__enterprise__region", "project__campaign").get(pk=filing.pk))
        label = filing.get_phase_display()
        if filing.is_submitted:
            raise ValidationError(f"“{label}”已于 {_when(filing.submitted_at)} 提交，不能重复提交。")
        if expected_version not in (None, "") and int(expected_version) != filing.version:
            raise ValidationError(STALE)
        state = completeness.for_filing(filing)
        if not state.complete:
            raise ValidationError([f"“{label}”还有 {len(state.missing)} 项必填内容未完成，不能提交：",
                                   *state.missing_texts])
        before = snapshot(filing, ["status", "version"])
        filing.snapshot = {
            "checklist": "campaign" if checklist.has_own(filing.project.campaign_id) else "default",
            "items": [{**checklist.snapshot_item(s.item), "filled": s.filled, "evidence": s.evidence_ids,
                       "rows": s.rows} for s in state.items],
        }
        filing.status = PhaseFiling.Status.SUBMITTED
        filing.submitted_at = timezone.now()
        filing.submitted_by = actor
        filing.version += 1
        filing.save()
        record("filing.submit", actor=actor, obj=filing, before=before,
               after={**snapshot(filing, ["status", "version", "submitted_at"]), "snapshot": filing.snapshot},
               summary=f"提交{label}（必填 {state.required_total} 项）")
    return filing


def reopen(actor, project, phases, *, reason: str) -> list[PhaseFiling]:
    """Open submitted phases again so the enterprise can revise them: called by the reviews'
    services (inside their transaction) when an application is returned at intake or sent to
    整改. It checks no permission itself; the caller has. The submitted snapshot is kept in
    the audit event, and the next submission takes a new one."""
    reopened = []
    filings = (PhaseFiling.objects.select_for_update(of=("self",)).select_related("project")
               .filter(project=project, phase__in=list(phases), status=PhaseFiling.Status.SUBMITTED))
    for filing in filings:
        before = {**snapshot(filing, ["status", "version", "submitted_at"]), "snapshot": filing.snapshot}
        filing.status = PhaseFiling.Status.IN_PROGRESS
        filing.submitted_at, filing.submitted_by = None, None
        filing.version += 1
        filing.save()
        record("filing.reopen", actor=actor, obj=filing, before=before,
               after=snapshot(filing, ["status", "version"]),
               summary=f"退回{filing.get_phase_display()}供修改：{reason}")
        reopened.append(filing)
    return reopened


# --- campaign checklists -----------------------------------------------------------------------


def _check_admin(actor):
    if actor is None or not actor.is_authenticated or not actor.has_perm("filings.change_checklist"):
        raise PermissionDenied(ADMIN_REFUSED)


def copy_default(actor, campaign) -> CampaignChecklist:
    """Give the campaign its own checklist: a copy of the default set, to edit."""
    _check_admin(actor)
    with transaction.atomic():
        from qingshen.campaigns.models import Campaign

        Campaign.objects.select_for_update().get(pk=campaign.pk)
        if CampaignChecklist.objects.filter(campaign=campaign).exists():
            raise ValidationError("本批次已有自己的痕迹清单。")
        own = CampaignChecklist.objects.create(campaign=campaign, created_by=actor)
        defaults = ChecklistItem.objects.filter(campaign__isnull=True)
        ChecklistItem.objects.bulk_create(
            [ChecklistItem(campaign=campaign, **checklist.snapshot_item(item)) for item in defaults])
        record("checklist.copy", actor=actor, obj=own, after={"campaign": campaign.pk, "items": len(defaults)},
               summary=f"为“{campaign.name}”建立本批次痕迹清单（复制默认清单 {len(defaults)} 项）")
    return own


def discard(actor, campaign) -> None:
    """Back to the default set: the campaign's own items are removed (submissions keep theirs)."""
    _check_admin(actor)
    with transaction.atomic():
        own = CampaignChecklist.objects.select_for_update().filter(campaign=campaign).first()
        if own is None:
            raise ValidationError("本批次使用默认清单，没有需要恢复的内容。")
        items = list(ChecklistItem.objects.filter(campaign=campaign))
        before = {"items": [checklist.snapshot_item(item) for item in items]}
        ChecklistItem.objects.filter(campaign=campaign).delete()
        record("checklist.discard", actor=actor, obj=own, before=before, after={"items": []},
               summary=f"“{campaign.name}”恢复使用默认痕迹清单（删除本批次清单 {len(items)} 项）")
        own.delete()


def _own_item(item) -> ChecklistItem:
    """The item, locked, refused if it belongs to the default set."""
    item = ChecklistItem.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=item.pk)
    if item.campaign_id is None:
        raise ValidationError("默认清单随系统发布，不能在这里修改；请先为清审批次建立本批次清单。")
    return item


def _clean_fields(*, title, kind, table_code, guidance) -> dict:
    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = "请填写清单项名称。"
    elif len(title) > 100:
        errors["title"] = "名称不能超过 100 个字。"
    if kind not in ItemKind.values:
        errors["kind"] = "请选择类型（照片、文档或数据表）。"
    table_code = (table_code or "").strip() if kind == ItemKind.TABLE else ""
    if kind == ItemKind.TABLE and table_code not in dict(tables.choices()):
        errors["table_code"] = "请选择数据表。"
    if errors:
        raise ValidationError(errors)
    return {"title": title, "kind": kind, "table_code": table_code, "guidance": (guidance or "").strip()}


def _next_code(campaign, phase) -> str:
    taken = set(ChecklistItem.objects.filter(campaign=campaign).values_list("code", flat=True))
    number = 1
    while f"{phase}_{number}" in taken:
        number += 1
    return f"{phase}_{number}"


def add_item(actor, campaign, *, phase, title, kind, required=True, guidance="", table_code="") -> ChecklistItem:
    """A new item at the end of its phase; its code (the evidence slot) is made here."""
    _check_admin(actor)
    if phase not in Phase.values:
        raise ValidationError({"phase": "请选择阶段。"})
    fields = _clean_fields(title=title, kind=kind, table_code=table_code, guidance=guidance)
    with transaction.atomic():
        own = CampaignChecklist.objects.select_for_update().filter(campaign=campaign).first()
        if own is None:
            raise ValidationError("本批次使用默认清单；请先建立本批次清单，再增加清单项。")
        last = ChecklistItem.objects.filter(campaign=campaign, phase=phase).aggregate(n=Max("order"))["n"] or 0
        item = ChecklistItem.objects.create(campaign=campaign, phase=phase, code=_next_code(campaign, phase),
                                            required=bool(required), order=last + 10, **fields)
        record("checklist.item_add", actor=actor, obj=item, after=snapshot(item),
               summary=f"“{campaign.name}”痕迹清单增加：{item}")
    return item


def update_item(actor, item, *, expected_version=None, title, kind, required, guidance="",
                table_code="") -> ChecklistItem:
    """Change an item's name, type, table, guidance or whether it is required (not its phase or
    code: files already attached under the code would lose their item)."""
    _check_admin(actor)
    fields = _clean_fields(title=title, kind=kind, table_code=table_code, guidance=guidance)
    with transaction.atomic():
        item = _own_item(item)
        if expected_version not in (None, "") and int(expected_version) != item.version:
            raise ValidationError(ITEM_STALE)
        before = snapshot(item)
        for name, value in {**fields, "required": bool(required)}.items():
            setattr(item, name, value)
        item.version += 1
        item.save()
        record("checklist.item_change", actor=actor, obj=item, before=before, after=snapshot(item),
               summary=f"“{item.campaign.name}”痕迹清单修改：{item}")
    return item


def remove_item(actor, item, *, expected_version=None) -> None:
    _check_admin(actor)
    with transaction.atomic():
        item = _own_item(item)
        if expected_version not in (None, "") and int(expected_version) != item.version:
            raise ValidationError(ITEM_STALE)
        before = snapshot(item)
        record("checklist.item_remove", actor=actor, obj=item, before=before,
               summary=f"“{item.campaign.name}”痕迹清单删除：{item}")
        item.delete()


def move_item(actor, item, direction: str) -> ChecklistItem:
    """Swap the item with its neighbour above ("up") or below ("down") within its phase."""
    _check_admin(actor)
    if direction not in ("up", "down"):
        raise ValidationError("请选择上移或下移。")
    with transaction.atomic():
        item = _own_item(item)
        siblings = list(ChecklistItem.objects.select_for_update()
                        .filter(campaign_id=item.campaign_id, phase=item.phase).order_by("order", "pk"))
        index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(siblings):
            raise ValidationError("已在本阶段的最前面。" if direction == "up" else "已在本阶段的最后面。")
        before = {"order": [s.code for s in siblings]}
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, sibling in enumerate(siblings, start=1):
            sibling.order = position * 10
            sibling.version += 1
        ChecklistItem.objects.bulk_update(siblings, ["order", "version"])
        record("checklist.item_move", actor=actor, obj=item, before=before,
               after={"order": [s.code for s in siblings]},
               summary=f"“{item.campaign.name}”痕迹清单{'上移' if direction == 'up' else '下移'}：{item}")
    return next(s for s in siblings if s.pk == item.pk)
