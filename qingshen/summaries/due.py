"""Whether each department sent its summary in time — for the receiving level's overview
(工作总结报送情况) and for supervision's due items.

`items(campaign, organizations, kind)` takes department organisations (county branches under
a city, or city bureaus) and returns, for each, its latest report, the date it was due
(`reporting.report_due`: the earliest date a level *above* it set for 报送工作总结 or
报送评估情况汇总), the date of its *first* submission (a return and a resubmission do not
make a first submission late or on time again) and its state: 未到期 (open), 按时完成,
逾期完成 or 已逾期. Three queries whatever the number of organisations: the campaign's
milestones, the first submissions, the latest reports.

    from qingshen.summaries import due
    for item in due.items(campaign, organizations, "work"):
        item.organization, item.due, item.done, item.state, item.state_label, item.report
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Min
from django.utils import timezone

from qingshen.campaigns.models import Milestone
from qingshen.campaigns.reporting import DatedStep, report_due
from qingshen.summaries.models import MILESTONE_OF_KIND, SummaryReport


@dataclass
class DueItem(DatedStep):
    organization: object
    kind: str
    due: date | None
    done: date | None
    report: SummaryReport | None  # the latest version, None when nothing was written yet
    today: date


def items(campaign, organizations, kind: str = "work") -> list[DueItem]:
    """A DueItem per organisation given (in the order given). Their `region` should be
    select_related by the caller; it is read for the calendar."""
    organizations = list(organizations)
    milestone_kind = MILESTONE_OF_KIND[kind]
    milestones = list(Milestone.objects.filter(campaign=campaign, kind=milestone_kind).select_related("region"))
    ids = [organization.pk for organization in organizations]
    reports = SummaryReport.objects.filter(campaign=campaign, kind=kind, organization_id__in=ids)
    first = {row["organization_id"]: timezone.localtime(row["first"]).date()
             for row in reports.filter(submitted_at__isnull=False).order_by().values("organization_id")
             .annotate(first=Min("submitted_at"))}
    latest: dict[int, SummaryReport] = {}
    for report in reports.select_related("pdf_file", "xlsx_file").order_by("organization_id", "-version"):
        latest.setdefault(report.organization_id, report)
    today = timezone.localdate()
    return [DueItem(organization=organization, kind=kind,
                    due=report_due(campaign, milestone_kind, organization, milestones=milestones),
                    done=first.get(organization.pk), report=latest.get(organization.pk), today=today)
            for organization in organizations]
