"""Whether an item is filled, per kind, with real files through the evidence services."""

import pytest
from django.urls import reverse

from qingshen.audit_trail.models import Event
from qingshen.core.roles import Role
from qingshen.evidence import services as evidence
from qingshen.filings import completeness, services, tables
from qingshen.filings.models import ItemKind, Phase, PhaseFiling
from qingshen.filings.tests.helpers import filing, jpeg, pdf

pytestmark = pytest.mark.django_db


def state_of(filing_row, code):
    filing_row = PhaseFiling.objects.get(pk=filing_row.pk)
    return next(s for s in completeness.for_filing(filing_row).items if s.item.code == code)


def test_a_photo_item_needs_an_image_not_just_any_file(world):
    user, row = world.user(Role.ENTERPRISE), filing(world.project)
    assert not state_of(row, "prep_training_photos").filled
    evidence.attach(user, row, pdf("培训签到表.pdf"), slot="prep_training_photos")
    state = state_of(row, "prep_training_photos")
    assert not state.filled
    assert "没有照片" in state.missing_text
    evidence.attach(user, row, jpeg("培训现场.jpg"), slot="prep_training_photos")
    assert state_of(row, "prep_training_photos").filled


def test_a_document_item_takes_any_current_file_and_a_withdrawn_one_no_longer_counts(world):
    user, row = world.user(Role.ENTERPRISE), filing(world.project)
    document = evidence.attach(user, row, pdf("领导小组文件.pdf"), slot="prep_team")
    state = state_of(row, "prep_team")
    assert state.filled and state.evidence_ids == [document.pk]
    replaced = evidence.replace(user, document, pdf("领导小组文件（修订）.pdf", pages=2))
    assert state_of(row, "prep_team").evidence_ids == [replaced.pk]
    evidence.withdraw(user, replaced)
    assert not state_of(row, "prep_team").filled
    assert state_of(row, "prep_team").missing_text == "审核领导小组和工作小组成立文件：请上传文件"


def test_a_table_item_is_filled_when_its_table_has_rows(world, made_up_table):
    province = world.user(Role.PROVINCE)
    services.copy_default(province, world.campaign)
    item = services.add_item(province, world.campaign, phase=Phase.PREPARATION, title="虚构数据项",
                             kind=ItemKind.TABLE, table_code="made_up_rows")
    row = filing(world.project)
    state = state_of(row, item.code)
    assert not state.filled and state.rows == 0
    assert state.missing_text == "虚构数据项：请填写数据表“虚构测试数据表”"
    made_up_table[world.project.pk] = 3
    state = state_of(row, item.code)
    assert state.filled and state.rows == 3
    assert state.table_url == f"/made-up-table/{world.project.pk}/"


def test_an_unregistered_table_is_not_filled_and_the_page_says_so(world, login, made_up_table, monkeypatch):
    province = world.user(Role.PROVINCE)
    services.copy_default(province, world.campaign)
    item = services.add_item(province, world.campaign, phase=Phase.PREPARATION, title="虚构数据项",
                             kind=ItemKind.TABLE, table_code="made_up_rows")
    monkeypatch.delitem(tables.TABLES, "made_up_rows")  # the item stays; its table is gone
    row = filing(world.project)
    state = state_of(row, item.code)
    assert not state.filled and state.rows is None
    assert "尚未提供" in state.missing_text
    page = login(world.user(Role.ENTERPRISE)).get(reverse("filings:phase", args=[row.pk]))
    assert page.status_code == 200
    assert "（数据表尚未提供）" in page.content.decode()


def test_the_first_file_starts_the_phase_for_its_uploader(world):
    consultancy, row = world.user(Role.CONSULTANCY), filing(world.project)
    evidence.attach(consultancy, row, pdf("工作计划.pdf"), slot="prep_plan")
    row.refresh_from_db()
    assert row.status == PhaseFiling.Status.IN_PROGRESS
    event = Event.objects.get(action="filing.start", object_id=str(row.pk))
    assert event.actor == consultancy
    assert event.after["status"] == "in_progress"
    evidence.attach(consultancy, row, pdf("培训记录.pdf", pages=2), slot="prep_training_records")
    assert Event.objects.filter(action="filing.start", object_id=str(row.pk)).count() == 1
    other = filing(world.project, Phase.ASSESSMENT)
    assert other.status == PhaseFiling.Status.NOT_STARTED


def test_the_project_page_counts_required_items_per_phase(world, login):
    user, row = world.user(Role.ENTERPRISE), filing(world.project)
    evidence.attach(user, row, pdf("领导小组文件.pdf"), slot="prep_team")
    page = login(user).get(reverse("filings:project", args=[world.project.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "评估阶段" in html and "验收阶段" in html
    section = html.split('id="phase-preparation"')[1].split("</tr>")[0]
    assert "1 / 4" in section and "填报中" in section
    assert "时间节点" in html  # the deadlines box
