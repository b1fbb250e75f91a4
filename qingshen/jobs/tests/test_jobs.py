"""Background jobs: progress, result file, failure shown to the user, owner-only access.

Two job kinds exist only for these tests (names start with "tests."): one that reports
progress and returns a file, one that always fails.
"""

import pytest

from qingshen.core.roles import Role
from qingshen.enterprises.tests.helpers import page_text
from qingshen.jobs.models import Job
from qingshen.jobs.registry import JobError, register
from qingshen.jobs.services import start_job
from qingshen.jobs.tasks import run_job



@register("tests.counts_to_three")
def _counts_to_three(job, progress):
    for done in range(1, 4):
        progress(done, 10)
    return "测试结果.txt", "共 3 项\n".encode() + str(job.params["n"]).encode()


@register("tests.always_fails")
def _always_fails(job, progress):
    progress(2, 5)
    raise JobError("测试用的故意失败")


@register("tests.crashes")
def _crashes(job, progress):
    raise KeyError("internal detail")


def started(user, kind, capture, params=None):
    with capture(execute=True):
        job = start_job(user, kind=kind, title="测试任务", params=params or {"n": 7})
    job.refresh_from_db()
    return job


def test_succeeded_job_shows_its_progress_and_serves_its_file(world, login, django_capture_on_commit_callbacks):
    user = world.user(Role.COUNTY)
    job = started(user, "tests.counts_to_three", django_capture_on_commit_callbacks)
    assert (job.status, job.progress_done, job.progress_total, job.percent) == ("succeeded", 3, 10, 100)
    assert job.started_at is not None and job.finished_at >= job.started_at
    assert job.message == "已完成" and job.result_name == "测试结果.txt"

    client = login(user)
    text = page_text(client.get(f"/jobs/{job.pk}/"))
    assert "已完成：3 / 10" in text and "下载 测试结果.txt" in text
    response = client.get(f"/jobs/{job.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == "共 3 项\n7".encode()
    assert "filename*=utf-8''%E6%B5%8B%E8%AF%95%E7%BB%93%E6%9E%9C.txt" in response["Content-Disposition"]


def test_failed_job_says_so_in_chinese_and_has_nothing_to_download(world, login, django_capture_on_commit_callbacks):
    user = world.user(Role.COUNTY)
    job = started(user, "tests.always_fails", django_capture_on_commit_callbacks)
    assert job.status == Job.Status.FAILED
    assert job.message == "任务失败：测试用的故意失败"
    assert job.finished_at is not None and not job.result

    client = login(user)
    page = client.get(f"/jobs/{job.pk}/")
    assert "失败：2 / 5 · 任务失败：测试用的故意失败" in page_text(page)
    html = page.content.decode()
    assert "progress-bar bg-danger" in html
    assert 'id="job-download"' not in html and "hx-trigger" not in html
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404
    assert "失败" in page_text(client.get("/jobs/"))


def test_queued_job_page_polls_for_progress(world, login):
    user = world.user(Role.COUNTY)
    job = start_job(user, kind="tests.counts_to_three", title="排队测试任务", params={"n": 1})  # not committed: not run yet
    client = login(user)
    page = client.get(f"/jobs/{job.pk}/")
    assert "排队中" in page_text(page) and "任务已排队，后台处理程序将很快开始处理。" in page_text(page)
    assert f'hx-get="/jobs/{job.pk}/" hx-trigger="every 1s"' in page.content.decode()
    fragment = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    assert fragment.content.decode().lstrip().startswith('<div class="card" id="job-progress"')
    assert "<html" not in fragment.content.decode()
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404

    run_job.enqueue(job.pk)  # the worker picks it up
    fragment = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    assert "已完成" in page_text(fragment) and "hx-trigger" not in fragment.content.decode()


def test_a_crash_shows_the_job_number_not_the_internals(world, login, django_capture_on_commit_callbacks):
    user = world.user(Role.COUNTY)
    job = started(user, "tests.crashes", django_capture_on_commit_callbacks)
    assert job.status == Job.Status.FAILED
    assert job.message == f"任务失败（编号 {job.pk}）。请稍后重试；如仍失败，请把编号告诉系统运维人员。"
    assert "internal detail" not in page_text(login(user).get(f"/jobs/{job.pk}/"))


def test_a_finished_job_is_not_run_again(world, django_capture_on_commit_callbacks):
    job = started(world.user(Role.COUNTY), "tests.always_fails", django_capture_on_commit_callbacks)
    Job.objects.filter(pk=job.pk).update(kind="tests.counts_to_three")  # would succeed if rerun
    run_job.enqueue(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and not job.result


def test_unknown_kind_is_refused_before_anything_is_recorded(world):
    with pytest.raises(LookupError, match="未知的任务类型：tests.no_such_kind"):
        start_job(world.user(Role.COUNTY), kind="tests.no_such_kind", title="x")
    assert not Job.objects.exists()


def test_jobs_belong_to_their_owner(world, login, django_capture_on_commit_callbacks, client):
    job = started(world.user(Role.COUNTY), "tests.counts_to_three", django_capture_on_commit_callbacks)
    for other in (world.other_county_user, world.user(Role.PROVINCE), world.user(Role.SYSADMIN)):
        intruder = login(other)
        assert intruder.get(f"/jobs/{job.pk}/").status_code == 404
        assert intruder.get(f"/jobs/{job.pk}/download/").status_code == 404
        assert "您还没有导出过文件。" in page_text(intruder.get("/jobs/"))
    client.logout()
    for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/download/", "/jobs/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


@pytest.mark.parametrize("status, done, total, percent", [
    ("queued", 0, 0, 0),
    ("running", 5, 10, 50),
    ("running", 10, 10, 99),  # not 100 until the file is there
    ("succeeded", 0, 0, 100),
    ("failed", 2, 5, 40),
])
def test_percent(status, done, total, percent):
    assert Job(status=status, progress_done=done, progress_total=total).percent == percent
