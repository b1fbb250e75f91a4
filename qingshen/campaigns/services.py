"""Changes to campaigns and their calendars (each checked, transactional and audited)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from qingshen.audit_trail.services import record, snapshot
from qingshen.campaigns import calendar
from qingshen.campaigns.models import (
    PARTY_OF_KIND, Campaign, CampaignEnterprise, HandlingLevel, Milestone, MilestoneKind, Reason,
)
from qingshen.core.scoping import jurisdiction_of
from qingshen.regions.models import Region

CAMPAIGN_FIELDS = ["document_number", "batch", "name", "year", "code", "scope", "issue_date", "requirements",
                   "contact_person", "contact_phone", "status", "deadline", "letter_preamble"]

#: What the province may change, and until when (see `locked_fields`):
#: - the campaign's identity — 文号, 批次, 名称, 年度, 批次代码 (the prefix of every letter number),
#:   范围 and 审核目标 — only while it is 草稿: once the roster is published the cities verify a list
#:   under that name, and project numbers and letter numbers are made from its year and code;
#: - the notice's content — 通知要求, 发布日期, 截止日期, 联系人, 联系方式 and 告知书开头 — until the
#:   province issues the task notice, which copies them (and letters print the preamble).
IDENTITY_FIELDS = ["document_number", "batch", "name", "year", "code", "scope", "target_rules"]
NOTICE_FIELDS = ["requirements", "issue_date", "deadline", "contact_person", "contact_phone", "letter_preamble"]
EDITABLE_FIELDS = IDENTITY_FIELDS + NOTICE_FIELDS


class StaleEditError(ValidationError):
    """The campaign changed since the user's form was loaded."""


def create_campaign(actor, *, target_rules=(), **fields) -> Campaign:
    if not actor.has_perm("campaigns.add_campaign"):
        raise PermissionDenied("只有省级生态环境部门可以新建清审批次。")
    from qingshen.rosters.services import create_province_task

    with transaction.atomic():  # the campaign and the province's roster task exist together or not at all
        campaign = Campaign(issuing_organization=actor.organization, **fields)
        campaign.full_clean()
        campaign.save()
        campaign.target_rules.set(target_rules)
        record("campaign.create", actor=actor, obj=campaign, after=snapshot(campaign, CAMPAIGN_FIELDS),
               scope=actor.organization, summary=f"新建清审批次 {campaign.name}")
        create_province_task(actor, campaign)
    return campaign


def add_member(actor, campaign, enterprise, *, reasons, handling_level, status=CampaignEnterprise.Status.INCLUDED,
               proposed_by=None, seq=None) -> CampaignEnterprise:
    """Name an enterprise in the campaign (the province builds its roster; lower levels propose)."""
    unknown = set(reasons) - set(Reason.values)
    if not reasons or unknown:
        raise ValidationError("请至少选择一项纳入原因（双超、双有、综合能耗高、重点工作任务）。")
    with transaction.atomic():
        if CampaignEnterprise.objects.filter(campaign=campaign, enterprise=enterprise).exists():
            raise ValidationError(f"{enterprise.name}已在本批次名单中。")
        if seq is None:
            # max + 1, not count + 1: a removed member leaves a gap that must not be reused twice
            seq = (CampaignEnterprise.objects.filter(campaign=campaign).aggregate(n=Max("seq"))["n"] or 0) + 1
        member = CampaignEnterprise(campaign=campaign, enterprise=enterprise, reasons=list(reasons),
                                    handling_level=handling_level, status=status, proposed_by=proposed_by, seq=seq)
        member.save()
        record("campaign.add_member", actor=actor, obj=member,
               after=snapshot(member, ["campaign", "enterprise", "reasons", "handling_level", "status"]),
               summary=f"将 {enterprise.name} 列入 {campaign.name}")
    return member


def _own_region(actor) -> Region:
    jurisdiction = jurisdiction_of(actor)
    if jurisdiction is None or jurisdiction.level not in ("province", "city", "county") or not actor.is_official:
        raise PermissionDenied("只有生态环境部门可以设定时间节点。")
    return actor.organization.region


