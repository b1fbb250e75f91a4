"""Reports a department sends up the hierarchy (报送): the permit authority's 排污许可证变更情况,
each level's 评估情况汇总 and 工作总结. The concrete reports live in their own apps
(`qingshen.permits`, `qingshen.summaries`); this module holds what they share, so every one
is tracked against its date the same way (`qingshen.supervision.due`).

A report is a row per version: a draft is edited, submitted (then read-only), and the level
it goes to may return it with a reason; the sender then drafts version + 1 and the earlier
versions stay readable. Whether it was on time is judged by its *first* submission, as for an
enterprise's applications.

Its due date is the earliest date for the step set by a level *above* the sender: a county
branch's 工作总结 is due when its city (or the province) says — not when the county itself
says — and a city's when the province says. `report_due` computes it from the campaign
calendar.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from qingshen.campaigns import calendar
from qingshen.core.scoping import ScopedModel

OPEN, ON_TIME, LATE, OVERDUE = "open", "on_time", "late", "overdue"
STATES = {OPEN: "未到期", ON_TIME: "按时完成", LATE: "逾期完成", OVERDUE: "已逾期"}


def state_of(due: date | None, done: date | None, today: date) -> str:
    """open / on_time / late / overdue, for any dated step."""
    if done is not None:
        return LATE if due and done > due else ON_TIME
    if due and today > due:
        return OVERDUE
    return OPEN


class DatedStep:
    """What any dated step shows (an enterprise's due item, a department's report): its state
    from `due`, `done` and `today`, which the class provides (dataclass fields)."""

    @property
    def state(self) -> str:
        return state_of(self.due, self.done, self.today)

    @property
    def state_label(self) -> str:
        return STATES[self.state]


class _Above:
    """A region seen only through the levels above one: `calendar.deadlines` then ignores the
    dates the sender's own level set."""

    def __init__(self, region):
        self.province_code = region.province_code
        self.city_code = region.city_code if region.level == "county" else ""
        self.county_code = ""


def report_due(campaign, kind: str, organization, milestones=None) -> date | None:
    """The date `organization`'s report of `kind` (a MilestoneKind) is due, or None if no
    level above it set one. Pass `milestones` (the campaign's, fetched once) in loops."""
    region = organization.region
    if region.level == "province":
        return None  # nobody above the province sets its dates
    for deadline in calendar.deadlines(campaign, _Above(region), milestones=milestones):
        if deadline.kind == kind:
            return deadline.date
    return None


class UpwardReport(ScopedModel):
    """The common part of a report sent up. Subclasses set `milestone_kind` and add their
    content; officials see the reports of their region's departments (the scoped manager),
    enterprises never see them."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已报送"
        RETURNED = "returned", "已退回"

    milestone_kind: str = ""

    campaign = models.ForeignKey("campaigns.Campaign", verbose_name="清审批次", on_delete=models.PROTECT,
                                 related_name="+")
    organization = models.ForeignKey("organizations.Organization", verbose_name="报送单位",
                                     on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField("版本", default=1)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报送人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    returned_at = models.DateTimeField("退回时间", null=True, blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="退回人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    return_reason = models.TextField("退回原因", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.set_scope_from_region(self.organization.region)
        super().save(*args, **kwargs)

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    def due_date(self, milestones=None) -> date | None:
        return report_due(self.campaign, self.milestone_kind, self.organization, milestones=milestones)


def first_submissions(model, campaign) -> dict[int, date]:
    """{organization id: the date of its first submission} for one report model and campaign
    (one query)."""
    rows = (model.objects.filter(campaign=campaign, submitted_at__isnull=False).order_by()
            .values("organization_id").annotate(first=models.Min("submitted_at")))
    return {row["organization_id"]: timezone.localtime(row["first"]).date() for row in rows}
