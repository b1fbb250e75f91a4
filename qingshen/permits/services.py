"""Every act of the permit linkage: who may act (permission, jurisdiction through `restrict`, the
receiving level for a return), the row lock (a second click or a stale page finds the state
moved on and is refused in Chinese), the change and its audit event, in one transaction.

- `record_change`: the permit authority records (version 1) or corrects (version + 1) the change
  of one roster line's permit; the permit number is written back to the enterprise registry.
- `save_draft` / `submit_report`: its report of the region's changes for a campaign; submitting
  freezes the lines.
- `return_report`: the receiving level sends it back with a reason; the authority's next save
  drafts version + 1, the earlier versions stay as they were.
"""

import hashlib
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from qingshen.audit_trail.services import record
from qingshen.campaigns import calendar
from qingshen.campaigns.models import CampaignEnterprise, MilestoneKind
from qingshen.core.roles import Role
from qingshen.enterprises.models import Enterprise
from qingshen.files.validation import STAMPED_COPY
from qingshen.organizations.models import Organization
from qingshen.permits import lines as permit_lines
from qingshen.permits.models import (
    LISTED_CATEGORIES,
    PermitChange,
    PermitChangeVersion,
    PermitReport,
)

CHANGE = "permits.change_permitchange"
SUBMIT = "permits.submit_permitreport"
RETURN = "permits.return_permitreport"
CHANGE_FIELDS = ["changed_on", "permit_number", "requirement", "file_id", "note", "version"]
STALE_CHANGE = "该企业的许可证变更情况已被他人登记或更正，请刷新页面核对后再提交。您填写的内容仍保留在下方。"
STALE_REPORT = "该报送已有更新（已报送、已退回或已起草新版本），请刷新页面后再操作。"
STALE_LINES = "打开页面后名单企业的许可证变更情况已有更新，请核对刷新后的明细再报送。"


# --- the requirement written into the permit ------------------------------------------------------


def default_requirement(campaign, region, milestones=None) -> str:
    """“白洋淀流域涉水企业2022年6月30日前通过清洁生产审核验收”: the campaign's scope and the
    完成验收 date that applies where the enterprise is."""
    found = calendar.deadline_of(campaign, region, MilestoneKind.ACCEPTANCE_DONE, milestones=milestones)
    if found is None or found.date is None:
        return f"{campaign.scope}按期通过清洁生产审核验收"
    day = found.date
    return f"{campaign.scope}{day.year}年{day.month}月{day.day}日前通过清洁生产审核验收"


# --- recording a change ---------------------------------------------------------------------------


def _lock_member(actor, member) -> CampaignEnterprise:
    locked = (CampaignEnterprise.objects.restrict(actor).select_for_update(of=("self",)).filter(pk=member.pk)
              .select_related("enterprise__region", "campaign").first())
    if locked is None:
        raise PermissionDenied("该企业不在您的辖区内，不能登记其排污许可证变更。")
    if locked.status != CampaignEnterprise.Status.INCLUDED:
        raise ValidationError(f"“{locked.enterprise.name}”未纳入本批次清审名单，无需登记许可证变更。")
    if locked.enterprise.permit_category not in LISTED_CATEGORIES:
        raise ValidationError(f"“{locked.enterprise.name}”不属于排污许可重点管理或简化管理，无需登记许可证变更。")
    return locked


