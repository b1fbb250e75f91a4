"""执法移交清单: the enterprises of a campaign to hand to the enforcement department, by category.

The seed's notices ask the province to hand over to the enforcement department "企业的…审核结果和
因停产未开展清洁生产的企业名单" and name the penalties for enterprises that 不实施强制性清洁生产审核
or 拒不改正. The categories, each a written rule over the *included* roster lines of one campaign
that the user may see (`CampaignEnterprise.objects.restrict(user)`), judged on today's date:

- 拒不开展（未接受任务） `refused`: the county dispatched the notice letter, the enterprise has
  not accepted the task (no audit project), and the date by which it had to act has passed — the
  DISCLOSURE milestone (登录系统填报并公布审核信息) as the calendar applies it to the enterprise's
  place. "Passed" means today is after that date: on the day itself the enterprise still has time.
  A campaign without a DISCLOSURE date lists nobody here (there is no date to have missed).
- 审核未通过 `failed`: for a stage (评估 / 验收), the latest *decided* review (通过 / 不通过 / 整改; an
  intake return is not a decision) is 不通过; or it is 整改 with a resubmission deadline
  (`Review.rectify_by`) that has passed without a later application of that stage submitted.
- 逾期未完成 `overdue`: overdue on a step the *enterprise* must take (公布审核信息, 评估申请, 验收申请)
  according to `qingshen.supervision.dashboard.overdue` — the same figures as 统计看板. Steps other
  parties are late on (the county's letter, the handling level's review) are not the enterprise's
  fault and are not listed for enforcement; nor is an enterprise whose letter was never
  dispatched (never told, it cannot be late on its own steps — the county is).
- 因停产未开展 `suspended`: the enterprise's status is 停产 or 关闭 and its acceptance (验收) has not
  been passed — a 停产 enterprise that did pass is not listed.

An enterprise may fall in several categories; `lines()` returns each roster line once with all
its categories. The passed / failed / overdue review results per stage are the existing
审核结果移交清单 (`reviews:handover`); this list adds the refusals and the suspended enterprises,
joins the categories per enterprise and keeps each enterprise's history (`history`).

Cost: a constant number of queries whatever the number of enterprises. Which lines fall in which
category is decided in SQL (`classified`: each rule a condition over the roster lines, the
calendar resolved once per place as in `supervision.due`), so the counts of the tabs are one
aggregate query (`count`) and a page of the list reads only its own lines; `lines()` then builds
the facts shown (the overdue steps with their days, the failed reviews) for those lines — the
roster lines, their reviews, the campaign's milestones and the overdue figures. A test checks
that the SQL rules and the facts built in Python agree.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone

from qingshen.applications.models import Application
from qingshen.campaigns import calendar
from qingshen.campaigns.models import (
    CampaignEnterprise,
    Milestone,
    MilestoneKind,
    Party,
)
from qingshen.enforcement.models import (
    ALL,
    CATEGORY_LABELS,
    FAILED,
    OVERDUE,
    REFUSED,
    SUSPENDED,
)
from qingshen.enterprises.choices import Status as EnterpriseStatus
from qingshen.reviews.models import Review
from qingshen.supervision import dashboard, due

CATEGORIES = tuple(CATEGORY_LABELS)
STAGE_LABELS = {"evaluation": "评估", "acceptance": "验收"}
DECIDED = (Review.Status.PASSED, Review.Status.FAILED, Review.Status.RECTIFY)
NOT_RUNNING = (EnterpriseStatus.SUSPENDED, EnterpriseStatus.CLOSED)
#: The steps whose lateness is the enterprise's own (the overdue category's scope).
#: (Not accepting the task is the category 拒不开展 of its own.)
ENTERPRISE_STEPS = tuple(kind for kind in due.TRACKED if due.party(kind) == Party.ENTERPRISE and kind != due.ACCEPT)


@dataclass
class ReviewFact:
    stage: str
    status: str
    decided_on: date | None
    rectify_by: date | None = None
    application_number: int = 0

    @property
    def text(self) -> str:
        label = f"{STAGE_LABELS[self.stage]}{Review.Status(self.status).label}"
        if self.decided_on:
            label += f"（{self.decided_on:%Y-%m-%d}）"
        if self.status == Review.Status.RECTIFY and self.rectify_by:
            label += f"，整改期限 {self.rectify_by:%Y-%m-%d} 已过未重新提交"
        return label


@dataclass
class OverdueStep:
    kind: str
    due: date | None
    days: int | None

    @property
    def text(self) -> str:
        label = due.title(self.kind)
        return f"{label}（逾期 {self.days} 天）" if self.days is not None else label


@dataclass
class Line:
    """One roster line with the categories it falls in and the facts behind them."""

    member: CampaignEnterprise
    categories: list[str] = field(default_factory=list)
    dispatched_at: object = None  # datetime of the letter's dispatch
    accepted_at: object = None  # datetime the enterprise accepted
    act_by: date | None = None  # the DISCLOSURE date where the enterprise is
    last_review: ReviewFact | None = None
    failed_reviews: list[ReviewFact] = field(default_factory=list)
    overdue_steps: list[OverdueStep] = field(default_factory=list)

    @property
    def enterprise(self):
        return self.member.enterprise

    @property
    def project(self):
        return getattr(self.member, "project", None)

    @property
    def category_labels(self) -> list[str]:
        return [CATEGORY_LABELS[c] for c in self.categories]

    def as_dict(self) -> dict:
        """The line as plain JSON-safe data: the API's rows, the hand-over's frozen snapshot and
        the .xlsx's columns (COLUMNS) all come from here, so they say the same."""
        enterprise, project = self.enterprise, self.project
        return {
            "id": self.member.pk,
            "enterprise": enterprise.name,
            "uscc": enterprise.uscc or "",
            "county": enterprise.region.name,
            "handling_level": self.member.get_handling_level_display(),
            "enterprise_status": enterprise.get_status_display(),
            "categories": list(self.categories),
            "category_labels": self.category_labels,
            "letter_dispatched_on": _day(self.dispatched_at),
            "accepted": project is not None,
            "accepted_on": _day(self.accepted_at),
            "project_number": project.number if project else "",
            "act_by": self.act_by.isoformat() if self.act_by else "",
            "last_review": self.last_review.text if self.last_review else "",
            "failed_reviews": "；".join(r.text for r in self.failed_reviews),
            "overdue_steps": "；".join(s.text for s in self.overdue_steps),
            "permit_number": enterprise.permit_number or "",
        }


