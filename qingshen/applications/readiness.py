"""What must be done before an application may be submitted, and its due date.

评估申请: 项目启动 submitted and every evaluation-stage phase submitted. 验收申请: an
evaluation application submitted (the review's result arrives with the review work) and every
acceptance-stage phase submitted. Each missing item comes with the page where it is done.
"""

from django.urls import reverse

from qingshen.applications.models import Application, Stage
from qingshen.campaigns import calendar
from qingshen.campaigns.models import MilestoneKind
from qingshen.filings.models import Phase, PhaseFiling, phases_of
from qingshen.project_start.models import ProjectStart

DUE = {Stage.EVALUATION: MilestoneKind.EVALUATION_APPLICATION, Stage.ACCEPTANCE: MilestoneKind.ACCEPTANCE_APPLICATION}


def missing(project, stage) -> list[tuple[str, str]]:
    """[(what is missing, where to do it)]; empty when the application may be submitted."""
    items = []
    start = ProjectStart.objects.filter(project=project).only("status").first()
    if start is None or start.status != ProjectStart.Status.SUBMITTED:
        items.append(("项目启动尚未提交", reverse("project_start:detail", args=[project.pk])))
    if stage == Stage.ACCEPTANCE and not Application.objects.filter(
            project=project, stage=Stage.EVALUATION, status=Application.Status.SUBMITTED).exists():
        items.append(("评估申请尚未提交", reverse("applications:stage", args=[project.pk, Stage.EVALUATION])))
    submitted = set(PhaseFiling.objects.filter(project=project, status=PhaseFiling.Status.SUBMITTED)
                    .values_list("phase", flat=True))
    for phase in phases_of(stage):
        if phase not in submitted:
            items.append((f"“{Phase(phase).label}”阶段痕迹尚未提交", reverse("filings:project", args=[project.pk])))
    return items


def due_date(project, stage):
    """The application's due date that applies to the enterprise (the earliest any level set)."""
    kind = DUE[stage]
    for deadline in calendar.deadlines(project.campaign, project.enterprise.region):
        if deadline.kind == kind:
            return deadline.date
    return None
