"""The services the pages and the API share: issuing, generating with the double-click guard,
the letter batch and scan jobs, manual assignment."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import CampaignWorld, blank_pdf
from qingshen.audit_trail.models import Event
from qingshen.core.roles import Role
from qingshen.jobs.models import Job
from qingshen.jobs.tasks import run_job
from qingshen.notices import jobs, services
from qingshen.notices.models import NoticeLetter, ScanBatch, ScanPage
from qingshen.notices.tests.test_views_support import blank_page, notified_world, scan_png

pytestmark = pytest.mark.django_db


def test_only_the_province_issues(db):
    world = CampaignWorld("verified")
    with pytest.raises(PermissionDenied, match="只有省级生态环境部门可以发布清审任务通知。"):
        services.issue(world.user(Role.CITY), world.campaign)
    created = services.issue(world.user(Role.PROVINCE), world.campaign)
    assert [t.organization.region_id for t in created] == ["130100", "130600", "130682"]
    assert Event.objects.filter(action="notice.issue").count() == 1
    assert Event.objects.filter(action="notice.create").count() == 3


def test_generate_letter_guards_against_double_clicks_and_strangers():
    world = notified_world(extra=False)
    member = world.member(world.e_zhuozhou)
    letter, code = services.generate_letter(world.county, world.task, member.pk, expected_revision=0)
    assert letter.revision == 1 and len(code) == 14
    with pytest.raises(ValidationError, match="请勿重复点击"):
        services.generate_letter(world.county, world.task, member.pk, expected_revision=0)
    with pytest.raises(ValidationError, match="页面不是最新的"):
        services.generate_letter(world.county, world.task, member.pk, expected_revision=2)
    with pytest.raises(PermissionDenied):
        services.generate_letter(world.user(Role.CITY), world.task, member.pk, expected_revision=1)
    with pytest.raises(ValidationError, match="该企业不在本级名单中。"):
        services.generate_letter(world.county, world.task, world.member(world.e_lianchi).pk, expected_revision=0)
    again, new_code = services.generate_letter(world.county, world.task, member.pk, expected_revision=1)
    assert again.pk == letter.pk and again.revision == 2 and new_code != code
    account = services.activate(again.account.username, new_code, "Neu-Passw0rd!2")
    assert account.check_password("Neu-Passw0rd!2")


def test_the_letter_job_is_only_for_the_notifying_department():
    world = notified_world(extra=False)
    job = Job.objects.create(owner=world.user(Role.CITY), kind=jobs.LETTERS_KIND, title="x",
                             params={"task_id": world.task.pk, "format": "zip"})
    run_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "只有负责通知企业的生态环境部门可以下载" in job.message
    assert not NoticeLetter.objects.exists()
    with pytest.raises(PermissionDenied):
        services.start_letters_batch(world.user(Role.CITY), world.task, "zip")


def test_receive_scan_refuses_after_dispatch_and_outsiders(django_capture_on_commit_callbacks):
    world = notified_world(extra=False)
    with pytest.raises(ValidationError, match="请选择要上传的盖章件"):
        services.receive_scan(world.county, world.task, [])
    with pytest.raises(PermissionDenied):
        services.receive_scan(world.user(Role.CITY), world.task, [scan_png(blank_page())])
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.receive_scan(world.county, world.task, [scan_png(blank_page())])
    assert batch.job.kind == jobs.SCAN_KIND
    page = ScanPage.objects.get(batch=batch)
    assert page.outcome == ScanPage.Outcome.NO_CODE
    assert Event.objects.filter(action="notice.scan_upload").exists()


def test_assign_scan_page_checks_the_letter_belongs_to_the_task(django_capture_on_commit_callbacks):
    world = notified_world(extra=False)
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.receive_scan(world.county, world.task, [scan_png(blank_page())])
    page = batch.pages.get()
    with pytest.raises(ValidationError, match="请选择本级名单中已生成的告知书。"):
        services.assign_scan_page(world.county, page, 999999)
    letter, _ = services.generate_letter(world.county, world.task, world.member(world.e_zhuozhou).pk,
                                         expected_revision=0)
    with pytest.raises(PermissionDenied):
        services.assign_scan_page(world.user(Role.CITY), page, letter.pk)
    page.refresh_from_db()
    assert page.outcome == ScanPage.Outcome.NO_CODE  # nothing half-done
    services.assign_scan_page(world.county, page, letter.pk)
    letter.refresh_from_db()
    assert letter.stamped_via == NoticeLetter.StampedVia.MANUAL and letter.has_current_stamped_copy
    assert ScanBatch.objects.count() == 1


def test_dispatched_tasks_refuse_every_change():
    world = CampaignWorld("notified")
    county, task, letter = world.user(Role.COUNTY), world.notice_task("130681"), world.letter
    with pytest.raises(ValidationError, match="任务已下发"):
        services.update_own(county, task, requirements="x")
    with pytest.raises(ValidationError, match="任务已下发"):
        services.attach_stamped_copy(county, letter, blank_pdf())
    with pytest.raises(ValidationError, match="任务已下发"):
        services.generate_letter(county, task, letter.member_id, expected_revision=1)
    with pytest.raises(ValidationError, match="任务已下发"):
        services.receive_scan(county, task, [scan_png(blank_page())])
    with pytest.raises(ValidationError, match="该任务已经下发"):
        services.dispatch(county, task, attested=True)
    with pytest.raises(PermissionDenied):  # someone else's dispatched task: not theirs to dispatch
        services.dispatch(world.user(Role.CITY), task, attested=True)


def test_pages_assigned_by_hand_make_up_the_letter_in_page_order(django_capture_on_commit_callbacks):
    """A two-page letter whose pages were not read: assigning page 2 then page 1 files both, in order."""
    import io

    from pypdf import PdfReader

    from qingshen.files.services import store

    world = CampaignWorld("verified")
    services.issue(world.user(Role.PROVINCE), world.campaign)
    services.dispatch(world.user(Role.CITY), world.notice_task("130600"), attested=True)
    county, task = world.user(Role.COUNTY), world.notice_task("130681")
    letter, _, _ = services.prepare_letter(county, task, world.member(world.e_zhuozhou))
    batch = ScanBatch.objects.create(task=task, uploaded_by=county)
    pages = []
    for index, size in ((1, 400), (2, 500)):
        image = store(county, f"p{index}.pdf", _sized_pdf(size), allowed=("pdf",))
        pages.append(ScanPage.objects.create(batch=batch, index=index, source_name=f"p{index}", image=image,
                                             outcome=ScanPage.Outcome.NO_CODE))
    services.assign_scan_page(county, pages[1], letter.pk, 2)
    services.assign_scan_page(county, pages[0], letter.pk, 1)
    letter.refresh_from_db()
    reader = PdfReader(io.BytesIO(letter.stamped_copy.open_content()))
    assert [round(float(p.mediabox.width)) for p in reader.pages] == [400, 500]
    assert letter.has_current_stamped_copy and letter.stamped_via == "manual"
    with pytest.raises(ValidationError, match="共 2 页"):
        extra = ScanPage.objects.create(batch=batch, index=3, source_name="p3", image=pages[0].image,
                                        outcome=ScanPage.Outcome.NO_CODE)
        services.assign_scan_page(county, extra, letter.pk, 3)


def _sized_pdf(width):
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=width, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