#: (key of as_dict, column heading) — the table, the export and the snapshot's display.
COLUMNS = [
    ("enterprise", "企业名称"), ("uscc", "统一社会信用代码"), ("county", "所属区县"), ("handling_level", "办理机构"),
    ("enterprise_status", "企业状态"), ("category_labels", "移交类别"), ("letter_dispatched_on", "告知书下发日期"),
    ("accepted_on", "接受任务日期"), ("project_number", "项目编号"), ("act_by", "公布审核信息截止日期"),
    ("last_review", "最近审核结果"), ("failed_reviews", "未通过情况"), ("overdue_steps", "逾期事项"),
    ("permit_number", "排污许可证编号"),
]


def cell(row: dict, key: str):
    value = row.get(key, "")
    if isinstance(value, list):
        return "、".join(value)
    return value if value is not None else ""


def _day(moment) -> str:
    if moment is None:
        return ""
    return (timezone.localtime(moment) if timezone.is_aware(moment) else moment).date().isoformat()


def _roster(user, campaign):
    passed_acceptance = Review.objects.filter(project=OuterRef("project"), stage="acceptance",
                                              status=Review.Status.PASSED)
    return (CampaignEnterprise.objects.restrict(user)
            .filter(campaign=campaign, status=CampaignEnterprise.Status.INCLUDED)
            .select_related("campaign", "enterprise__region", "letter", "project")
            .annotate(acceptance_passed=Exists(passed_acceptance))
            .order_by("county_code", "city_code", "seq", "pk"))


def _reviews(project_ids) -> dict[int, list]:
    """{project id: its reviews, oldest application first}, with whether a later application
    of the same stage was submitted (a 整改 answered)."""
    later = Application.objects.filter(project=OuterRef("project"), stage=OuterRef("stage"),
                                       number__gt=OuterRef("application__number"), submitted_at__isnull=False)
    out: dict[int, list] = {}
    if not project_ids:
        return out
    for review in (Review.objects.filter(project_id__in=project_ids).annotate(resubmitted=Exists(later))
                   .select_related("application").order_by("project_id", "stage", "application__number", "pk")):
        out.setdefault(review.project_id, []).append(review)
    return out


