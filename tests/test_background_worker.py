"""Jobs really run through the database-backed queue and its worker (django-tasks-db), as
in development and production — not only through the test settings' immediate backend."""

import io

from django.core.management import call_command
from django.test import override_settings
from openpyxl import load_workbook

from conftest import World
from qingshen.core.roles import Role
from qingshen.jobs.models import Job
from qingshen.jobs.services import start_job


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_export_job_waits_in_the_queue_until_the_worker_runs_it(transactional_db):
    world = World()
    county = world.user(Role.COUNTY)
    job = start_job(county, kind="enterprises.export", title="导出企业名录", params={"query": ""})
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED  # nothing ran yet: the task only sits in the queue

    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert (job.progress_done, job.progress_total) == (1, 1)
    sheet = load_workbook(io.BytesIO(job.result.read())).active
    assert sheet.cell(row=2, column=1).value == "涿州测试企业"
    assert sheet.max_row == 2
