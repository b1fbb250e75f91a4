"""Which dates apply where. Each level (province, city, county) may set a date for a step; the
date that applies in a place is the earliest set by that place or the levels above it. A
level may only tighten: `check_not_later()` refuses a date later than the one above."""

from dataclasses import dataclass
from datetime import date, timedelta

from qingshen.campaigns.models import Milestone, MilestoneKind


@dataclass(frozen=True)
class Deadline:
    kind: str
    title: str
    party: str
    party_label: str
    date: date | None
    relative: str  # "自企业名单公布后 10 日内" while the publication date is unknown
    region_name: str  # who set it
    document_number: str
    tightened: bool  # set below the province


def _levels(region) -> list[str]:
    return [code for code in (region.province_code, region.city_code, region.county_code) if code]


def _resolve(milestone: Milestone, publication: date | None) -> date | None:
    if milestone.due_date is not None:
        return milestone.due_date
    if publication is not None and milestone.days_after_publication is not None:
        return publication + timedelta(days=milestone.days_after_publication)
    return None


def deadlines(campaign, region, milestones=None) -> list[Deadline]:
    """The calendar that applies in `region` (an enterprise's county, or a department's region).

    Pass `milestones` (already fetched for the campaign) to avoid a query per call.
    """
    codes = set(_levels(region))
    if milestones is None:
        milestones = Milestone.objects.filter(campaign=campaign, region_id__in=codes).select_related("region")
    mine = [m for m in milestones if m.region_id in codes]
    publication = campaign.roster_published_on
    best: dict[str, Milestone] = {}
    extras = []
    for milestone in mine:
        if milestone.kind == MilestoneKind.EXTRA:
            extras.append(milestone)
            continue
        current = best.get(milestone.kind)
        if current is None or _earlier(milestone, current, publication):
            best[milestone.kind] = milestone
    order = {kind: index for index, kind in enumerate(MilestoneKind.values)}
    chosen = sorted(best.values(), key=lambda m: order[m.kind]) + sorted(extras, key=lambda m: m.due_date or date.max)
    return [_deadline(m, publication, region.province_code) for m in chosen]


def _earlier(candidate, current, publication) -> bool:
    a, b = _resolve(candidate, publication), _resolve(current, publication)
    if a is None or b is None:
        # An unresolved relative date yields to a fixed one only if nothing else is known.
        return a is not None and b is None
    return a < b


def _deadline(milestone, publication, province_code) -> Deadline:
    resolved = _resolve(milestone, publication)
    relative = ""
    if milestone.due_date is None and milestone.days_after_publication is not None:
        relative = f"自企业名单公布后 {milestone.days_after_publication} 日内"
    return Deadline(
        kind=milestone.kind, title=milestone.title, party=milestone.party,
        party_label=milestone.get_party_display(), date=resolved, relative=relative,
        region_name=milestone.region.name, document_number=milestone.document_number,
        tightened=milestone.region_id != province_code,
    )


def deadline_of(campaign, region, kind, milestones=None) -> Deadline | None:
    return next((d for d in deadlines(campaign, region, milestones) if d.kind == kind), None)


def limit_above(campaign, region, kind) -> Deadline | None:
    """The date the levels above `region` set for this step (what a new date may not exceed)."""
    above = [code for code in _levels(region) if code != region.code]
    milestones = Milestone.objects.filter(campaign=campaign, region_id__in=above, kind=kind).select_related("region")
    found = deadlines(campaign, region, list(milestones))
    return found[0] if found else None


def region_of(user):
    """The place whose calendar a user sees: its organisation's region (an enterprise's is
    where the enterprise is), or the province for an account without one (the administrator)."""
    from qingshen.regions.models import Region

    organization = getattr(user, "organization", None)
    if organization is not None and organization.region_id:
        return organization.region
    return Region.objects.filter(level=Region.Level.PROVINCE).order_by("code").first()