def _fact(review) -> ReviewFact:
    decided = timezone.localtime(review.decided_at).date() if review.decided_at else None
    return ReviewFact(review.stage, review.status, decided, review.rectify_by, review.application.number)


def _failed(reviews, today) -> list[ReviewFact]:
    """The stages whose latest decided review is 不通过, or 整改 left unanswered past its deadline."""
    latest: dict[str, Review] = {}
    for review in reviews:
        if review.status in DECIDED:
            latest[review.stage] = review  # ordered by application number: the last one wins
    out = []
    for stage in ("evaluation", "acceptance"):
        review = latest.get(stage)
        if review is None:
            continue
        if review.status == Review.Status.FAILED:
            out.append(_fact(review))
        elif (review.status == Review.Status.RECTIFY and review.rectify_by is not None
              and today > review.rectify_by and not review.resubmitted):
            out.append(_fact(review))
    return out


def classified(user, campaign):
    """(the roster lines annotated for the rules, {category: its condition in SQL}, the lines in
    any category's condition). The rules are those of the module's docstring."""
    today = timezone.localdate()
    roster = _roster(user, campaign)
    dates = due.Dates(campaign, roster, today=today)
    queryset = due.with_states(roster, dates)
    failed = due.NEVER
    for stage in STAGE_LABELS:
        latest = Review.objects.filter(project=OuterRef("project"), stage=stage, status__in=DECIDED).order_by(
            "-application__number", "-pk")
        queryset = queryset.annotate(**{
            f"{stage}_latest_status": Subquery(latest.values("status")[:1]),
            f"{stage}_latest_rectify_by": Subquery(latest.values("rectify_by")[:1]),
            f"{stage}_latest_number": Subquery(latest.values("application__number")[:1]),
        }).annotate(**{f"{stage}_resubmitted": Exists(Application.objects.filter(
            project=OuterRef("project"), stage=stage, submitted_at__isnull=False,
            number__gt=OuterRef(f"{stage}_latest_number")))})
        failed |= Q(**{f"{stage}_latest_status": Review.Status.FAILED}) | Q(
            **{f"{stage}_latest_status": Review.Status.RECTIFY, f"{stage}_latest_rectify_by__lt": today,
               f"{stage}_resubmitted": False})
    dispatched = Q(letter__dispatched_at__isnull=False)
    late_places = dates.past(MilestoneKind.DISCLOSURE)
    overdue = due.NEVER
    for kind in ENTERPRISE_STEPS:
        overdue |= due.state_condition(kind, due.OVERDUE, dates)
    conditions = {
        REFUSED: dispatched & Q(project__isnull=True) & (Q(enterprise__region_id__in=late_places)
                                                           if late_places else due.NEVER),
        FAILED: failed,
        OVERDUE: dispatched & overdue,
        SUSPENDED: Q(enterprise__status__in=NOT_RUNNING) & Q(acceptance_passed=False),
    }
    any_category = due.NEVER
    for condition in conditions.values():
        any_category |= condition
    return queryset, conditions, any_category


def count(user, campaign) -> dict[str, int]:
    """{category: lines in it, "all": lines in any} for the tabs — one aggregate query."""
    queryset, conditions, any_category = classified(user, campaign)
    return queryset.order_by().aggregate(**{ALL: Count("pk", filter=any_category)},
                                         **{name: Count("pk", filter=condition)
                                            for name, condition in conditions.items()})


def members_in(user, campaign, category: str = ALL):
    """The pks of the roster lines in `category` (or any), in county order: a query to page through."""
    queryset, conditions, any_category = classified(user, campaign)
    condition = any_category if category == ALL else conditions[category]
    return queryset.filter(condition).order_by("county_code", "city_code", "seq", "pk").values_list("pk", flat=True)