def record_change(actor, member, *, changed_on, permit_number: str, requirement: str = "", upload=None,
                  note: str = "", expected_version: int = 0) -> PermitChange:
    """Record (or correct) the change of a roster line's permit. `expected_version` is the
    version the page showed (0: none yet); a different one means someone else acted meanwhile.
    A correction without a new file keeps the current one."""
    from qingshen.files.services import store_upload

    if not actor.has_perm(CHANGE):
        raise PermissionDenied("只有排污许可发证部门可以登记许可证变更情况。")
    permit_number = (permit_number or "").strip()
    errors = {}
    if not changed_on:
        errors["changed_on"] = "请填写变更日期。"
    elif changed_on > timezone.localdate():
        errors["changed_on"] = f"变更日期 {changed_on:%Y-%m-%d} 晚于今天，请填写许可证实际变更的日期。"
    if not permit_number:
        errors["permit_number"] = "请填写排污许可证编号。"
    elif len(permit_number) > 40:
        errors["permit_number"] = "排污许可证编号不能超过 40 个字符。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        member = _lock_member(actor, member)
        enterprise = member.enterprise
        change = PermitChange.objects.select_for_update().filter(member=member).first()
        current = change.version if change else 0
        if expected_version != current:
            raise ValidationError(STALE_CHANGE)
        if upload is None and change is None:
            raise ValidationError({"file": f"请上传“{enterprise.name}”变更后的排污许可证页面（PDF、JPG 或 PNG）。"})
        stored = store_upload(actor, upload, allowed=STAMPED_COPY) if upload is not None else change.file
        requirement = (requirement or "").strip() or default_requirement(member.campaign, enterprise.region)
        before = _change_values(change) if change else None
        if change is None:
            change = PermitChange(member=member, version=0)
        change.changed_on, change.permit_number, change.requirement = changed_on, permit_number, requirement
        change.file, change.note = stored, (note or "").strip()
        change.recorded_by, change.recorded_at = actor, timezone.now()
        change.version += 1
        change.save()
        PermitChangeVersion.objects.create(
            change=change, version=change.version, changed_on=changed_on, permit_number=permit_number,
            requirement=requirement, file=stored, note=change.note, recorded_by=actor, recorded_at=change.recorded_at)
        record("permit.change" if before is None else "permit.correct", actor=actor, obj=change, before=before,
               after=_change_values(change),
               summary=f"{'登记' if before is None else '更正'}“{enterprise.name}”排污许可证变更（{permit_number}）")
        _write_back(actor, enterprise, permit_number)
    return change


def _change_values(change) -> dict:
    return {"changed_on": change.changed_on, "permit_number": change.permit_number,
            "requirement": change.requirement, "file": change.file_id, "file_sha256": change.file.sha256,
            "note": change.note, "version": change.version}


def _write_back(actor, enterprise, permit_number):
    """The registry's 排污许可证编号 follows the changed permit (recorded before/after)."""
    locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if locked.permit_number == permit_number:
        return
    before = locked.permit_number
    locked.permit_number = permit_number
    locked.version += 1
    locked.save(update_fields=["permit_number", "version", "updated_at"])
    record("enterprise.permit_number", actor=actor, obj=locked, before={"permit_number": before},
           after={"permit_number": permit_number}, summary=f"按许可证变更更新“{locked.name}”排污许可证编号")


# --- the report -----------------------------------------------------------------------------------


def receiving_role(organization) -> str | None:
    """Who receives a permit authority's report: the city bureau for a county-level authority,
    the province for a city-level one; nobody above the province."""
    return {"county": Role.CITY, "city": Role.PROVINCE}.get(organization.region.level)


def receiver_label(organization) -> str:
    return {"county": "市生态环境局", "city": "省生态环境厅"}.get(organization.region.level, "")


def latest(campaign, organization) -> PermitReport | None:
    return (PermitReport.objects.filter(campaign=campaign, organization=organization)
            .select_related("organization__region", "campaign").order_by("-version").first())


