"""Every change to a project start, its rows, disclosures and contracts.

Each function checks the permission (`change_projectstart` to fill, `submit_projectstart` to
submit), finds the row through `restrict(actor)` (so a project outside the actor's jurisdiction
or delegation does not exist for it), locks it, refuses a stale edit (`expected_version`: the
version the user's page showed) and a submitted start, saves, and records an audit event with
before/after in the same transaction.

Saving never requires the required fields: a draft may be half-filled. What is still missing
is answered by `missing()`, shown on step 6 and checked again, under the lock, by `submit()`.

The audit mode decides the enterprise's delegation: naming a consultancy gives it an active
`Delegation` (so its accounts see and fill the project); switching to 自行开展 or to another
consultancy ends the old one, unless another of the enterprise's projects still names it. That
choice is the enterprise's own: a consultancy may fill everything else, but not change who is
delegated (it could otherwise hand the enterprise to a competitor, or lock itself out).

Events about rows are recorded on what they hang on (the start for the wizard's rows, the
project for disclosures and contracts), with the row's id in before/after, so the start's and
the project's 修改记录 show every change, deleted rows included.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_fsm import can_proceed, has_transition_perm

from qingshen.audit_trail.services import record, snapshot
from qingshen.core.roles import Role
from qingshen.enterprises.models import Delegation, Enterprise
from qingshen.evidence import services as evidence
from qingshen.evidence.models import Evidence
from qingshen.industries.models import Industry
from qingshen.organizations.models import Organization
from qingshen.project_start.models import (
    CHANGE_PERMISSION, SUBMIT_PERMISSION, AuditContract, Disclosure, EiaApproval, FacilityAcceptance,
    MonitoringReport, Product, ProjectStart,
)
from qingshen.projects.models import AuditProject

BASIC_FIELDS = ["enterprise_name", "legal_representative", "town", "village", "address", "industry", "nature",
                "employees", "working_days", "audit_mode", "consultancy"]
DELEGATION_FIELDS = ("audit_mode", "consultancy")
#: Basic fields that must be filled before 提交 (村/社区 may be blank: not every site has one).
BASIC_REQUIRED = ["enterprise_name", "legal_representative", "town", "address", "industry", "nature",
                  "employees", "working_days", "audit_mode"]

#: The rows of the wizard's steps 2–5, by their slug in addresses and the API.
STEP_ROWS = {"products": Product, "eia": EiaApproval, "monitoring": MonitoringReport,
             "acceptance": FacilityAcceptance}
#: The project's records outside the wizard.
RECORDS = {"disclosures": Disclosure, "contracts": AuditContract}
ROW_FIELDS = {
    Product: ["name", "unit", "design_capacity", "output_1", "output_2", "output_3"],
    EiaApproval: ["project_name", "document_number", "approved_on", "authority"],
    MonitoringReport: ["report_date", "body", "pollutants"],
    FacilityAcceptance: ["accepted_on", "subject"],
    Disclosure: ["disclosed_on", "channel", "link", "note"],
    AuditContract: ["consultancy", "signed_on", "amount", "original_sent_on"],
}
#: Which date a row's file bears (given to the evidence as its document date).
DOCUMENT_DATE = {EiaApproval: "approved_on", MonitoringReport: "report_date", FacilityAcceptance: "accepted_on",
                 Disclosure: "disclosed_on", AuditContract: "signed_on"}
ACTION_NAMES = {Product: "product", EiaApproval: "eia", MonitoringReport: "monitoring",
                FacilityAcceptance: "acceptance", Disclosure: "disclosure", AuditContract: "contract"}

#: What a start's pages show with it: its industry up to the division (lineage() stops at the
#: section), its consultancy and who submitted it.
START_RELATED = ("industry__parent__parent__parent", "consultancy", "submitted_by")

FILL_REFUSED = "您无权填报项目启动。"
SUBMIT_REFUSED = "只有企业本身可以提交项目启动，咨询服务机构可以代为填报但不能提交。"
DELEGATION_REFUSED = "审核方式和咨询服务机构由企业本身选择，咨询服务机构不能修改。"
OUTSIDE = "该项目不在您的管辖或委托范围内。"


class StaleEditError(ValidationError):
    """The row changed since the user's page was loaded."""


STALE = "{what}已被他人修改（页面打开后有人保存过）。请刷新页面查看最新内容后再保存；您填写的内容仍保留在下方。"


