"""Filling and submitting 评估申请 / 验收申请. Every change is audited.

The enterprise or its consultancy fills the draft (applications.change_application); only the
enterprise submits (applications.submit_application). Submitting checks what is missing, warns
when the due date has passed (the enterprise confirms it submits late), freezes the
application's contents and opens its review (qingshen.reviews). A new round (the next version)
may be drafted only after the review returned it or asked for 整改.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from qingshen.applications import contents, readiness
from qingshen.applications.models import Application
from qingshen.audit_trail.services import record, snapshot
from qingshen.projects.models import AuditProject
from qingshen.reviews import services as reviews

FORM_FIELDS = ["contact_person", "contact_phone", "audit_started_on", "audit_finished_on", "summary", "statement"]
STALE = "申请表已被修改（可能在另一个页面或由咨询机构修改），请刷新后重新填写。您填写的内容仍保留在下方。"


def _project(actor, project) -> AuditProject:
    try:
        return AuditProject.objects.restrict(actor).select_related("campaign", "enterprise__region").get(pk=project.pk)
    except AuditProject.DoesNotExist as exc:
        raise PermissionDenied("该项目不在您的管辖范围内。") from exc


def current_draft(project, stage) -> Application | None:
    return Application.objects.filter(project=project, stage=stage, status=Application.Status.DRAFT).first()


def save_draft(actor, project, stage, data: dict, *, version: int | None) -> Application:
    """Create or update the stage's draft with the application form's fields (any may be blank)."""
    if not actor.has_perm("applications.change_application"):
        raise PermissionDenied("您无权填写评估、验收申请。")
    project = _project(actor, project)
    errors = {}
    started, finished = data.get("audit_started_on"), data.get("audit_finished_on")
    if started and finished and finished < started:
        errors["audit_finished_on"] = "审核完成日期不能早于开始日期。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        AuditProject.objects.select_for_update().get(pk=project.pk)  # one draft per stage, even on a double click
        draft = current_draft(project, stage)
        if draft is None:
            if version not in (None, 0):
                raise ValidationError(STALE)
            allowed, why = reviews.may_start_round(project, stage)
            if not allowed:
                raise ValidationError(why)
            last = Application.objects.filter(project=project, stage=stage).aggregate(n=Max("number"))["n"] or 0
            draft = Application(project=project, stage=stage, number=last + 1)
            before = None
        else:
            if version is not None and version != draft.version:
                raise ValidationError(STALE)
            before = snapshot(draft, FORM_FIELDS)
        for name in FORM_FIELDS:
            if name in data:
                value = data[name]
                setattr(draft, name, "" if value is None and not name.endswith("_on") else value)
        draft.version += 1
        draft.save()
        record("application.save", actor=actor, obj=draft, before=before, after=snapshot(draft, FORM_FIELDS),
               summary=f"保存{draft.title}（第 {draft.number} 版）")
    return draft


def submit(actor, application: Application, *, version: int, confirm_late: bool = False) -> Application:
    if not actor.has_perm("applications.submit_application"):
        raise PermissionDenied("只有企业账号可以提交评估、验收申请（咨询机构可代为填写）。")
    _project(actor, application.project)
    with transaction.atomic():
        application = (Application.objects.select_for_update(of=("self",))
                       .select_related("project__campaign", "project__enterprise__region").get(pk=application.pk))
        if application.status != Application.Status.DRAFT:
            raise ValidationError(f"该{application.title}已于 {timezone.localtime(application.submitted_at):%Y-%m-%d %H:%M} "
                                  "提交，请勿重复提交。")
        if version != application.version:
            raise ValidationError(STALE)
        project = application.project
        gaps = readiness.missing(project, application.stage)
        if gaps:
            raise ValidationError(f"还不能提交{application.title}：" + "；".join(what for what, _ in gaps) + "。")
        required = {"contact_person": "请填写联系人。", "contact_phone": "请填写联系电话。",
                    "summary": "请填写审核工作概述。"}
        empty = {name: message for name, message in required.items() if not str(getattr(application, name)).strip()}
        if empty:
            raise ValidationError(empty)
        due = readiness.due_date(project, application.stage)
        today = timezone.localdate()
        late = (today - due).days if due and today > due else 0
        if late and not confirm_late:
            raise ValidationError({"confirm_late": f"已超过{application.title}截止日期（{due:%Y年%-m月%-d日}）{late} 天。"
                                                   "如仍要提交，请勾选“确认逾期提交”。"})
        before = snapshot(application, ["status"])
        application.contents = contents.freeze(project)
        application.status = Application.Status.SUBMITTED
        application.submitted_at = timezone.now()
        application.submitted_by = actor
        application.due_date = due
        application.late_days = late
        application.version += 1
        application.save()
        record("application.submit", actor=actor, obj=application, before=before,
               after=snapshot(application, ["status", "submitted_at", "due_date", "late_days"]),
               summary=f"提交{application.title}（第 {application.number} 版）" + (f"，逾期 {late} 天" if late else ""))
        reviews.open_review(application)
    return application
