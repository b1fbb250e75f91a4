"""Changes to campaigns and their calendars (each checked, transactional and audited)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from qingshen.audit_trail.services import record, snapshot
from qingshen.campaigns import calendar
from qingshen.campaigns.models import PARTY_OF_KIND, Campaign, CampaignEnterprise, Milestone, MilestoneKind, Reason
from qingshen.core.scoping import jurisdiction_of
from qingshen.regions.models import Region

CAMPAIGN_FIELDS = ["document_number", "batch", "name", "year", "code", "scope", "issue_date", "requirements",
                   "contact_person", "contact_phone", "status"]


def create_campaign(actor, *, target_rules=(), **fields) -> Campaign:
    if not actor.has_perm("campaigns.add_campaign"):
        raise PermissionDenied("只有省级生态环境部门可以新建清审批次。")
    with transaction.atomic():
        campaign = Campaign(issuing_organization=actor.organization, **fields)
        campaign.full_clean()
        campaign.save()
        campaign.target_rules.set(target_rules)
        record("campaign.create", actor=actor, obj=campaign, after=snapshot(campaign, CAMPAIGN_FIELDS),
               scope=actor.organization, summary=f"新建清审批次 {campaign.name}")
    from qingshen.rosters.services import create_province_task

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
            seq = CampaignEnterprise.objects.filter(campaign=campaign).count() + 1
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
