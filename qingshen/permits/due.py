"""The permit authorities' reports as due items, for the supervision pages.

    from qingshen.permits import due
    for item in due.items(campaign, organizations):  # permit-authority Organizations
        item.organization, item.report, item.due, item.done, item.state, item.state_label

`due` is `report_due(campaign, PERMIT_REPORTED, organization)` (the date set by the levels
above the authority), `done` the date of its first submission (a returned and resubmitted
report is judged by the first, like an enterprise's application), `report` its latest version
(or None). Three queries whatever the number of organisations: the organisations with their
regions, the campaign's milestones, and the reports.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from qingshen.campaigns.models import Milestone
from qingshen.campaigns.reporting import DatedStep, report_due
from qingshen.permits.models import PermitReport


@dataclass
class ReportDue(DatedStep):
    organization: object
    report: PermitReport | None
    due: date | None
    done: date | None
    today: date


def items(campaign, organizations, milestones=None) -> list[ReportDue]:
    if isinstance(organizations, QuerySet):
        organizations = organizations.select_related("region")
    organizations = list(organizations)
    if milestones is None:
        milestones = list(Milestone.objects.filter(campaign=campaign).select_related("region"))
    latest, first = {}, {}
    reports = (PermitReport.objects.filter(campaign=campaign, organization__in=[o.pk for o in organizations])
               .select_related("submitted_by", "returned_by").order_by("organization_id", "version"))
    for report in reports:
        latest[report.organization_id] = report  # ascending versions: the last one wins
        if report.submitted_at is not None and report.organization_id not in first:
            first[report.organization_id] = timezone.localtime(report.submitted_at).date()
    today = timezone.localdate()
    return [ReportDue(organization=o, report=latest.get(o.pk),
                      due=report_due(campaign, PermitReport.milestone_kind, o, milestones=milestones),
                      done=first.get(o.pk), today=today) for o in organizations]
