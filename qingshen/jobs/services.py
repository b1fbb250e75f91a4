from django.db import transaction

from qingshen.jobs.models import Job
from qingshen.jobs.registry import handler_for


def start_job(owner, *, kind: str, title: str, params: dict | None = None) -> Job:
    """Record the job and queue it once the transaction commits."""
    from qingshen.jobs.tasks import run_job

    handler_for(kind)  # fail now, not in the worker, on an unknown kind
    job = Job.objects.create(owner=owner, kind=kind, title=title, params=params or {})
    transaction.on_commit(lambda: run_job.enqueue(job.pk))
    return job
