import logging

from django.core.files.base import ContentFile
from django.tasks import task
from django.utils import timezone

from qingshen.jobs.models import Job
from qingshen.jobs.registry import JobError, handler_for

logger = logging.getLogger(__name__)


@task()
def run_job(job_id: int) -> None:
    job = Job.objects.select_related("owner").get(pk=job_id)
    if job.is_finished:
        return  # a retried task does not redo finished work
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=timezone.now())

    def progress(done: int, total: int) -> None:
        Job.objects.filter(pk=job.pk).update(progress_done=done, progress_total=total)

    try:
        filename, content = handler_for(job.kind)(job, progress)
    except JobError as exc:
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED, finished_at=timezone.now(), message=f"任务失败：{exc}"[:500]
        )
        return
    except Exception:  # the user sees that it failed and its number; the log has the trace
        logger.exception("job %s failed", job.pk)
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED, finished_at=timezone.now(),
            message=f"任务失败（编号 {job.pk}）。请稍后重试；如仍失败，请把编号告诉系统运维人员。",
        )
        return
    job.refresh_from_db()
    job.result.save(filename, ContentFile(content), save=False)
    job.result_name = filename
    job.status = Job.Status.SUCCEEDED
    job.finished_at = timezone.now()
    job.message = "已完成"
    job.save(update_fields=["result", "result_name", "status", "finished_at", "message"])
