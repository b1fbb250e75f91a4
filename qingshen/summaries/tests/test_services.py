"""Saving, submitting and returning a summary: the text is required to submit (each missing
part named), a second submit or a stale page is refused, only the level directly above
returns (version + 1 carrying the text), the figures and documents are frozen at submission,
every change is in the audit trail; and the due items judge the first submission."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qingshen.audit_trail.models import Event
from qingshen.campaigns import services as campaigns
from qingshen.campaigns.models import MilestoneKind
from qingshen.core.roles import Role
from qingshen.options.models import Option
from qingshen.options.tests.helpers import make_option
from qingshen.organizations.models import Organization
from qingshen.summaries import due, services
from qingshen.summaries.models import SummaryReport
from qingshen.summaries.tests.helpers import arrange

TEXT = {"progress": "测试：组织开展情况", "achievements": "测试：取得成效", "problems": "测试：存在问题",
        "next_steps": "测试：下一步工作"}


def written(world, role=Role.COUNTY, kind="work", **texts):
    return services.save_draft(world.user(role), world.campaign, kind, stamp_seen="", **{**TEXT, **texts})


def submitted(world, role=Role.COUNTY, kind="work"):
    report = written(world, role, kind)
    return services.submit(world.user(role), report, stamp_seen=services.stamp(report))


def test_submit_without_text_is_refused_naming_the_fields(world):
    report = written(world, problems="", next_steps="  ")
    with pytest.raises(ValidationError) as refused:
        services.submit(world.user(Role.COUNTY), report, stamp_seen=services.stamp(report))
    assert refused.value.message_dict == {"problems": ["请填写“存在的问题”后再报送。"],
                                          "next_steps": ["请填写“下一步工作”后再报送。"]}
    report.refresh_from_db()
    assert report.status == "draft" and report.figures is None and report.progress == TEXT["progress"]


def test_submit_freezes_figures_and_stores_the_documents(world):
    arrange(world)
    report = submitted(world)
    assert report.status == "submitted" and report.submitted_by == world.user(Role.COUNTY)
    assert report.figures["region"]["code"] == "130681"
    assert report.figures["total"]["options"]["all"]["total"]["investment"] == "122.50"
    assert report.pdf_file.mime == "application/pdf" and report.xlsx_file.original_name.endswith("第1版.xlsx")
    pdf_hash = report.pdf_file.sha256
    make_option(world.project, "F9", cost_class=Option.CostClass.HIGH, investment=Decimal("500.00"))
    report.refresh_from_db()
    assert report.figures["total"]["options"]["all"]["total"]["investment"] == "122.50"
    assert report.pdf_file.sha256 == pdf_hash
    event = Event.objects.filter(action="summaries.submit", object_id=str(report.pk)).get()
    assert event.before["status"] == "draft" and event.after["status"] == "submitted"


def test_double_submit_and_stale_pages_are_refused(world):
    report = written(world)
    old = services.stamp(report)
    report = services.save_draft(world.user(Role.COUNTY), world.campaign, "work", stamp_seen=old,
                                 progress="测试：改过的开展情况")
    with pytest.raises(ValidationError, match="页面已过期"):
        services.save_draft(world.user(Role.COUNTY), world.campaign, "work", stamp_seen=old, progress="测试：旧页面")
    with pytest.raises(ValidationError, match="页面已过期"):
        services.submit(world.user(Role.COUNTY), report, stamp_seen=old)
    services.submit(world.user(Role.COUNTY), report, stamp_seen=services.stamp(report))
    with pytest.raises(ValidationError, match="不能重复报送"):
        services.submit(world.user(Role.COUNTY), report, stamp_seen=services.stamp(report))
    with pytest.raises(ValidationError, match="已报送，不能再修改"):
        services.save_draft(world.user(Role.COUNTY), world.campaign, "work", stamp_seen="", progress="测试")
    assert SummaryReport.objects.filter(campaign=world.campaign).count() == 1


def test_only_the_level_directly_above_returns(world):
    report = submitted(world)
    for user in (world.user(Role.COUNTY), world.user(Role.PROVINCE), world.other_city_user):
        with pytest.raises(PermissionDenied):
            services.return_report(user, report, reason="测试：退回")
    with pytest.raises(ValidationError, match="请填写退回原因"):
        services.return_report(world.user(Role.CITY), report, reason=" ")
    following = services.return_report(world.user(Role.CITY), report, reason="测试：数据需核实")
    report.refresh_from_db()
    assert report.status == "returned" and report.return_reason == "测试：数据需核实"
    assert (following.version, following.status, following.progress) == (2, "draft", TEXT["progress"])
    with pytest.raises(ValidationError, match="只能退回已报送的版本"):
        services.return_report(world.user(Role.CITY), report, reason="测试：再退")
    assert Event.objects.filter(action="summaries.return", object_id=str(report.pk)).get().after["status"] == "returned"
    resubmitted = services.submit(world.user(Role.COUNTY), following, stamp_seen=services.stamp(following))
    assert resubmitted.version == 2 and resubmitted.status == "submitted"


def test_the_city_reports_to_the_province_which_only_finalises(world):
    city_report = submitted(world, Role.CITY)
    assert city_report.figures["row_label"] == "区县"
    with pytest.raises(PermissionDenied):
        services.return_report(world.user(Role.CITY), city_report, reason="测试")
    services.return_report(world.user(Role.PROVINCE), city_report, reason="测试：补充分县数据")
    province_report = submitted(world, Role.PROVINCE)
    assert services.receiver_code(province_report.organization) == ""
    for user in (world.user(Role.PROVINCE), world.user(Role.CITY)):
        with pytest.raises(PermissionDenied):
            services.return_report(user, province_report, reason="测试")
    with pytest.raises(ValidationError, match="已定稿"):
        services.save_draft(world.user(Role.PROVINCE), world.campaign, "work", stamp_seen="", progress="测试")


def test_a_city_without_counties_reports_to_the_province(world):
    report = services.save_draft(world.dingzhou_user, world.campaign, "work", stamp_seen="", **TEXT)
    report = services.submit(world.dingzhou_user, report, stamp_seen=services.stamp(report))
    assert report.figures["total"]["stages"]["roster"] == 1
    assert report.figures["rows"] == []  # no county below it: no table by region
    with pytest.raises(PermissionDenied):
        services.return_report(world.user(Role.CITY), report, reason="测试：保定不能退回定州")
    assert services.return_report(world.user(Role.PROVINCE), report, reason="测试：退回定州").version == 2


def test_who_may_write(world):
    for role in (Role.ENTERPRISE, Role.PERMIT_AUTHORITY, Role.CONSULTANCY):
        with pytest.raises(PermissionDenied):
            services.save_draft(world.user(role), world.campaign, "work", stamp_seen="", **TEXT)
    with pytest.raises(ValidationError, match="未知的报告类型"):
        services.save_draft(world.user(Role.COUNTY), world.campaign, "annual", stamp_seen="", **TEXT)


def test_kinds_are_separate_reports_with_their_own_milestone(world):
    work = written(world)
    evaluation = written(world, kind="evaluation")
    assert work.pk != evaluation.pk and evaluation.version == 1
    assert (work.milestone_kind, evaluation.milestone_kind) == (MilestoneKind.WORK_SUMMARY,
                                                                MilestoneKind.EVALUATION_SUMMARY)
    assert evaluation.title.endswith("审核方案评估情况的汇总")


def test_due_items_judge_the_first_submission(world, django_assert_num_queries):
    today = timezone.localdate()
    campaigns.set_milestone(world.user(Role.PROVINCE), world.campaign, kind=MilestoneKind.WORK_SUMMARY,
                            due_date=today + timedelta(days=30))
    campaigns.set_milestone(world.user(Role.CITY), world.campaign, kind=MilestoneKind.WORK_SUMMARY,
                            due_date=today - timedelta(days=1))
    submitted(world)  # 涿州: the city's date (yesterday) applies, so late
    departments = {o.region_id: o for o in Organization.objects.filter(
        region_id__in=["130681", "130606", "130600"], kind__in=Organization.DEPARTMENT_KINDS).select_related("region")}
    zhuozhou, lianchi, city = departments["130681"], departments["130606"], departments["130600"]
    with django_assert_num_queries(3):
        items = due.items(world.campaign, [zhuozhou, lianchi, city], "work")
    assert [(i.due, i.state) for i in items] == [
        (today - timedelta(days=1), "late"),
        (today - timedelta(days=1), "overdue"),
        (today + timedelta(days=30), "open")]  # the city's own date does not bind the city
    assert [i.state_label for i in items] == ["逾期完成", "已逾期", "未到期"]
    assert items[0].done == today and items[0].report.status == "submitted"
    evaluation = due.items(world.campaign, [zhuozhou], "evaluation")[0]
    assert (evaluation.due, evaluation.state, evaluation.report) == (None, "open", None)
