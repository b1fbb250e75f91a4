"""Submitting a phase: refused with what is missing, accepted when complete, the enterprise
only, once; the snapshot keeps what was checked whatever the checklist says later."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from qingshen.audit_trail.models import Event
from qingshen.core.roles import Role
from qingshen.evidence import services as evidence
from qingshen.filings import services
from qingshen.filings.models import ChecklistItem, ItemKind, Phase, PhaseFiling
from qingshen.filings.tests.helpers import fill_preparation, filing, jpeg, pdf

pytestmark = pytest.mark.django_db


def test_an_incomplete_phase_is_refused_with_the_missing_items(world):
    enterprise, row = world.user(Role.ENTERPRISE), filing(world.project)
    fill_preparation(enterprise, row, photos=False)
    with pytest.raises(ValidationError) as refused:
        services.submit(enterprise, row)
    assert refused.value.messages == ["“审核准备”还有 1 项必填内容未完成，不能提交：", "宣传培训照片：请上传照片"]
    row.refresh_from_db()
    assert row.status == PhaseFiling.Status.IN_PROGRESS
    assert not Event.objects.filter(action="filing.submit").exists()


def test_a_complete_phase_is_submitted_with_its_snapshot(world):
    enterprise, row = world.user(Role.ENTERPRISE), filing(world.project)
    fill_preparation(enterprise, row)
    photo = evidence.current(row, "prep_training_photos").get()
    submitted = services.submit(enterprise, row, expected_version=row.version)
    assert submitted.status == PhaseFiling.Status.SUBMITTED
    assert submitted.submitted_by == enterprise and submitted.submitted_at is not None
    items = {item["code"]: item for item in submitted.snapshot["items"]}
    assert submitted.snapshot["checklist"] == "default"
    assert list(items) == ["prep_team", "prep_plan", "prep_training_records", "prep_training_photos"]
    assert items["prep_training_photos"]["evidence"] == [photo.pk] and items["prep_training_photos"]["filled"]
    event = Event.objects.get(action="filing.submit", object_id=str(row.pk))
    assert event.actor == enterprise and event.after["status"] == "submitted"
    assert event.after["snapshot"]["items"][0]["code"] == "prep_team"


def test_a_submitted_phase_takes_no_more_files_and_is_not_submitted_twice(world):
    enterprise, row = world.user(Role.ENTERPRISE), filing(world.project)
    fill_preparation(enterprise, row)
    shown_version = PhaseFiling.objects.get(pk=row.pk).version
    services.submit(enterprise, row, expected_version=shown_version)
    with pytest.raises(ValidationError, match="已于 .* 提交，不能重复提交"):
        services.submit(enterprise, row, expected_version=shown_version)
    row.refresh_from_db()
    assert not row.evidence_editable(enterprise)
    with pytest.raises(ValidationError, match="已提交"):
        evidence.attach(enterprise, row, pdf("迟到的文件.pdf", pages=3), slot="prep_team")


def test_a_stale_page_is_refused(world):
    enterprise, row = world.user(Role.ENTERPRISE), filing(world.project)
    fill_preparation(enterprise, row)
    with pytest.raises(ValidationError, match="页面打开后该阶段已有变动"):
        services.submit(enterprise, row, expected_version=row.version + 5)


def test_a_consultancy_fills_but_cannot_submit(world, login):
    consultancy, row = world.user(Role.CONSULTANCY), filing(world.project)
    fill_preparation(consultancy, row)  # filling on the enterprise's behalf is allowed
    with pytest.raises(PermissionDenied, match="只有企业本身可以提交"):
        services.submit(consultancy, row)
    client = login(consultancy)
    assert client.post(reverse("filings:submit", args=[row.pk])).status_code == 403
    assert client.post(reverse("phasefiling-submit", args=[row.pk])).status_code == 403
    page = client.get(reverse("filings:phase", args=[row.pk])).content.decode()
    assert "提交须由企业账号完成" in page and 'action="/filings/%d/submit/"' % row.pk not in page
    row.refresh_from_db()
    assert row.status != PhaseFiling.Status.SUBMITTED


def test_submitting_on_the_page(world, login):
    enterprise, row = world.user(Role.ENTERPRISE), filing(world.project)
    client = login(enterprise)
    page = client.get(reverse("filings:phase", args=[row.pk])).content.decode()
    assert "还有 4 项必填内容未完成" in page and "审核工作计划：请上传文件" in page
    response = client.post(reverse("filings:submit", args=[row.pk]), {"version": row.version}, follow=True)
    assert "不能提交" in response.content.decode() and "宣传培训照片：请上传照片" in response.content.decode()
    fill_preparation(enterprise, row)
    row.refresh_from_db()
    response = client.post(reverse("filings:submit", args=[row.pk]), {"version": row.version}, follow=True)
    html = response.content.decode()
    assert "已提交“审核准备”" in html and "本阶段已提交" in html


def test_the_submit_box_follows_the_files_added_on_the_page(world, login):
    """A file added in a panel (htmx) fires evidence-changed; the 提交 box, the summary and each
    item's status are then read again from the page, for those who fill it, until submitted."""
    enterprise, row = world.user(Role.ENTERPRISE), filing(world.project)
    url = reverse("filings:phase", args=[row.pk])
    html = login(enterprise).get(url).content.decode()
    box = html.split('id="submit-box"')[1].split(">")[0]
    assert f'hx-get="{url}"' in box and 'hx-trigger="evidence-changed from:body"' in box
    assert 'hx-select="#submit-box"' in box
    oob = box.split('hx-select-oob="')[1].split('"')[0].split(",")
    codes = ["prep_team", "prep_plan", "prep_training_records", "prep_training_photos"]
    assert oob == ["#phase-summary", *[f"#item-status-{code}" for code in codes]]
    for selector in oob:  # each is on the page, to be replaced by its new self
        assert f'id="{selector[1:]}"' in html
    assert 'hx-get' not in login(world.user(Role.COUNTY)).get(url).content.decode().split('id="submit-box"')[1][:50]
    fill_preparation(enterprise, row)
    services.submit(enterprise, row)
    assert 'hx-get' not in login(enterprise).get(url).content.decode().split('id="submit-box"')[1][:50]