# --- reading ----------------------------------------------------------------------------------


STEP_LABELS = {"basic": "基本信息", "products": "产品信息", "eia": "环境影响评价信息", "monitoring": "监测信息",
               "acceptance": "环保工程验收", "submit": "提交任务"}


@dataclass(frozen=True)
class Missing:
    """One thing still to fill before 提交: the step it belongs to and what to do."""

    step: str
    text: str

    @property
    def step_label(self) -> str:
        return STEP_LABELS[self.step]

ROW_NOUNS = {Product: "产品", EiaApproval: "环评批复", MonitoringReport: "监测报告",
             FacilityAcceptance: "环保工程验收记录", Disclosure: "信息公布记录", AuditContract: "审核合同"}


def files_by_owner(rows, slot="file") -> dict[int, list]:
    """The current files of many rows of one model in one query: {row pk: [Evidence]}."""
    rows = list(rows)
    if not rows:
        return {}
    owner_type = ContentType.objects.get_for_model(type(rows[0]))
    found: dict[int, list] = {}
    queryset = (Evidence.objects.current().filter(owner_type=owner_type, owner_id__in=[r.pk for r in rows], slot=slot)
                .select_related("stored").order_by("uploaded_at", "pk"))
    for item in queryset:
        found.setdefault(item.owner_id, []).append(item)
    return found


def output_labels(start: ProjectStart) -> dict[str, str]:
    """A product's three outputs by their years: {"output_1": "2018年实际产量", …}."""
    return {f"output_{n}": f"{year}年实际产量" for n, year in enumerate(start.output_years, 1)}


def row_gaps(row, files=None, labels=None) -> list[str]:
    """What this row still lacks: its required fields' labels, and its file."""
    labels = labels or {}
    gaps = [labels.get(name) or str(type(row)._meta.get_field(name).verbose_name) for name in row.required_fields
            if getattr(row, name) in (None, "")]
    if type(row).evidence_slots and files is not None and not files:
        gaps.append(type(row).evidence_slots["file"])
    return gaps


def missing(start: ProjectStart) -> list[Missing]:
    """Everything still missing before the start can be submitted, in step order."""
    items = []
    for name in BASIC_REQUIRED:
        if getattr(start, name) in (None, ""):
            items.append(Missing("basic", f"请填写{ProjectStart._meta.get_field(name).verbose_name}"))
    if start.audit_mode == ProjectStart.AuditMode.CONSULTANCY and start.consultancy_id is None:
        items.append(Missing("basic", "审核方式为委托咨询机构，请选择咨询服务机构"))
    if start.industry_id and start.industry.level != Industry.Level.CLASS:
        items.append(Missing("basic", "所属行业请选择到小类（四位代码）"))
    labels = output_labels(start)
    for step, model in STEP_ROWS.items():
        rows = list(model.objects.filter(project_id=start.pk).order_by("pk"))
        noun = ROW_NOUNS[model]
        if not rows:
            items.append(Missing(step, f"请至少添加一条{noun}"))
            continue
        files = files_by_owner(rows) if model.evidence_slots else {}
        for index, row in enumerate(rows, 1):
            gaps = row_gaps(row, files.get(row.pk, []) if model.evidence_slots else None, labels)
            if gaps:
                items.append(Missing(step, f"第 {index} 条{noun}（{row}）缺少：{'、'.join(gaps)}"))
    return items


# --- the start itself -------------------------------------------------------------------------


def _check_fill(actor):
    if not actor.has_perm(CHANGE_PERMISSION):
        raise PermissionDenied(FILL_REFUSED)


def _lock_start(actor, pk) -> ProjectStart:
    locked = (ProjectStart.objects.restrict(actor).select_for_update(of=("self",))
              .select_related("project__enterprise__region", "project__campaign").filter(pk=pk).first())
    if locked is None:
        raise PermissionDenied(OUTSIDE)
    return locked


def _check_draft(start: ProjectStart):
    if not start.is_draft:
        when = timezone.localtime(start.submitted_at)
        raise ValidationError(f"项目启动已于 {when:%Y-%m-%d %H:%M} 提交，不能再修改。")


def _check_version(row, expected_version, what):
    if expected_version is not None and row.version != expected_version:
        raise StaleEditError(STALE.format(what=what))