def digest(lines) -> str:
    """A fingerprint of the lines a page showed, so a submission from a stale page is caught."""
    data = json.dumps([line.snapshot() for line in lines], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(data.encode()).hexdigest()[:16]


def _own_organization(actor) -> Organization:
    if not actor.has_perm(SUBMIT):
        raise PermissionDenied("只有排污许可发证部门可以报送排污许可证变更情况。")
    organization = actor.organization
    if organization is None or organization.kind != Organization.Kind.PERMIT_AUTHORITY:
        raise PermissionDenied("只有排污许可发证部门可以报送排污许可证变更情况。")
    if receiving_role(organization) is None:
        raise ValidationError("省级排污许可发证部门没有上级报送对象，无需报送。")
    return organization


def _lock_latest(campaign, organization):
    return (PermitReport.objects.select_for_update().filter(campaign=campaign, organization=organization)
            .order_by("-version").first())


def save_draft(actor, campaign, *, note: str, expected_version: int = 0) -> PermitReport:
    """Save the note of the current draft; with none (first time, or the last version was
    returned), draft the next version. `expected_version` is the version the page showed."""
    organization = _own_organization(actor)
    with transaction.atomic():
        report = _lock_latest(campaign, organization)
        if (report.version if report else 0) != expected_version:
            raise ValidationError(STALE_REPORT)
        if report is not None and report.status == PermitReport.Status.SUBMITTED:
            raise ValidationError(f"第 {report.version} 版已于 {timezone.localtime(report.submitted_at):%Y-%m-%d %H:%M} "
                                  "报送，不能再修改；如需修改，请待上级退回。")
        if report is None or report.status == PermitReport.Status.RETURNED:
            before = None
            report = PermitReport(campaign=campaign, organization=organization,
                                  version=(report.version + 1) if report else 1)
        else:
            before = {"note": report.note}
        report.note = (note or "").strip()
        report.save()
        record("permit_report.draft", actor=actor, obj=report, before=before,
               after={"note": report.note, "version": report.version},
               summary=f"保存排污许可证变更情况草稿（第 {report.version} 版）")
    return report


def submit_report(actor, campaign, *, note: str, expected_version: int, lines_digest: str) -> PermitReport:
    """Save the note and submit the draft, freezing its lines. Refused when already submitted
    (a second click), when the page was stale, or without a reason for unchanged lines."""
    with transaction.atomic():  # a refusal also undoes the draft saved on the way
        report = save_draft(actor, campaign, note=note, expected_version=expected_version)
        organization = report.organization
        report = PermitReport.objects.select_for_update().select_related("organization__region").get(pk=report.pk)
        if report.status != PermitReport.Status.DRAFT:
            raise ValidationError(STALE_REPORT)
        lines, counts = permit_lines.for_organization(organization, campaign)
        if lines_digest != digest(lines):
            raise ValidationError(STALE_LINES)
        if counts[permit_lines.UNCHANGED] and not report.note:
            raise ValidationError({"note": f"尚有 {counts[permit_lines.UNCHANGED]} 家企业未变更排污许可证，"
                                           "请说明未变更的原因。"})
        report.lines = [line.snapshot() for line in lines]
        report.counts = counts
        report.status = PermitReport.Status.SUBMITTED
        report.submitted_at, report.submitted_by = timezone.now(), actor
        report.save()
        record("permit_report.submit", actor=actor, obj=report, before={"status": PermitReport.Status.DRAFT},
               after={"status": report.status, "version": report.version, "counts": counts},
               summary=f"报送排污许可证变更情况（第 {report.version} 版，{counts['changed']}/{counts['total']} 家已变更）")
    return report


def return_report(actor, report, *, reason: str, expected_version: int | None = None) -> PermitReport:
    """The receiving level sends a submitted report back with a reason."""
    if not actor.has_perm(RETURN):
        raise PermissionDenied("您无权退回排污许可证变更情况。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写退回原因。"})
    with transaction.atomic():
        locked = (PermitReport.objects.restrict(actor).select_for_update(of=("self",)).filter(pk=report.pk)
                  .select_related("organization__region").first())
        if locked is None:
            raise PermissionDenied("该报送不在您的辖区内。")
        organization = locked.organization
        mine = actor.organization
        region = mine.region if mine is not None else None
        expected_role = receiving_role(organization)
        if (actor.role != expected_role or region is None
                or (expected_role == Role.CITY and region.code != organization.region.city_code)):
            raise PermissionDenied(f"{organization.name}的报送由{receiver_label(organization)}接收，您不能退回。")
        if expected_version is not None and expected_version != locked.version:
            raise ValidationError(STALE_REPORT)
        newer = PermitReport.objects.filter(campaign_id=locked.campaign_id, organization=organization,
                                            version__gt=locked.version).exists()
        if locked.status != PermitReport.Status.SUBMITTED or newer:
            raise ValidationError(f"第 {locked.version} 版当前为“{locked.get_status_display()}”，不能退回。")
        locked.status = PermitReport.Status.RETURNED
        locked.returned_at, locked.returned_by, locked.return_reason = timezone.now(), actor, reason
        locked.save()
        record("permit_report.return", actor=actor, obj=locked, before={"status": PermitReport.Status.SUBMITTED},
               after={"status": locked.status, "return_reason": reason},
               summary=f"退回{organization.name}排污许可证变更情况（第 {locked.version} 版）")
    return locked