def set_milestone(actor, campaign, *, kind, due_date=None, days_after_publication=None, label="",
                  party="", document_number="") -> Milestone:
    """Set (or tighten) a date for the actor's own region. Never later than the level above."""
    if not actor.has_perm("campaigns.add_milestone"):
        raise PermissionDenied("您无权设定时间节点。")
    region = _own_region(actor)
    if kind == MilestoneKind.EXTRA and not label:
        raise ValidationError({"label": "请填写该时间节点的名称。"})
    if due_date is None and days_after_publication is None:
        raise ValidationError({"due_date": "请填写截止日期。"})
    if region.level != "province" and due_date is None:
        raise ValidationError({"due_date": "市、县设定的时间节点须为具体日期。"})
    if kind != MilestoneKind.EXTRA:
        above = calendar.limit_above(campaign, region, kind)
        if above is not None and above.date is not None and due_date > above.date:
            raise ValidationError({"due_date": (
                f"不能晚于上级规定的日期：{above.date:%Y年%m月%d日}（{above.region_name}"
                f"{'，' + above.document_number if above.document_number else ''}）。下级只能提前，不能推迟。")})
    with transaction.atomic():
        lookup = {"campaign": campaign, "region": region, "kind": kind}
        existing = None
        if kind != MilestoneKind.EXTRA:
            existing = Milestone.objects.select_for_update().filter(**lookup).first()
        before = snapshot(existing, ["due_date", "days_after_publication", "label"]) if existing else None
        milestone = existing or Milestone(**lookup)
        milestone.due_date = due_date
        milestone.days_after_publication = days_after_publication
        milestone.label = label
        milestone.party = party or PARTY_OF_KIND.get(kind, "")
        milestone.document_number = document_number
        milestone.full_clean(validate_constraints=False)
        milestone.save()
        record("campaign.set_milestone", actor=actor, obj=campaign, before=before,
               after=snapshot(milestone, ["kind", "label", "due_date", "days_after_publication", "region"]),
               scope=region, summary=f"{region.name}设定时间节点：{milestone.title}")
    return milestone


# --- editing a campaign ------------------------------------------------------------------------


def notice_issued(campaign) -> bool:
    return campaign.notice_tasks.exists()


def locked_fields(campaign) -> dict[str, str]:
    """{field: why it can no longer change} for the campaign as it stands now."""
    locked = {}
    if campaign.status != Campaign.Status.DRAFT:
        for name in IDENTITY_FIELDS:
            locked[name] = "名单已下发，不能再修改。"
    if campaign.pk and notice_issued(campaign):
        for name in NOTICE_FIELDS:
            locked[name] = "清审任务通知已发布，不能再修改。"
    return locked


def update_campaign(actor, campaign, *, expected_version=None, **fields) -> Campaign:
    """Change the fields given (names from EDITABLE_FIELDS); a field that is locked may only
    keep its value. Refuses an edit made from an older version of the page."""
    if not actor.has_perm("campaigns.change_campaign"):
        raise PermissionDenied("只有省级生态环境部门可以修改清审批次。")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"不能修改这些项目：{'、'.join(sorted(unknown))}。")
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if expected_version is not None and locked.version != expected_version:
            raise StaleEditError("该清审批次已被他人修改。请刷新页面查看最新内容后再保存；您填写的内容仍保留在下方。")
        frozen = locked_fields(locked)
        before = snapshot(locked, CAMPAIGN_FIELDS)
        before["target_rules"] = sorted(locked.target_rules.values_list("code", flat=True))
        rules = fields.pop("target_rules", None)
        errors = {}
        for name, value in fields.items():
            if getattr(locked, name) != value:
                if name in frozen:
                    errors[name] = f"{Campaign._meta.get_field(name).verbose_name}：{frozen[name]}"
                setattr(locked, name, value)
        new_rules = sorted(r.code for r in rules) if rules is not None else before["target_rules"]
        if new_rules != before["target_rules"] and "target_rules" in frozen:
            errors["target_rules"] = f"审核目标：{frozen['target_rules']}"
        if errors:
            raise ValidationError(errors)
        after = snapshot(locked, CAMPAIGN_FIELDS)
        after["target_rules"] = new_rules
        if after == before:
            return locked
        if Campaign.objects.exclude(pk=locked.pk).filter(code=locked.code).exists():
            raise ValidationError({"code": "该批次代码已被其他清审批次使用。"})
        locked.full_clean(validate_unique=False)
        locked.version += 1
        locked.save()
        if rules is not None:
            locked.target_rules.set(rules)
        changed = {k: v for k, v in after.items() if before.get(k) != v}
        record("campaign.update", actor=actor, obj=locked, before={k: before.get(k) for k in changed}, after=changed,
               scope=actor.organization, summary=f"修改清审批次 {locked.name}")
    return locked