def _prefill(project: AuditProject) -> dict:
    """Basic information from the registry row, and the audit mode from a single active delegation."""
    enterprise = project.enterprise
    industry = enterprise.industry if enterprise.industry_id and enterprise.industry.level == Industry.Level.CLASS \
        else None
    data = dict(enterprise_name=enterprise.name, legal_representative=enterprise.legal_representative,
                town=enterprise.town, village=enterprise.village, address=enterprise.address, industry=industry,
                nature=enterprise.nature, employees=enterprise.employees, working_days=enterprise.working_days)
    delegations = list(enterprise.delegations.filter(is_active=True).select_related("consultancy")[:2])
    if len(delegations) == 1:
        data.update(audit_mode=ProjectStart.AuditMode.CONSULTANCY, consultancy=delegations[0].consultancy)
    return data


def start_for(actor, project: AuditProject) -> ProjectStart | None:
    """The project's start; created (prefilled from the registry) when a filler first opens it.

    Readers who may not fill (officials) get None until the enterprise has begun.
    """
    existing = ProjectStart.objects.filter(pk=project.pk).select_related(*START_RELATED).first()
    if existing is not None or not actor.has_perm(CHANGE_PERMISSION):
        return existing
    with transaction.atomic():
        locked = (AuditProject.objects.restrict(actor).select_for_update(of=("self",))
                  .select_related("enterprise__region", "enterprise__industry").filter(pk=project.pk).first())
        if locked is None:
            raise PermissionDenied(OUTSIDE)
        start = ProjectStart.objects.filter(pk=project.pk).first()  # a concurrent first visit
        if start is None:
            start = ProjectStart(project=locked, **_prefill(locked))
            try:
                with transaction.atomic():
                    start.save(force_insert=True)
            except IntegrityError:
                return ProjectStart.objects.get(pk=project.pk)
            record("project_start.create", actor=actor, obj=start, after=snapshot(start, BASIC_FIELDS),
                   summary=f"开始填报项目启动（项目编号 {locked.number}），基本信息取自企业名录")
    return ProjectStart.objects.select_related(*START_RELATED).get(pk=project.pk)


def _validate_basic(start: ProjectStart):
    errors = {}
    try:
        start.full_clean(exclude=["project", "status", "submitted_by", "industry", "consultancy"])
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if start.industry_id and start.industry.level != Industry.Level.CLASS:
        errors["industry"] = [ValidationError("所属行业请选择到小类（四位代码），如 1713 棉印染精加工。")]
    if start.consultancy_id and (start.consultancy.kind != Organization.Kind.CONSULTANCY
                                 or not start.consultancy.is_active):
        errors["consultancy"] = [ValidationError("请从列表中选择在册的咨询服务机构。")]
    if errors:
        raise ValidationError(errors)


