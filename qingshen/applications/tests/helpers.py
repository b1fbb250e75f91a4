"""Arranging a project that may apply: rows made directly (the filings and project start have
their own tests); only the application is under test here."""

from django.utils import timezone

from qingshen.filings.models import PhaseFiling, phases_of
from qingshen.project_start.models import ProjectStart


def start_submitted(project):
    start, _ = ProjectStart.objects.get_or_create(project=project)
    ProjectStart.objects.filter(pk=start.pk).update(status=ProjectStart.Status.SUBMITTED)


def phases_submitted(project, stage):
    for phase in phases_of(stage):
        filing, _ = PhaseFiling.objects.get_or_create(project=project, phase=phase)
        PhaseFiling.objects.filter(pk=filing.pk).update(status=PhaseFiling.Status.SUBMITTED, submitted_at=timezone.now())


FORM = {"contact_person": "张建国", "contact_phone": "13812345678", "summary": "审核重点为印染车间；完成无低费方案 12 项。"}