# --- the province builds its roster while it is a draft ------------------------------------------


def province_roster_task(campaign):
    return campaign.roster_tasks.filter(level="province").first()


def roster_is_open(campaign, task=None) -> bool:
    """Whether the province may still add and remove enterprises (its roster task is 草稿)."""
    from qingshen.rosters.models import RosterTask

    task = task if task is not None else province_roster_task(campaign)
    return task is not None and task.status == RosterTask.Status.DRAFT


def _open_roster(actor, campaign):
    """Check the actor and lock the province's roster task, so that two requests adding the
    same enterprise (a double click) run one after the other."""
    from qingshen.rosters.models import RosterTask

    if not actor.has_perm("campaigns.change_campaign"):
        raise PermissionDenied("只有省级生态环境部门可以编制清审名单。")
    task = RosterTask.objects.select_for_update().filter(campaign=campaign, level="province").first()
    if not roster_is_open(campaign, task):
        raise ValidationError("名单已下发，不能再直接增删企业；下级可在名单核定中增补或标注为否。")
    return task


def add_members(actor, campaign, enterprises, *, reasons, handling_level) -> tuple[list, list]:
    """The province adds registry enterprises to its draft roster. Enterprises already on it
    are skipped, not added twice (a double submit adds nothing more). Returns (added members,
    enterprises skipped)."""
    from qingshen.enterprises.models import Enterprise

    if handling_level not in HandlingLevel.values:
        raise ValidationError({"handling_level": "请选择办理机构（省直管或市直管）。"})
    enterprises = list(enterprises)
    if not enterprises:
        raise ValidationError({"enterprises": "请选择要加入名单的企业。"})
    with transaction.atomic():
        _open_roster(actor, campaign)
        visible = set(Enterprise.objects.restrict(actor).filter(pk__in=[e.pk for e in enterprises])
                      .values_list("pk", flat=True))
        outside = [e.name for e in enterprises if e.pk not in visible]
        if outside:
            raise PermissionDenied(f"不在您的辖区内：{'、'.join(outside)}。")
        present = set(CampaignEnterprise.objects.filter(campaign=campaign, enterprise__in=enterprises)
                      .values_list("enterprise_id", flat=True))
        added, skipped = [], []
        for enterprise in enterprises:
            if enterprise.pk in present:
                skipped.append(enterprise)
                continue
            try:
                with transaction.atomic():
                    added.append(add_member(actor, campaign, enterprise, reasons=reasons,
                                            handling_level=handling_level))
            except IntegrityError:  # added meanwhile by a request the lock did not hold off
                skipped.append(enterprise)
            present.add(enterprise.pk)
    return added, skipped


def remove_member(actor, member) -> None:
    """Take a wrongly added enterprise off the draft roster (nothing refers to it yet)."""
    with transaction.atomic():
        member = (CampaignEnterprise.objects.select_for_update(of=("self",))
                  .select_related("campaign", "enterprise").get(pk=member.pk))
        _open_roster(actor, member.campaign)
        before = snapshot(member, ["campaign", "enterprise", "reasons", "handling_level", "status", "seq"])
        record("campaign.remove_member", actor=actor, obj=member, before=before,
               summary=f"将 {member.enterprise.name} 移出 {member.campaign.name}")
        member.delete()