def save_basic(actor, start: ProjectStart, *, expected_version: int | None = None, **data) -> ProjectStart:
    """步骤 1 基本信息 (保存 / 下一步): any of BASIC_FIELDS, blank allowed."""
    _check_fill(actor)
    unknown = set(data) - set(BASIC_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields {unknown}")
    with transaction.atomic():
        locked = _lock_start(actor, start.pk)
        _check_draft(locked)
        _check_version(locked, expected_version, "项目启动")
        if data.get("audit_mode", locked.audit_mode) != ProjectStart.AuditMode.CONSULTANCY:
            data["consultancy"] = None
        before = snapshot(locked, BASIC_FIELDS)
        old_consultancy = locked.consultancy
        for name, value in data.items():
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
        after = snapshot(locked, BASIC_FIELDS)
        if after == before:
            return locked
        if any(before[name] != after[name] for name in DELEGATION_FIELDS) and actor.role != Role.ENTERPRISE:
            raise PermissionDenied(DELEGATION_REFUSED)
        _validate_basic(locked)
        locked.version += 1
        locked.save()
        changed = [str(ProjectStart._meta.get_field(n).verbose_name) for n in BASIC_FIELDS if before[n] != after[n]]
        record("project_start.update", actor=actor, obj=locked, before=before, after=after,
               summary=f"修改项目启动基本信息：{'、'.join(changed)}")
        if old_consultancy != locked.consultancy:
            _switch_delegation(actor, locked, old_consultancy, locked.consultancy)
    return locked


def _switch_delegation(actor, start, old, new):
    """The enterprise named another consultancy (or none): its delegations follow."""
    enterprise = Enterprise.objects.select_for_update().get(pk=start.project.enterprise_id)
    if old is not None:
        still_named = (ProjectStart.objects.filter(project__enterprise=enterprise, consultancy=old)
                       .exclude(pk=start.pk).exists())
        if not still_named:
            for delegation in Delegation.objects.select_for_update().filter(enterprise=enterprise, consultancy=old,
                                                                             is_active=True):
                delegation.is_active = False
                delegation.save(update_fields=["is_active"])
                record("delegation.end", actor=actor, obj=delegation, scope=enterprise,
                       before={"is_active": True}, after={"is_active": False},
                       summary=f"{enterprise.name} 结束委托 {old.name}（项目启动改选审核方式）")
    if new is not None and not Delegation.objects.filter(enterprise=enterprise, consultancy=new,
                                                         is_active=True).exists():
        delegation = Delegation.objects.create(enterprise=enterprise, consultancy=new)
        record("delegation.create", actor=actor, obj=delegation, scope=enterprise,
               after=snapshot(delegation), summary=f"{enterprise.name} 委托 {new.name} 开展清洁生产审核")


def submit(actor, start: ProjectStart, *, expected_version: int | None = None) -> ProjectStart:
    """步骤 6 提交任务: the enterprise only, when `missing()` is empty."""
    if not actor.has_perm(SUBMIT_PERMISSION):
        raise PermissionDenied(SUBMIT_REFUSED)
    with transaction.atomic():
        locked = _lock_start(actor, start.pk)
        if not locked.is_draft:
            when = timezone.localtime(locked.submitted_at)
            raise ValidationError(f"项目启动已于 {when:%Y-%m-%d %H:%M} 提交，无需再次提交。")
        _check_version(locked, expected_version, "项目启动")
        items = missing(locked)
        if items:
            raise ValidationError([f"{STEP_LABELS[item.step]}：{item.text}" for item in items])
        if not can_proceed(locked.submit) or not has_transition_perm(locked.submit, actor):
            raise PermissionDenied(SUBMIT_REFUSED)
        before = snapshot(locked, ["status", "version"])
        locked.submit()
        locked.submitted_at = timezone.now()
        locked.submitted_by = actor
        locked.version += 1
        locked.save()
        record("project_start.submit", actor=actor, obj=locked, before=before,
               after=snapshot(locked, ["status", "version", "submitted_at", "submitted_by"]),
               summary=f"提交项目启动（项目编号 {locked.project.number}）")
    return locked


def reopen(actor, project, *, reason: str) -> ProjectStart | None:
    """Open a submitted start again (an intake review returned it with a problem in 项目启动);
    called by the reviews' services inside their transaction."""
    locked = (ProjectStart.objects.select_for_update(of=("self",)).select_related("project")
              .filter(project=project).first())
    if locked is None or locked.is_draft:
        return locked
    if not has_transition_perm(locked.reopen, actor):
        raise PermissionDenied("您无权退回项目启动。")
    before = snapshot(locked, ["status", "version", "submitted_at"])
    locked.reopen()
    locked.submitted_at, locked.submitted_by = None, None
    locked.version += 1
    locked.save()
    record("project_start.reopen", actor=actor, obj=locked, before=before, after=snapshot(locked, ["status", "version"]),
           summary=f"退回项目启动供修改：{reason}")
    return locked


# --- rows: products, EIA approvals, monitoring reports, acceptances; disclosures, contracts ----


def _lock_parent(actor, model, project_id):
    """Lock what the row hangs on: the start (which must be a draft) or the project."""
    if model.in_wizard:
        start = _lock_start(actor, project_id)
        _check_draft(start)
        return start
    project = AuditProject.objects.restrict(actor).select_for_update(of=("self",)).filter(pk=project_id).first()
    if project is None:
        raise PermissionDenied(OUTSIDE)
    return project


def _validate_row(row):
    """Values (not completeness) for a wizard row; a record (disclosure, contract) also needs
    its required fields, since it is not a draft."""
    model = type(row)
    errors = {}
    try:
        row.full_clean(exclude=["project", "consultancy"])
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if not model.in_wizard:
        for name in model.required_fields:
            if getattr(row, name) in (None, "") and name not in errors:
                errors[name] = [ValidationError(f"请填写{model._meta.get_field(name).verbose_name}。")]
    today = timezone.localdate()
    for name in ("approved_on", "report_date", "accepted_on", "disclosed_on", "signed_on", "original_sent_on"):
        value = getattr(row, name, None)
        if isinstance(value, date) and value > today:
            label = model._meta.get_field(name).verbose_name
            errors.setdefault(name, []).append(ValidationError(f"{label}不能晚于今天。"))
    if isinstance(row, Disclosure) and row.channel == Disclosure.Channel.WEBSITE and not row.link:
        errors.setdefault("link", []).append(ValidationError("在企业官方网站公布的，请填写网址链接。"))
    if isinstance(row, AuditContract):
        if row.consultancy_id and row.consultancy.kind != Organization.Kind.CONSULTANCY:
            errors.setdefault("consultancy", []).append(ValidationError("请从列表中选择咨询服务机构。"))
        if row.signed_on and row.original_sent_on and row.original_sent_on < row.signed_on:
            errors.setdefault("original_sent_on", []).append(ValidationError("原件报送日期不能早于签订日期。"))
    if errors:
        raise ValidationError(errors)


def _label(row) -> str:
    return f"{ROW_NOUNS[type(row)]}“{row}”"


def add_row(actor, model, project, *, upload=None, **data):
    """A new row of `model` for the project (with its file, if one was chosen)."""
    _check_fill(actor)
    with transaction.atomic():
        parent = _lock_parent(actor, model, project.pk)
        data = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
        if model.in_wizard and all(value in (None, "") for value in data.values()) and upload is None:
            raise ValidationError(f"请至少填写一项{ROW_NOUNS[model]}信息。")
        row = model(project_id=project.pk, **data)
        row.project = parent.project if isinstance(parent, ProjectStart) else parent
        _validate_row(row)
        row.save()
        record(f"project_start.{ACTION_NAMES[model]}.create", actor=actor, obj=parent,
               after={"id": row.pk, **snapshot(row, ROW_FIELDS[model])}, summary=f"新增{_label(row)}")
        if upload is not None:
            attach_file(actor, row, upload)
    return row


def _lock_row(actor, row):
    model = type(row)
    locked = model.objects.restrict(actor).select_for_update(of=("self",)).filter(pk=row.pk).first()
    if locked is None:
        raise PermissionDenied(OUTSIDE)
    return locked


def update_row(actor, row, *, expected_version: int | None = None, upload=None, **data):
    _check_fill(actor)
    model = type(row)
    with transaction.atomic():
        parent = _lock_parent(actor, model, row.project_id)
        locked = _lock_row(actor, row)
        _check_version(locked, expected_version, ROW_NOUNS[model])
        before = snapshot(locked, ROW_FIELDS[model])
        for name, value in data.items():
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
        after = snapshot(locked, ROW_FIELDS[model])
        if after != before:
            _validate_row(locked)
            locked.version += 1
            locked.save()
            record(f"project_start.{ACTION_NAMES[model]}.update", actor=actor, obj=parent,
                   before={"id": locked.pk, **before}, after={"id": locked.pk, **after},
                   summary=f"修改{_label(locked)}")
        if upload is not None:
            attach_file(actor, locked, upload)
    return locked


def delete_row(actor, row, *, expected_version: int | None = None) -> None:
    """Delete the row; its current files are withdrawn first (they stay in the history)."""
    _check_fill(actor)
    model = type(row)
    with transaction.atomic():
        parent = _lock_parent(actor, model, row.project_id)
        locked = _lock_row(actor, row)
        _check_version(locked, expected_version, ROW_NOUNS[model])
        for item in evidence.current(locked):
            evidence.withdraw(actor, item)
        before = {"id": locked.pk, **snapshot(locked, ROW_FIELDS[model])}
        label = _label(locked)
        locked.delete()
        record(f"project_start.{ACTION_NAMES[model]}.delete", actor=actor, obj=parent,
               before=before, summary=f"删除{label}")


def attach_file(actor, row, upload):
    """The row's file, through the evidence app (checked by content, hashed, versioned). Its
    refusals (wrong type, empty, duplicate…) are put on the form's `file` field."""
    date_field = DOCUMENT_DATE.get(type(row))
    try:
        return evidence.attach(actor, row, upload, slot="file",
                               document_date=getattr(row, date_field) if date_field else None)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise
        raise ValidationError({"file": exc.messages}) from exc