def test_submitting_through_the_api(world, login):
    enterprise, row = world.user(Role.ENTERPRISE), filing(world.project)
    client = login(enterprise)
    url = reverse("phasefiling-submit", args=[row.pk])
    refused = client.post(url, {"version": row.version}, content_type="application/json")
    assert refused.status_code == 400
    assert "宣传培训照片：请上传照片" in refused.json()["missing"]
    fill_preparation(enterprise, row)
    detail = client.get(reverse("phasefiling-detail", args=[row.pk])).json()
    assert detail["required_done"] == detail["required_total"] == 4 and detail["missing"] == []
    accepted = client.post(url, {"version": detail["version"]}, content_type="application/json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "submitted"
    again = client.post(url, {}, content_type="application/json")
    assert again.status_code == 400 and "不能重复提交" in again.json()["detail"]


def test_a_later_checklist_edit_does_not_change_a_submitted_phase(world, login):
    enterprise, province = world.user(Role.ENTERPRISE), world.user(Role.PROVINCE)
    row = filing(world.project)
    fill_preparation(enterprise, row)
    services.submit(enterprise, row)
    services.copy_default(province, world.campaign)
    plan = ChecklistItem.objects.get(campaign=world.campaign, code="prep_plan")
    services.update_item(province, plan, title="审核工作计划（新要求）", kind=ItemKind.DOCUMENT, required=True)
    services.add_item(province, world.campaign, phase=Phase.PREPARATION, title="新增的必填照片", kind=ItemKind.PHOTO)
    row.refresh_from_db()
    assert [s for s in row.snapshot["items"] if s["code"] == "prep_plan"][0]["title"] == "审核工作计划"
    assert "新增的必填照片" not in row.evidence_slots.values()
    page = login(enterprise).get(reverse("filings:phase", args=[row.pk])).content.decode()
    assert "审核工作计划（新要求）" not in page and "新增的必填照片" not in page
    assert "必填项已完成 4 / 4" in page
    project_page = login(enterprise).get(reverse("filings:project", args=[world.project.pk])).content.decode()
    assert "4 / 4" in project_page.split('id="phase-preparation"')[1].split("</tr>")[0]
    # A phase not yet submitted follows the campaign's set as it is now.
    other = filing(world.project, Phase.PRE_ASSESSMENT)
    assert "新增的必填照片" not in other.evidence_slots.values()
    services.add_item(province, world.campaign, phase=Phase.PRE_ASSESSMENT, title="预审核新增照片",
                      kind=ItemKind.PHOTO)
    assert "预审核新增照片" in filing(world.project, Phase.PRE_ASSESSMENT).evidence_slots.values()
    evidence.attach(enterprise, other, jpeg("现场.jpg", shade=9), slot="pre_quick_wins")


def test_the_phases_a_stage_still_lacks(world):
    from qingshen.filings.completeness import unsubmitted_phases
    from qingshen.filings.models import Stage

    enterprise = world.user(Role.ENTERPRISE)
    assert len(unsubmitted_phases(world.project, Stage.EVALUATION)) == 6
    fill_preparation(enterprise, filing(world.project))
    services.submit(enterprise, filing(world.project))
    assert unsubmitted_phases(world.project, Stage.EVALUATION)[0] == Phase.PRE_ASSESSMENT
    assert unsubmitted_phases(world.project, Stage.ACCEPTANCE) == [
        Phase.IMPLEMENTATION, Phase.CONTINUOUS_IMPROVEMENT, Phase.ACCEPTANCE_REPORT]
