from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qingshen.applications import services
from qingshen.applications.models import Application, Stage
from qingshen.applications.tests.helpers import FORM, phases_submitted, start_submitted
from qingshen.audit_trail.models import Event
from qingshen.campaigns import services as campaigns
from qingshen.campaigns.models import Milestone, MilestoneKind
from qingshen.core.roles import Role
from qingshen.options.models import Option


def evaluation_due(world, day):
    """The evaluation application's date, set by the province alone (the world's own dates removed)."""
    Milestone.objects.filter(campaign=world.campaign, kind=MilestoneKind.EVALUATION_APPLICATION).delete()
    campaigns.set_milestone(world.user(Role.PROVINCE), world.campaign, kind=MilestoneKind.EVALUATION_APPLICATION,
                            due_date=day)


@pytest.fixture
def world(campaign_world):
    evaluation_due(campaign_world, timezone.localdate() + timedelta(days=30))
    return campaign_world


def test_a_half_filled_draft_is_kept_and_edits_need_the_version_read(world):
    enterprise = world.user(Role.ENTERPRISE)
    draft = services.save_draft(enterprise, world.project, Stage.EVALUATION, {"contact_person": "张建国"}, version=0)
    assert (draft.number, draft.status, draft.contact_person, draft.summary) == (1, "draft", "张建国", "")
    consultancy = world.user(Role.CONSULTANCY)
    services.save_draft(consultancy, world.project, Stage.EVALUATION, {"summary": "概述"}, version=draft.version)
    with pytest.raises(ValidationError, match="申请表已被修改"):
        services.save_draft(enterprise, world.project, Stage.EVALUATION, {"summary": "旧页面"}, version=draft.version)
    assert Application.objects.get(pk=draft.pk).summary == "概述"
    assert Event.objects.filter(action="application.save").count() == 2


def test_officials_read_but_do_not_fill(world):
    with pytest.raises(PermissionDenied):
        services.save_draft(world.user(Role.COUNTY), world.project, Stage.EVALUATION, FORM, version=0)


def test_submission_lists_what_is_missing_then_freezes_the_contents(world):
    enterprise = world.user(Role.ENTERPRISE)
    draft = services.save_draft(enterprise, world.project, Stage.EVALUATION, FORM, version=0)
    with pytest.raises(ValidationError) as refused:
        services.submit(enterprise, draft, version=draft.version)
    assert "项目启动尚未提交" in refused.value.messages[0] and "“预审核”阶段痕迹尚未提交" in refused.value.messages[0]
    start_submitted(world.project)
    phases_submitted(world.project, Stage.EVALUATION)
    option = Option.objects.create(project=world.project, code="F1", name="印染废水分质回用（测试）",
                                   cost_class=Option.CostClass.HIGH, investment="120.00")
    submitted = services.submit(enterprise, draft, version=draft.version)
    assert submitted.status == Application.Status.SUBMITTED and submitted.submitted_by == enterprise
    frozen_options = submitted.contents["options"]["option"]
    assert [o["name"] for o in frozen_options] == ["印染废水分质回用（测试）"]
    # later edits never change what was submitted
    Option.objects.filter(pk=option.pk).update(name="改过的名称")
    assert Application.objects.get(pk=submitted.pk).contents["options"]["option"][0]["name"] == "印染废水分质回用（测试）"
    assert Event.objects.filter(action="application.submit", object_id=str(submitted.pk)).exists()
    with pytest.raises(ValidationError, match="请勿重复提交"):
        services.submit(enterprise, submitted, version=submitted.version)
    # no next round while the application is under review; after a return, a new draft, version 2
    with pytest.raises(ValidationError, match="正在审核中"):
        services.save_draft(enterprise, world.project, Stage.EVALUATION, FORM, version=0)
    from qingshen.reviews import services as reviews
    from qingshen.reviews.steps import steps_of

    county = world.user(Role.COUNTY)
    reviews.check_steps(county, submitted.review, {code: (code != "preparation", "缺少培训照片（测试）")
                                                   for code, _ in steps_of(Stage.EVALUATION)})
    reviews.conclude_intake(county, submitted.review)
    again = services.save_draft(enterprise, world.project, Stage.EVALUATION, FORM, version=0)
    assert again.number == 2 and again.pk != submitted.pk


def test_only_the_enterprise_submits_and_the_form_must_be_complete(world):
    start_submitted(world.project)
    phases_submitted(world.project, Stage.EVALUATION)
    draft = services.save_draft(world.user(Role.CONSULTANCY), world.project, Stage.EVALUATION,
                                {"contact_person": "张建国"}, version=0)
    with pytest.raises(PermissionDenied, match="只有企业账号"):
        services.submit(world.user(Role.CONSULTANCY), draft, version=draft.version)
    with pytest.raises(ValidationError) as refused:
        services.submit(world.user(Role.ENTERPRISE), draft, version=draft.version)
    assert set(refused.value.message_dict) == {"contact_phone", "summary"}


def test_a_late_submission_needs_confirmation_and_is_recorded(world):
    past = timezone.localdate() - timedelta(days=3)
    evaluation_due(world, past)
    start_submitted(world.project)
    phases_submitted(world.project, Stage.EVALUATION)
    enterprise = world.user(Role.ENTERPRISE)
    draft = services.save_draft(enterprise, world.project, Stage.EVALUATION, FORM, version=0)
    with pytest.raises(ValidationError) as refused:
        services.submit(enterprise, draft, version=draft.version)
    assert "逾期" not in refused.value.message_dict.get("summary", [""])[0]
    assert refused.value.message_dict["confirm_late"][0].startswith(f"已超过评估申请截止日期（{past.year}年")
    assert "3 天" in refused.value.message_dict["confirm_late"][0]
    submitted = services.submit(enterprise, draft, version=draft.version, confirm_late=True)
    assert (submitted.due_date, submitted.late_days) == (past, 3)


def test_acceptance_needs_the_evaluation_application_first(world):
    start_submitted(world.project)
    phases_submitted(world.project, Stage.ACCEPTANCE)
    enterprise = world.user(Role.ENTERPRISE)
    draft = services.save_draft(enterprise, world.project, Stage.ACCEPTANCE, FORM, version=0)
    with pytest.raises(ValidationError, match="评估申请尚未提交"):
        services.submit(enterprise, draft, version=draft.version)
    assert Application.objects.get(pk=draft.pk).status == "draft"
