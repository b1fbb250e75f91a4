"""Due items (时间节点督办): for each enterprise of a campaign, each step of the calendar that
the system can see done, with who must do it, its due date where the enterprise is, when it was
actually done, and its state — open, done on time, done late, or overdue.

Computed from what happened in the system, never stored. The calendar differs only by place,
so it is resolved once per place (`Dates`: the campaign's milestones and the places of its
roster, two queries); what each enterprise did is a subquery; the state of a step is then a
condition in SQL (`state_condition`) — so the counts of a whole province come from one
aggregate query (`counts`) and a list of overdue enterprises is one filtered query, whatever the
number of enterprises. `items()` builds the per-line view for the lines of one page.

Tracked: 下载告知书并书面通知企业 (the letter dispatched), 接受清审任务 (the task accepted, by the
date of the disclosure), 公布审核信息 (the first disclosure), 评估申请 and 验收申请 (the first
submission), 完成评估 and 完成验收 (a review passed). The departments' own steps (the summaries,
the permit changes and their report) are in `reports_due`.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone

from qingshen.campaigns import calendar
from qingshen.campaigns.models import (
    PARTY_OF_KIND,
    CampaignEnterprise,
    Milestone,
    MilestoneKind,
    Party,
)
from qingshen.campaigns.reporting import LATE, ON_TIME, OPEN, OVERDUE, STATES, DatedStep  # noqa: F401

#: 接受清审任务: not a step of the calendar of its own — the letter asks the enterprise to sign in
#: and accept by the date it must disclose its audit (附件3 items 1–2), so that date applies.
ACCEPT = "accept"
DATE_OF = {ACCEPT: MilestoneKind.DISCLOSURE}
TITLES = {ACCEPT: "接受清审任务", **{kind: label for kind, label in MilestoneKind.choices}}
PARTIES = {ACCEPT: Party.ENTERPRISE, **PARTY_OF_KIND}

#: kind → the annotation holding when it was done, in the order of the steps
TRACKED = {
    MilestoneKind.NOTIFY: "notified_at",
    ACCEPT: "accepted_at",
    MilestoneKind.DISCLOSURE: "disclosed_on",
    MilestoneKind.EVALUATION_APPLICATION: "evaluation_applied_at",
    MilestoneKind.EVALUATION_DONE: "evaluation_passed_at",
    MilestoneKind.ACCEPTANCE_APPLICATION: "acceptance_applied_at",
    MilestoneKind.ACCEPTANCE_DONE: "acceptance_passed_at",
}


def title(kind: str) -> str:
    return TITLES[kind]


def party(kind: str) -> str:
    return PARTIES[kind]


def calendar_of(campaign, region, milestones) -> dict:
    """{tracked kind: its due date} in a place."""
    dates = {d.kind: d.date for d in calendar.deadlines(campaign, region, milestones=milestones)}
    return {kind: dates.get(DATE_OF.get(kind, kind)) for kind in TRACKED}


@dataclass
class DueItem(DatedStep):
    member: CampaignEnterprise
    kind: str
    title: str
    party: str
    due: date | None
    done: date | None
    today: date

    @property
    def days(self) -> int | None:
        """Days left (open), or days late (overdue, or done late)."""
        if self.due is None:
            return None
        if self.done is not None:
            return max((self.done - self.due).days, 0)
        return abs((self.due - self.today).days)


#: kind → the annotation holding the *date* it was done (datetimes truncated in local time)
DONE_DATE = {kind: f"{attribute}_date" for kind, attribute in TRACKED.items()}


def _first(model_path, value, **condition):
    from django.apps import apps

    model = apps.get_model(model_path)
    return Subquery(model.objects.filter(**condition).order_by(value).values(value)[:1])


def annotated(queryset):
    """Roster lines with the moment each tracked step was done."""
    project = OuterRef("project")
    return queryset.select_related("enterprise__region", "project").annotate(
        accepted_at=F("project__accepted_at"),
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


def _done_dates(queryset):
    """`annotated()` plus each step's done date (for comparing with its due date in SQL)."""
    return annotated(queryset).annotate(**{
        DONE_DATE[kind]: F(attribute) if kind == MilestoneKind.DISCLOSURE else TruncDate(attribute)
        for kind, attribute in TRACKED.items()})


