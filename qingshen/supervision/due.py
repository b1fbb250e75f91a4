"""Due items (时间节点督办): for each enterprise of a campaign, each step of the calendar that
the system can see done, with who must do it, its due date where the enterprise is, when it was
actually done, and its state — open, done on time, done late, or overdue.

Computed from what happened in the system, never stored: one query for the roster lines with
the moments each step was done (subqueries), one for the campaign's milestones; the calendar
per place is then applied in Python, so the cost does not grow with the number of queries.

Tracked now: 下载告知书并书面通知企业 (the letter dispatched), 公布审核信息 (the first disclosure),
评估申请 and 验收申请 (the first submission), 完成评估 and 完成验收 (a review passed). The permit
and summary steps join when their features do.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from qingshen.campaigns import calendar
from qingshen.campaigns.models import (
    PARTY_OF_KIND,
    CampaignEnterprise,
    Milestone,
    MilestoneKind,
)

OPEN, ON_TIME, LATE, OVERDUE = "open", "on_time", "late", "overdue"
STATES = {OPEN: "未到期", ON_TIME: "按时完成", LATE: "逾期完成", OVERDUE: "已逾期"}

#: kind → the annotation holding when it was done
TRACKED = {
    MilestoneKind.NOTIFY: "notified_at",
    MilestoneKind.DISCLOSURE: "disclosed_on",
    MilestoneKind.EVALUATION_APPLICATION: "evaluation_applied_at",
    MilestoneKind.EVALUATION_DONE: "evaluation_passed_at",
    MilestoneKind.ACCEPTANCE_APPLICATION: "acceptance_applied_at",
    MilestoneKind.ACCEPTANCE_DONE: "acceptance_passed_at",
}


@dataclass
class DueItem:
    member: CampaignEnterprise
    kind: str
    title: str
    party: str
    due: date | None
    done: date | None
    today: date

    @property
    def state(self) -> str:
        today = self.today
        if self.done is not None:
            return LATE if self.due and self.done > self.due else ON_TIME
        if self.due and today > self.due:
            return OVERDUE
        return OPEN

    @property
    def state_label(self) -> str:
        return STATES[self.state]

    @property
    def days(self) -> int | None:
        """Days left (open), or days late (overdue, or done late)."""
        if self.due is None:
            return None
        if self.done is not None:
            return max((self.done - self.due).days, 0)
        return abs((self.due - self.today).days)


def _first(model_path, value, **condition):
    from django.apps import apps

    model = apps.get_model(model_path)
    return Subquery(model.objects.filter(**condition).order_by(value).values(value)[:1])


def annotated(queryset):
    """Roster lines with the moment each tracked step was done."""
    project = OuterRef("project")
    return queryset.select_related("enterprise__region", "project").annotate(
        notified_at=_first("notices.NoticeLetter", "dispatched_at", member=OuterRef("pk"),
                           dispatched_at__isnull=False),
        disclosed_on=_first("project_start.Disclosure", "disclosed_on", project=project, disclosed_on__isnull=False),
        evaluation_applied_at=_first("applications.Application", "submitted_at", project=project, stage="evaluation",
                                     submitted_at__isnull=False),
        acceptance_applied_at=_first("applications.Application", "submitted_at", project=project, stage="acceptance",
                                     submitted_at__isnull=False),
        evaluation_passed_at=_first("reviews.Review", "decided_at", project=project, stage="evaluation",
                                    status="passed"),
        acceptance_passed_at=_first("reviews.Review", "decided_at", project=project, stage="acceptance",
                                    status="passed"),
    )


def _as_date(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def items(campaign, members) -> list[DueItem]:
    """Every tracked step of every roster line given (already annotated), in calendar order."""
    members = list(members)
    milestones = list(Milestone.objects.filter(campaign=campaign).select_related("region"))
    today = timezone.localdate()
    titles = {kind: MilestoneKind(kind).label for kind in TRACKED}
    calendars = {}  # the calendar is the same for every enterprise of a place: computed once per place
    out = []
    for member in members:
        region = member.enterprise.region
        if region.pk not in calendars:
            calendars[region.pk] = {d.kind: d.date for d in calendar.deadlines(campaign, region,
                                                                              milestones=milestones)}
        due = calendars[region.pk]
        for kind, attribute in TRACKED.items():
            out.append(DueItem(member=member, kind=kind, title=titles[kind], party=PARTY_OF_KIND[kind],
                               due=due.get(kind), done=_as_date(getattr(member, attribute)), today=today))
    return out


def for_user(user, campaign):
    """The due items of the roster lines the user may see in the campaign."""
    queryset = CampaignEnterprise.objects.restrict(user).filter(campaign=campaign,
                                                                status=CampaignEnterprise.Status.INCLUDED)
    return items(campaign, annotated(queryset).order_by("county_code", "seq", "pk"))


def summary(due_items) -> dict:
    """{kind: {state: count}} for the tables' head."""
    out = {kind: dict.fromkeys(STATES, 0) for kind in TRACKED}
    for item in due_items:
        out[item.kind][item.state] += 1
    return out
