"""审核结果移交清单: for the permit authority and enforcement (移交排污许可部门和执法部门), the
enterprises of a campaign that passed, failed, or missed the stage's deadline.

The latest review of each project and stage decides (a returned or 整改 round is superseded by
the next); a project is overdue for a stage when the deadline for completing it (完成评估 /
完成验收, as it applies to the enterprise's place) has passed without a 通过. Three queries
whatever the number of enterprises: projects, their reviews, the campaign's milestones.
"""

from dataclasses import dataclass

from django.utils import timezone

from qingshen.campaigns import calendar
from qingshen.campaigns.models import Milestone
from qingshen.projects.models import AuditProject
from qingshen.reviews.models import Review
from qingshen.reviews.worklist import DONE

CATEGORIES = {"passed": "通过", "failed": "不通过", "overdue": "逾期未通过"}
STAGES = {"evaluation": "评估", "acceptance": "验收"}


@dataclass
class Line:
    project: AuditProject
    review: Review | None
    due: object  # date or None
    overdue_days: int


def lines(user, campaign, stage: str, category: str) -> list[Line]:
    projects = list(AuditProject.objects.restrict(user).filter(campaign=campaign)
                    .select_related("enterprise__region", "enterprise__industry", "member").order_by("number"))
    latest = {}
    for review in (Review.objects.filter(project__in=projects, stage=stage).select_related("application")
                   .order_by("project_id", "application__number")):
        latest[review.project_id] = review
    milestones = list(Milestone.objects.filter(campaign=campaign).select_related("region"))
    today = timezone.localdate()
    out = []
    for project in projects:
        review = latest.get(project.pk)
        due = next((d.date for d in calendar.deadlines(campaign, project.enterprise.region, milestones=milestones)
                    if d.kind == DONE[stage]), None)
        passed = review is not None and review.status == Review.Status.PASSED
        late = (today - due).days if due and today > due and not passed else 0
        if category == "passed" and passed:
            out.append(Line(project, review, due, 0))
        elif category == "failed" and review is not None and review.status == Review.Status.FAILED:
            out.append(Line(project, review, due, late))
        elif category == "overdue" and late:
            out.append(Line(project, review, due, late))
    return out