class Paged:
    """The lines of a category as a sequence a paginator can slice: its length is one count, a
    slice builds only that slice's lines. Lets the page and the API list the province's roster
    without building every line."""

    def __init__(self, user, campaign, category: str = ALL):
        self.user, self.campaign, self.category = user, campaign, category
        self.pks = members_in(user, campaign, category)

    def count(self) -> int:
        return self.pks.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if isinstance(key, slice):
            return lines(self.user, self.campaign, self.category, member_pks=list(self.pks[key]))
        return self[key:key + 1][0]


def lines(user, campaign, category: str = ALL, member_pk=None, member_pks=None) -> list[Line]:
    """The campaign's roster lines in the user's jurisdiction that fall in at least one category
    (or in `category`), each once with all its categories, in county order. `member_pk` narrows
    to one roster line (its history page), `member_pks` to some (a page of the list)."""
    if category != ALL and category not in CATEGORY_LABELS:
        raise ValueError(f"unknown category {category!r}")
    today = timezone.localdate()
    roster = _roster(user, campaign)
    if member_pk is not None:
        roster = roster.filter(pk=member_pk)
    if member_pks is not None:
        roster = roster.filter(pk__in=list(member_pks))
    members = list(roster)
    projects = [m.project.pk for m in members if getattr(m, "project", None) is not None]
    reviews = _reviews(projects)
    milestones = list(Milestone.objects.filter(campaign=campaign).select_related("region"))
    overdue_ids = dashboard.overdue(user, campaign)[2]
    if member_pks is not None or member_pk is not None:  # a page: only its lines' facts
        late_on = {kind: set(overdue_ids[kind].filter(pk__in=[m.pk for m in members])) for kind in ENTERPRISE_STEPS}
    else:
        late_on = {kind: set(overdue_ids[kind]) for kind in ENTERPRISE_STEPS}
    calendars: dict = {}
    out = []
    for member in members:
        region = member.enterprise.region
        if region.pk not in calendars:
            calendars[region.pk] = {d.kind: d.date for d in calendar.deadlines(campaign, region,
                                                                              milestones=milestones)}
        dates = calendars[region.pk]
        letter, project = getattr(member, "letter", None), getattr(member, "project", None)
        own_reviews = reviews.get(project.pk, []) if project else []
        decided = [r for r in own_reviews if r.status in DECIDED and r.decided_at]
        line = Line(member=member, dispatched_at=letter.dispatched_at if letter else None,
                    accepted_at=project.accepted_at if project else None,
                    act_by=dates.get(MilestoneKind.DISCLOSURE),
                    last_review=_fact(max(decided, key=lambda r: r.decided_at)) if decided else None,
                    failed_reviews=_failed(own_reviews, today))
        for kind in ENTERPRISE_STEPS:
            if line.dispatched_at and member.pk in late_on[kind]:
                when = dates.get(kind)
                line.overdue_steps.append(OverdueStep(kind, when, (today - when).days if when else None))
        if line.dispatched_at and project is None and line.act_by and today > line.act_by:
            line.categories.append(REFUSED)
        if line.failed_reviews:
            line.categories.append(FAILED)
        if line.overdue_steps:
            line.categories.append(OVERDUE)
        if member.enterprise.status in NOT_RUNNING and not member.acceptance_passed:
            line.categories.append(SUSPENDED)
        if line.categories and (category == ALL or category in line.categories):
            out.append(line)
    return out


def refused(user, campaign) -> list[Line]:
    """拒不开展（未接受任务）: see the module's rules."""
    return lines(user, campaign, REFUSED)


def failed(user, campaign) -> list[Line]:
    """审核未通过: see the module's rules."""
    return lines(user, campaign, FAILED)


def overdue(user, campaign) -> list[Line]:
    """逾期未完成: see the module's rules."""
    return lines(user, campaign, OVERDUE)


def suspended(user, campaign) -> list[Line]:
    """因停产未开展: see the module's rules."""
    return lines(user, campaign, SUSPENDED)


def counts(all_lines) -> dict[str, int]:
    """{category: lines in it, "all": lines in any} for the tabs."""
    out = {ALL: len(all_lines), **dict.fromkeys(CATEGORIES, 0)}
    for line in all_lines:
        for name in line.categories:
            out[name] += 1
    return out


def only(all_lines, category: str) -> list[Line]:
    return list(all_lines) if category == ALL else [line for line in all_lines if category in line.categories]
