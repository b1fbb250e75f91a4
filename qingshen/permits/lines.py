"""The roster lines a permit authority must handle, with their change and due state.

A line is listed when it is included in the campaign and its enterprise is 重点管理 or 简化管理;
登记管理 and blank categories are only counted (the page says how many), so nobody mistakes a
short list for a complete one. The due date is 审核要求列入排污许可证 (PERMIT_UPDATED) as it
applies where the enterprise is; the step counts as done on the permit's change date (a
correction may fix that date, and the current value is what the permit says).

Two queries whatever the number of lines: the lines with their enterprise, place and change,
and the campaign's milestones (plus one count of the unlisted lines).
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from qingshen.campaigns import calendar
from qingshen.campaigns.models import CampaignEnterprise, Milestone, MilestoneKind
from qingshen.campaigns.reporting import STATES, state_of
from qingshen.permits.models import LISTED_CATEGORIES

CHANGED, UNCHANGED = "changed", "unchanged"
#: The list's state filter: changed or not, then the due state.
FILTERS = {CHANGED: "已变更", UNCHANGED: "未变更", **STATES}


@dataclass
class Line:
    member: CampaignEnterprise
    change: object  # PermitChange or None
    due: date | None
    today: date

    @property
    def enterprise(self):
        return self.member.enterprise

    @property
    def changed(self) -> bool:
        return self.change is not None

    @property
    def state(self) -> str:
        return state_of(self.due, self.change.changed_on if self.change else None, self.today)

    @property
    def state_label(self) -> str:
        return STATES[self.state]

    def matches(self, wanted: str) -> bool:
        if wanted == CHANGED:
            return self.changed
        if wanted == UNCHANGED:
            return not self.changed
        return self.state == wanted

    def snapshot(self) -> dict:
        """The line as a report freezes it."""
        enterprise, change = self.enterprise, self.change
        return {
            "member": self.member.pk, "enterprise": enterprise.name, "uscc": enterprise.uscc or "",
            "region": enterprise.region.name, "category": enterprise.get_permit_category_display(),
            "changed": self.changed, "changed_on": change.changed_on.isoformat() if change else "",
            "permit_number": change.permit_number if change else "",
            "due": self.due.isoformat() if self.due else "", "state": self.state_label,
        }


def in_region(queryset, region):
    """`queryset` (scoped rows) narrowed to a department's region."""
    if region.level == "province":
        return queryset
    return queryset.filter(**{f"{region.level}_code": region.code})


def roster(members, campaign):
    """(listed lines queryset, count of the unlisted ones) among `members` (roster lines already
    scoped to a user or region)."""
    included = members.filter(campaign=campaign, status=CampaignEnterprise.Status.INCLUDED)
    listed = included.filter(enterprise__permit_category__in=LISTED_CATEGORIES)
    return listed, included.exclude(enterprise__permit_category__in=LISTED_CATEGORIES).count()


def build(campaign, listed, milestones=None) -> list[Line]:
    queryset = listed.select_related("enterprise__region", "permit_change__file").order_by(
        "county_code", "seq", "pk")
    if milestones is None:
        milestones = list(Milestone.objects.filter(campaign=campaign).select_related("region"))
    today = timezone.localdate()
    dues = {}
    out = []
    for member in queryset:
        region = member.enterprise.region
        if region.pk not in dues:
            found = calendar.deadline_of(campaign, region, MilestoneKind.PERMIT_UPDATED, milestones=milestones)
            dues[region.pk] = found.date if found else None
        out.append(Line(member, getattr(member, "permit_change", None), dues[region.pk], today))
    return out


def counts(lines, unlisted: int) -> dict:
    out = {"total": len(lines), "unlisted": unlisted, CHANGED: 0, UNCHANGED: 0, **dict.fromkeys(STATES, 0)}
    for line in lines:
        out[CHANGED if line.changed else UNCHANGED] += 1
        out[line.state] += 1
    return out


def for_user(user, campaign):
    """(lines, counts) of the roster lines the user may see."""
    listed, unlisted = roster(CampaignEnterprise.objects.restrict(user), campaign)
    lines = build(campaign, listed)
    return lines, counts(lines, unlisted)


def for_organization(organization, campaign, milestones=None):
    """(lines, counts) of a permit authority's region (what its report covers)."""
    listed, unlisted = roster(in_region(CampaignEnterprise.objects.all(), organization.region), campaign)
    lines = build(campaign, listed, milestones)
    return lines, counts(lines, unlisted)