class Dates:
    """The due date of each tracked step in each place a campaign's roster lines are in."""

    def __init__(self, campaign, queryset, today=None):
        from qingshen.regions.models import Region

        self.today = today or timezone.localdate()
        milestones = list(Milestone.objects.filter(campaign=campaign).select_related("region"))
        regions = Region.objects.filter(code__in=queryset.order_by().values("enterprise__region_id"))
        self.by_region = {region.code: calendar_of(campaign, region, milestones) for region in regions}

    def past(self, kind) -> list[str]:
        """The places where the step's due date has passed (today is still in time)."""
        return [code for code, due in self.by_region.items() if due.get(kind) and due[kind] < self.today]

    def due_expression(self, kind):
        """The step's due date for the line's place, as an SQL expression (NULL where none)."""
        places: dict[date, list[str]] = {}
        for code, due in self.by_region.items():
            if due.get(kind):
                places.setdefault(due[kind], []).append(code)
        # Typed, NULL included (a bare NULL is text to PostgreSQL, which then cannot compare it with a date).
        none = Cast(Value(None), DateField())
        whens = [When(enterprise__region_id__in=codes, then=Value(day, output_field=DateField()))
                 for day, codes in sorted(places.items())]
        return Case(*whens, default=none, output_field=DateField()) if whens else none


#: A condition no line meets. (An empty `__in=[]` would make Django drop the whole aggregate
#: query as empty — every count 0 — rather than just that count's filter.)
NEVER = Q(pk__isnull=True)


def _done(kind) -> Q:
    return Q(**{f"{TRACKED[kind]}__isnull": False})


def state_condition(kind, state, dates: Dates) -> Q:
    """The lines (annotated by `with_states`) whose step `kind` is in `state`."""
    places = dates.past(kind)
    overdue_places = Q(enterprise__region_id__in=places) if places else NEVER
    if state == OVERDUE:
        return ~_done(kind) & overdue_places
    if state == OPEN:
        return ~_done(kind) & ~overdue_places
    late = Q(**{f"{DONE_DATE[kind]}__gt": F(f"due_{kind}")})
    return _done(kind) & (late if state == LATE else ~late | Q(**{f"due_{kind}__isnull": True}))


def overdue_on_any(dates: Dates) -> Q:
    condition = NEVER
    for kind in TRACKED:
        condition |= state_condition(kind, OVERDUE, dates)
    return condition


def with_states(queryset, dates: Dates):
    """Roster lines annotated with each step's done moment, done date and due date."""
    return _done_dates(queryset).annotate(**{f"due_{kind}": dates.due_expression(kind) for kind in TRACKED})


def counts(queryset, dates: Dates, states=tuple(STATES)) -> tuple[dict, int]:
    """({kind: {state: lines}}, lines overdue on any step) — one aggregate query. Ask only for
    the states needed: open and overdue need no dates compared in SQL, so the query is lighter."""
    compared = bool({ON_TIME, LATE} & set(states))
    base = with_states(queryset, dates) if compared else annotated(queryset)
    figures = base.order_by().aggregate(
        overdue_any=Count("pk", filter=overdue_on_any(dates)),
        **{f"{kind}:{state}": Count("pk", filter=state_condition(kind, state, dates))
           for kind in TRACKED for state in states})
    table = {kind: {state: figures[f"{kind}:{state}"] for state in states} for kind in TRACKED}
    return table, figures["overdue_any"]


def _as_date(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def items(campaign, members) -> list[DueItem]:
    """Every tracked step of every roster line given (already annotated), in calendar order."""
    members = list(members)
    milestones = list(Milestone.objects.filter(campaign=campaign).select_related("region"))
    today = timezone.localdate()
    calendars = {}  # the calendar is the same for every enterprise of a place: computed once per place
    out = []
    for member in members:
        region = member.enterprise.region
        if region.pk not in calendars:
            calendars[region.pk] = calendar_of(campaign, region, milestones)
        due = calendars[region.pk]
        for kind, attribute in TRACKED.items():
            out.append(DueItem(member=member, kind=kind, title=TITLES[kind], party=PARTIES[kind],
                               due=due.get(kind), done=_as_date(getattr(member, attribute)), today=today))
    return out


def lines(user, campaign):
    """The roster lines (纳入) the user may see in the campaign."""
    return CampaignEnterprise.objects.restrict(user).filter(campaign=campaign,
                                                            status=CampaignEnterprise.Status.INCLUDED)


def for_user(user, campaign):
    """The due items of the roster lines the user may see in the campaign (for small sets: a
    page, an enterprise's own; the counts over a jurisdiction come from `counts`)."""
    return items(campaign, annotated(lines(user, campaign)).order_by("county_code", "seq", "pk"))
