"""Every change to a summary report: save the draft, submit (报送, or 定稿 for the province),
return (退回) by the receiving level. Each runs in a transaction, locks what it changes,
re-checks permission and state there, and writes the audit trail with before and after.

Who writes: the department of a county, a city or the province (`author_of(user)`), each for
itself. Who receives: the city bureau for a county branch, the province for a city bureau
(a 定州市-like city without counties included); the province's own report is not sent
further. A page carries the draft's `stamp` (its id and last change); a save or submit from
a page older than the row is refused, so two people of one office cannot overwrite each
other, and a second click on 报送 finds the report already submitted.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from qingshen.audit_trail.services import record, snapshot
from qingshen.core.roles import OFFICIAL_ROLES
from qingshen.files.services import store
from qingshen.organizations.models import Organization
from qingshen.summaries import documents
from qingshen.summaries import figures as figures_module
from qingshen.summaries.models import TEXT_FIELDS, Kind, SummaryReport

CHANGE = "summaries.change_summaryreport"
VIEW = "summaries.view_summaryreport"
RETURN = "summaries.return_summaryreport"
TEXT_NAMES = [name for name, _ in TEXT_FIELDS]
STALE = "页面已过期：该{kind}已被他人修改或已报送，请刷新页面后再操作（您填写的内容仍在表单中）。"


def author_of(user) -> Organization | None:
    """The department a user writes summaries for, or None (not an official of a department)."""
    organization = getattr(user, "organization", None)
    if (organization is None or user.role not in OFFICIAL_ROLES or not organization.is_department
            or organization.region_id is None):
        return None
    return organization


def receiver_code(organization) -> str:
    """The region code of the level a department reports to ("" for the province)."""
    region = organization.region
    if region.level == "county":
        return region.city_code
    if region.level == "city":
        return region.province_code
    return ""


def can_write(user) -> bool:
    return user.has_perm(CHANGE) and author_of(user) is not None


def can_return(user, report) -> bool:
    organization = author_of(user)
    return (user.has_perm(RETURN) and organization is not None and report.status == SummaryReport.Status.SUBMITTED
            and receiver_code(report.organization) == organization.region_id)


def stamp(report) -> str:
    """What a page remembers of the draft it shows ("" when there is none yet)."""
    if report is None or report.pk is None:
        return ""
    return f"{report.pk}@{report.updated_at.isoformat()}"


def latest(organization, campaign, kind, *, lock=False):
    queryset = SummaryReport.objects.filter(campaign=campaign, organization=organization, kind=kind)
    if lock:
        queryset = queryset.select_for_update()
    return queryset.order_by("-version").first()


def _kind_label(kind) -> str:
    return Kind(kind).label


def _check_kind(kind):
    if kind not in Kind.values:
        raise ValidationError(f"未知的报告类型“{kind}”。")


def save_draft(actor, campaign, kind, *, stamp_seen: str, **texts) -> SummaryReport:
    """Save the text of the actor's department's draft (the first save creates version 1)."""
    _check_kind(kind)
    organization = author_of(actor)
    if organization is None or not actor.has_perm(CHANGE):
        raise PermissionDenied("只有生态环境部门可以编写工作总结。")
    unknown = set(texts) - set(TEXT_NAMES)
    if unknown:
        raise ValueError(f"unknown fields: {unknown}")
    with transaction.atomic():
        Organization.objects.select_for_update().get(pk=organization.pk)  # serialises the first save
        report = latest(organization, campaign, kind, lock=True)
        if report is not None and report.status == SummaryReport.Status.SUBMITTED:
            raise ValidationError(f"该{_kind_label(kind)}（第 {report.version} 版）已报送，不能再修改；"
                                  "如需修改，请上级退回。" if receiver_code(organization)
                                  else f"该{_kind_label(kind)}（第 {report.version} 版）已定稿，不能再修改。")
        if report is not None and report.status == SummaryReport.Status.DRAFT:
            if stamp_seen != stamp(report):
                raise ValidationError(STALE.format(kind=_kind_label(kind)))
            before = snapshot(report, TEXT_NAMES)
        else:
            if stamp_seen:
                raise ValidationError(STALE.format(kind=_kind_label(kind)))
            version = report.version + 1 if report is not None else 1
            report = SummaryReport(campaign=campaign, organization=organization, kind=kind, version=version)
            before = None
        for name, value in texts.items():
            setattr(report, name, value.strip())
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            raise ValidationError(STALE.format(kind=_kind_label(kind))) from None
        record("summaries.save", actor=actor, obj=report, before=before, after=snapshot(report, TEXT_NAMES),
               summary=f"保存{report}")
    return report


def missing_texts(report) -> dict:
    return {name: f"请填写“{heading}”后再报送。" for name, heading in TEXT_FIELDS if not getattr(report, name).strip()}


def submit(actor, report, *, stamp_seen: str) -> SummaryReport:
    """报送 (the province: 定稿): freeze the figures, store the PDF and .xlsx of this version."""
    organization = author_of(actor)
    if organization is None or not actor.has_perm(CHANGE):
        raise PermissionDenied("只有生态环境部门可以报送工作总结。")
    with transaction.atomic():
        report = SummaryReport.objects.select_for_update().select_related(
            "organization__region", "campaign").get(pk=report.pk)
        if report.organization_id != organization.pk:
            raise PermissionDenied(f"只能报送本单位的{report.get_kind_display()}。")
        if report.status != SummaryReport.Status.DRAFT:
            raise ValidationError(f"{report}已{report.get_status_display()}，不能重复报送。")
        if stamp_seen != stamp(report):
            raise ValidationError(STALE.format(kind=report.get_kind_display()))
        missing = missing_texts(report)
        if missing:
            raise ValidationError(missing)
        before = snapshot(report, ["status", "submitted_at"])
        report.figures = figures_module.compute(report.campaign, organization.region, report.kind)
        report.status = SummaryReport.Status.SUBMITTED
        report.submitted_at = timezone.now()
        report.submitted_by = actor
        report.pdf_file = store(actor, documents.filename(report, "pdf", draft=False),
                                documents.pdf(report, report.figures, draft=False), allowed=("pdf",))
        report.xlsx_file = store(actor, documents.filename(report, "xlsx", draft=False),
                                 documents.xlsx(report, report.figures, draft=False), allowed=("xlsx",))
        report.save()
        verb = "报送" if receiver_code(organization) else "定稿"
        record("summaries.submit", actor=actor, obj=report, before=before,
               after=snapshot(report, ["status", "submitted_at", "pdf_file", "xlsx_file"]), summary=f"{verb}{report}")
    return report


def return_report(actor, report, *, reason: str) -> SummaryReport:
    """退回 by the receiving level, with a reason; the next version starts as a draft with the
    same text. Returns the new draft."""
    reason = (reason or "").strip()
    if not actor.has_perm(RETURN) or author_of(actor) is None:
        raise PermissionDenied("您无权退回工作总结。")
    with transaction.atomic():
        report = SummaryReport.objects.select_for_update().select_related("organization__region").get(pk=report.pk)
        if report.status != SummaryReport.Status.SUBMITTED:
            raise ValidationError(f"{report}当前为“{report.get_status_display()}”，只能退回已报送的版本。")
        if not can_return(actor, report):
            raise PermissionDenied(f"只有{report.organization.name}的上一级生态环境部门可以退回其{report.get_kind_display()}。")
        if not reason:
            raise ValidationError({"reason": "请填写退回原因。"})
        before = snapshot(report, ["status", "return_reason"])
        report.status = SummaryReport.Status.RETURNED
        report.returned_at = timezone.now()
        report.returned_by = actor
        report.return_reason = reason
        report.save()
        following = SummaryReport(campaign_id=report.campaign_id, organization=report.organization, kind=report.kind,
                                  version=report.version + 1,
                                  **{name: getattr(report, name) for name in TEXT_NAMES})
        following.save()
        record("summaries.return", actor=actor, obj=report, before=before,
               after=snapshot(report, ["status", "return_reason", "returned_at"]),
               summary=f"退回{report}：{reason}")
    return following
