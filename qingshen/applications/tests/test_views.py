from datetime import timedelta

import pytest
from django.utils import timezone

from qingshen.applications.models import Application
from qingshen.applications.tests.helpers import FORM, phases_submitted, start_submitted
from qingshen.applications.tests.test_services import evaluation_due
from qingshen.core.roles import Role


@pytest.fixture
def world(campaign_world):
    evaluation_due(campaign_world, timezone.localdate() + timedelta(days=12))
    return campaign_world


def url(world):
    return f"/applications/project/{world.project.pk}/evaluation/"


def test_the_enterprise_sees_what_is_missing_and_its_due_date(world, client, login):
    login(world.user(Role.ENTERPRISE))
    page = client.get(url(world))
    text = page.content.decode()
    assert page.status_code == 200
    assert "提交前还需完成" in text and "项目启动尚未提交" in text
    assert "还有 12 天" in text  # the deadlines box
    assert 'id="submit-application"' in text


def test_a_consultancy_fills_but_sees_no_submit_button_and_officials_only_read(world, client, login):
    login(world.user(Role.CONSULTANCY))
    text = client.get(url(world)).content.decode()
    assert 'id="application-form"' in text and 'id="submit-application"' not in text
    login(world.user(Role.COUNTY))
    text = client.get(url(world)).content.decode()
    assert 'id="application-form"' not in text
    assert client.post(url(world), {**FORM, "action": "save", "version": 0}).status_code == 403


def test_submitting_too_early_keeps_everything_typed_as_a_draft(world, client, login):
    login(world.user(Role.ENTERPRISE))
    page = client.post(url(world), {**FORM, "action": "submit", "version": 0})
    assert page.status_code == 200
    text = page.content.decode()
    assert "还不能提交评估申请" in text and "项目启动尚未提交" in text
    assert FORM["summary"] in text  # typed values kept on the page
    draft = Application.objects.get(project=world.project)
    assert (draft.status, draft.summary) == ("draft", FORM["summary"])  # and saved


def test_submitting_when_ready_leads_to_the_frozen_version(world, client, login):
    start_submitted(world.project)
    phases_submitted(world.project, "evaluation")
    login(world.user(Role.ENTERPRISE))
    page = client.post(url(world), {**FORM, "action": "submit", "version": 0})
    application = Application.objects.get(project=world.project)
    assert page.status_code == 302 and page["Location"] == f"/applications/{application.pk}/"
    text = client.get(page["Location"]).content.decode()
    assert "已提交评估申请（第 1 版）" in text and "提交时冻结的内容" in text
    login(world.user(Role.CITY))
    assert client.get(page["Location"]).status_code == 200


def test_the_frozen_version_keeps_pointing_at_the_files_reviewers_saw(world, client, login):
    """A file replaced after submission: the submitted version still lists, and serves, the old one."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from conftest import blank_pdf
    from qingshen.evidence import services as evidence

    enterprise = world.user(Role.ENTERPRISE)
    first = evidence.attach(enterprise, world.project, blank_pdf("审核工作计划（测试）.pdf"), slot="general")
    start_submitted(world.project)
    phases_submitted(world.project, "evaluation")
    login(enterprise)
    client.post(url(world), {**FORM, "action": "submit", "version": 0})
    application = Application.objects.get(project=world.project)
    evidence.replace(enterprise, first, SimpleUploadedFile("审核工作计划（修订）.pdf", blank_pdf(pages=2).read(),
                                                            content_type="application/pdf"))
    page = client.get(f"/applications/{application.pk}/").content.decode()
    assert f'href="/evidence/{first.pk}/download/"' in page and "审核工作计划（测试）.pdf" in page
    assert "审核工作计划（修订）.pdf" not in page
    download = client.get(f"/evidence/{first.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == first.stored.open_content()


def test_the_list_shows_each_reader_its_own_jurisdiction(world, client, login):
    from qingshen.projects.tests.jurisdiction import other_project

    elsewhere = other_project(world, world.e_lianchi, "202113060600001")
    Application.objects.create(project=world.project, stage="evaluation")
    Application.objects.create(project=elsewhere, stage="evaluation")
    for user, sees, hidden in ((world.user(Role.COUNTY), world.project.number, elsewhere.number),
                               (world.user(Role.ENTERPRISE), world.project.number, elsewhere.number),
                               (world.user(Role.CITY), elsewhere.number, "没有符合条件")):
        login(user)
        text = client.get("/applications/").content.decode()
        assert sees in text and hidden not in text.split('id="application-table"')[1], user


def test_the_frozen_version_shows_the_option_ledger_as_submitted(world, client, login):
    """Reviewers read the options as they were: a rename after submitting changes the draft
    project, not the submitted version."""
    from decimal import Decimal

    from qingshen.options import services as options
    from qingshen.options.models import Option
    from qingshen.options.tests.helpers import make_feasibility, make_option

    enterprise = world.user(Role.ENTERPRISE)
    low = make_option(world.project, "F1", name="测试无低费方案（虚构）", status=Option.Status.IMPLEMENTED,
                      investment=Decimal("0.80"), economic_benefit=Decimal("3.50"))
    high = make_option(world.project, "F2", name="测试中高费方案（虚构）", cost_class=Option.CostClass.HIGH,
                       investment=Decimal("100"))
    make_feasibility(high)
    make_option(world.project, "F3", name="测试未分析方案（虚构）", cost_class=Option.CostClass.HIGH)
    start_submitted(world.project)
    phases_submitted(world.project, "evaluation")
    login(enterprise)
    client.post(url(world), {**FORM, "action": "submit", "version": 0})
    application = Application.objects.get(project=world.project)
    options.update_option(enterprise, low, expected_version=low.version, name="测试无低费方案（改名，虚构）")
    page = client.get(f"/applications/{application.pk}/").content.decode()
    table = page.split('id="frozen-options"')[1].split("</table>")[0]
    rows = table.split("<tr>")[2:]
    assert ["测试无低费方案（虚构）" in rows[0], "无低费" in rows[0], "已实施" in rows[0], "0.80" in rows[0],
            "3.50" in rows[0], "无需" in rows[0]] == [True] * 6
    assert "测试中高费方案（虚构）" in rows[1] and "经济上可行" in rows[1]
    assert "测试未分析方案（虚构）" in rows[2] and "未填写" in rows[2]
    assert "改名" not in page
