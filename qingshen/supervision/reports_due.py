"""The departments' own due items (报送事项): the reports each sends up for a campaign — a
county branch's and a city bureau's 评估情况汇总 and 工作总结 (`qingshen.summaries`), a permit
authority's 排污许可证变更情况 (`qingshen.permits`) — with the date it was due (set by the levels
above the sender, `campaigns.reporting.report_due`), its first submission and its state.

Who must report is read from the roster: the departments of every county and city with
enterprises in the campaign (纳入), and the permit authorities of those places where some of
those enterprises hold a 重点管理 or 简化管理 permit. A permit authority also has the step
审核要求列入排污许可证 itself: done the day the last of its place's permits was changed, due by the
date that applies in its place (`progress` says how many of how many are changed). The province's department reports to no
one. A user sees the obligations of the organisations in its jurisdiction (officials: their
region's; a permit authority: its own). The number of queries does not depend on the number
of enterprises or departments.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Q

from qingshen.campaigns.models import CampaignEnterprise, Milestone, MilestoneKind
from qingshen.campaigns.reporting import DatedStep
from qingshen.core.roles import Role
from qingshen.enterprises.choices import PermitCategory
from qingshen.organizations.models import Organization

PERMIT_KINDS = (PermitCategory.KEY, PermitCategory.SIMPLIFIED)


@dataclass
class ReportItem(DatedStep):
    organization: Organization
    kind: str  # a MilestoneKind
    due: date | None
    done: date | None
    today: date
    report: object | None  # the latest version, if any was written
    url: str  # where the sender writes it / the receiver reads it
    progress: str = ""  # 审核要求列入排污许可证: "已变更 m / n 家"

    @property
    def title(self) -> str:
        return MilestoneKind(self.kind).label



def _places(campaign, permits_only=False) -> tuple[set, set]:
    """(county codes, city codes) with enterprises in the campaign."""
    lines = CampaignEnterprise.objects.filter(campaign=campaign, status=CampaignEnterprise.Status.INCLUDED)
    if permits_only:
        lines = lines.filter(enterprise__permit_category__in=PERMIT_KINDS)
    counties, cities = set(), set()
    for county, city in lines.order_by().values_list("county_code", "city_code").distinct():
        if county:
            counties.add(county)
        if city:
            cities.add(city)
    return counties, cities


def obliged(user, campaign):
    """(departments, permit authorities) in the user's jurisdiction that report for the campaign
    (all of them for `user=None`: the daily job)."""
    counties, cities = _places(campaign)
    permit_counties, permit_cities = _places(campaign, permits_only=True)
    visible = Organization.objects.all() if user is None else Organization.objects.restrict(user)
    visible = visible.filter(is_active=True).select_related("region")
    departments = visible.filter(
        Q(kind=Organization.Kind.COUNTY_BRANCH, region_id__in=counties)
        | Q(kind=Organization.Kind.CITY_BUREAU, region_id__in=cities)).order_by("region_id")
    authorities = visible.filter(kind=Organization.Kind.PERMIT_AUTHORITY,
                                 region_id__in=permit_counties | permit_cities).order_by("region_id")
    if user is not None and user.role == Role.PERMIT_AUTHORITY:
        return [], list(authorities)  # a permit authority follows the permits, not the departments' reports
    return list(departments), list(authorities)


def _permit_changes(campaign) -> dict[str, tuple[int, int, date | None]]:
    """{county or city code: (lines that need the change, lines changed, last change)} — one
    grouped query; a city's figures include its counties'."""
    lines = CampaignEnterprise.objects.filter(campaign=campaign, status=CampaignEnterprise.Status.INCLUDED,
                                              enterprise__permit_category__in=PERMIT_KINDS)
    out: dict[str, list] = {}
    for row in (lines.order_by().values("county_code", "city_code")
                .annotate(total=Count("pk"), changed=Count("permit_change"), last=Max("permit_change__changed_on"))):
        for code in {row["county_code"], row["city_code"]} - {""}:
            figures = out.setdefault(code, [0, 0, None])
            figures[0] += row["total"]
            figures[1] += row["changed"]
            if row["last"] and (figures[2] is None or row["last"] > figures[2]):
                figures[2] = row["last"]
    return {code: tuple(figures) for code, figures in out.items()}


def _permits_updated(campaign, authorities, milestones) -> list[ReportItem]:
    from django.urls import reverse
    from django.utils import timezone

    from qingshen.campaigns import calendar
    changes = _permit_changes(campaign)
    today = timezone.localdate()
    out = []
    for authority in authorities:
        total, changed, last = changes.get(authority.region_id, (0, 0, None))
        if not total:
            continue
        due = next((d.date for d in calendar.deadlines(campaign, authority.region, milestones=milestones)
                    if d.kind == MilestoneKind.PERMIT_UPDATED), None)
        done = last if changed == total else None
        out.append(ReportItem(authority, MilestoneKind.PERMIT_UPDATED, due, done, today, None,
                              f"{reverse('permits:list')}?campaign={campaign.pk}",
                              progress=f"已变更 {changed} / {total} 家"))
    return out


def _url(user, campaign, organization, kind) -> str:
    """The sender's own page for its report; the receiving level's overview for the others'."""
    from django.urls import reverse

    from qingshen.summaries.models import MILESTONE_OF_KIND

    own = user is not None and organization.pk == user.organization_id
    if kind == MilestoneKind.PERMIT_REPORTED:
        return f"{reverse('permits:report' if own else 'permits:received')}?campaign={campaign.pk}"
    summary_kind = next(k for k, m in MILESTONE_OF_KIND.items() if m == kind)
    if own:
        return reverse("summaries:edit", args=[campaign.pk, summary_kind])
    return f"{reverse('summaries:received')}?campaign={campaign.pk}&kind={summary_kind}"


def items(user, campaign) -> list[ReportItem]:
    """Every report due from the organisations the user may see (all for `user=None`), in
    region order."""
    from qingshen.permits import due as permit_due
    from qingshen.summaries import due as summary_due
    from qingshen.summaries.models import MILESTONE_OF_KIND

    departments, authorities = obliged(user, campaign)
    milestones = list(Milestone.objects.filter(campaign=campaign).select_related("region"))
    out = []
    for summary_kind, kind in MILESTONE_OF_KIND.items():
        for item in summary_due.items(campaign, departments, summary_kind):
            out.append(ReportItem(item.organization, kind, item.due, item.done, item.today, item.report,
                                  _url(user, campaign, item.organization, kind)))
    out.extend(_permits_updated(campaign, authorities, milestones))
    for item in permit_due.items(campaign, authorities, milestones=milestones):
        out.append(ReportItem(item.organization, MilestoneKind.PERMIT_REPORTED, item.due, item.done, item.today,
                              item.report, _url(user, campaign, item.organization, MilestoneKind.PERMIT_REPORTED)))
    order = {kind: index for index, kind in enumerate(MilestoneKind.values)}
    out.sort(key=lambda item: (item.organization.region_id, order[item.kind], item.organization.kind))
    return out
