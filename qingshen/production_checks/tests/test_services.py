"""The service: scoring through the benchmarking functions, the target check inside and outside
an approved park, the conclusion rule, immutability, stale pages and double submits, the trail."""

import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qingshen.audit_trail.models import Event
from qingshen.benchmarking import definition as spec
from qingshen.benchmarking import scoring
from qingshen.benchmarking import services as benchmarking
from qingshen.benchmarking.tests.helpers import REQ, answers
from qingshen.core.roles import Role
from qingshen.enterprises.models import Enterprise
from qingshen.production_checks import services
from qingshen.production_checks.models import ProductionCheck
from qingshen.production_checks.presentation import shortfall_lines
from qingshen.production_checks.tests.helpers import (
    MET,
    NOT_MET,
    RESUMPTION,
    peer_check,
    record,
    trial_system,
    verified_system,
)


def events(action, obj):
    return Event.objects.filter(action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk))


def test_result_is_the_benchmarking_scoring(world):
    check = record(world, in_approved_park=True, centralized_treatment=True)
    expected = scoring.evaluate(spec.from_json(verified_system(world).definition), answers()).as_dict()
    assert check.result == expected
    assert (check.level, check.trial) == ("II", False)
    assert check.result["indices"] == {"I": "56.00", "II": "100.00", "III": "100.00"}
    assert check.target_levels == {"overall_level": "II", "water_level_in_park": "II", "water_level_outside": "I"}
    assert (check.city_code, check.county_code) == ("130600", "130681")
    assert [v.seq for v in check.values.all()] == [1, 2, 3, 4, 5]


def test_inside_an_approved_park_the_water_target_is_level_II(world):
    check = record(world, in_approved_park=True, centralized_treatment=True)
    assert check.target_met is True
    assert check.target["water_level"] == "II" and check.target["water_shortfalls"] == []


@pytest.mark.parametrize(("park", "centralised"), [(False, False), (True, False), (False, True)])
def test_outside_a_park_or_without_treatment_water_indicators_need_level_I(world, park, centralised):
    check = record(world, in_approved_park=park, centralized_treatment=centralised)
    assert check.target_met is False and check.target["overall_met"] is True
    assert check.target["water_level"] == "I"
    assert [s["seq"] for s in check.target["water_shortfalls"]] == [2, 3]
    assert shortfall_lines(check.target) == ["第 2 项 虚构单位产品取水量（涉水）需 I级：≤2 m3/t",
                                             "第 3 项 虚构水重复利用率（涉水）需 I级：≥90 %"]


def test_overall_level_short_names_every_indicator_below_target(world):
    check = record(world, in_approved_park=True, centralized_treatment=True,
                   answers=answers(qualitative=REQ[:1], water=Decimal("5"), reuse=Decimal("75"), metal_a=Decimal("72")))
    assert check.level == "III" and check.target_met is False and check.target["overall_met"] is False
    lines = shortfall_lines(check.target)
    assert "第 2 项 虚构单位产品取水量（涉水）需 II级：≤4 m3/t" in lines
    assert "第 1 项 虚构工艺要求需 II级：虚构要求乙" in lines
    assert "整体III级，目标II级及以上" in services.shortfall_summary(check)


def test_the_campaigns_own_target_applies(world):
    benchmarking.save_target(world.user(Role.PROVINCE), world.campaign,
                             {"overall_level": "II", "water_level_in_park": "II", "water_level_outside": "II"})
    with_campaign = record(world, campaign=world.campaign)
    assert with_campaign.target_met is True and with_campaign.target_levels["water_level_outside"] == "II"
    assert record(world).target_met is False  # without a campaign: the seed's defaults


def test_conclusion_must_follow_the_check(world):
    with pytest.raises(ValidationError) as caught:
        record(world, conclusion=MET, opinion="测试")
    assert "不能作出“达到”的结论" in str(caught.value) and "第 2 项虚构单位产品取水量" in str(caught.value)
    assert not ProductionCheck.objects.exists()  # all or nothing: the draft was not kept either
    check = record(world, conclusion=NOT_MET)
    assert check.conclusion_text == "未达到清洁生产目标水平，不满足投产前置条件"
    met = record(world, in_approved_park=True, centralized_treatment=True)
    with pytest.raises(ValidationError, match="结论应与核查结果一致"):
        services.conclude(world.user(Role.COUNTY), met, conclusion=NOT_MET)
    services.conclude(world.user(Role.COUNTY), met, conclusion=MET)
    met.refresh_from_db()
    assert met.conclusion_text == "达到清洁生产目标水平，满足投产前置条件" and met.concluded_by == world.user(Role.COUNTY)


def test_a_trial_system_gives_no_conclusion(world):
    check = record(world, system=trial_system(world), in_approved_park=True, centralized_treatment=True)
    assert check.trial is True and check.result["trial"] is True
    assert "试算" in services.refusal(check)
    for conclusion in (MET, NOT_MET):
        with pytest.raises(ValidationError, match="结果只是试算，不能作出投产（复产）结论"):
            services.conclude(world.user(Role.COUNTY), check, conclusion=conclusion)
    check.refresh_from_db()
    assert not check.is_concluded


def test_an_unanswered_indicator_blocks_the_conclusion(world):
    blank = answers()
    blank[3] = {"applicable": True, "value": None, "met": []}
    check = record(world, answers=blank)
    with pytest.raises(ValidationError, match="第 3 项适用指标未填写"):
        services.conclude(world.user(Role.COUNTY), check, conclusion=NOT_MET)


def test_concluded_checks_never_change_and_are_on_the_trail(world):
    check = record(world)
    county = world.user(Role.COUNTY)
    services.conclude(county, check, conclusion=NOT_MET, opinion="涉水指标未达 I 级（测试）", version=check.version)
    check.refresh_from_db()
    with pytest.raises(ValidationError, match="该核查已作出结论，不能再修改"):
        services.save_check(county, check, enterprise=world.e_zhuozhou, kind=check.kind, project_name="改名（测试）",
                            system=check.system, answers=answers(), in_approved_park=True,
                            centralized_treatment=True, version=check.version)
    with pytest.raises(ValidationError, match="该核查已作出结论"):
        services.conclude(county, check, conclusion=NOT_MET, version=check.version)
    assert ProductionCheck.objects.get(pk=check.pk).project_name == "年产 5 万吨测试产品项目（测试）"
    recorded = events("production_checks.recorded", check).get()
    concluded = events("production_checks.concluded", check).get()
    assert recorded.before is None and recorded.after["indicator_system"]["code"] == "made-up-test-system"
    assert recorded.after["values"][1] == {"seq": 2, "applicable": True, "value": "3.0000", "met": []}
    assert concluded.before["conclusion"] == "" and concluded.after["conclusion"] == "not_met"


def test_a_new_check_after_improvements_is_a_new_row(world):
    first = record(world, conclusion=NOT_MET)
    second = record(world, answers=answers(water=Decimal("1.5"), reuse=Decimal("95")), conclusion=MET)
    assert first.pk != second.pk
    assert list(ProductionCheck.objects.filter(enterprise=world.e_zhuozhou)) == [second, first]  # newest first


def test_stale_pages_and_double_submits_are_refused(world):
    token = uuid.uuid4()
    check = record(world, token=token)
    with pytest.raises(ValidationError, match="重复提交"):
        record(world, token=token)
    assert ProductionCheck.objects.count() == 1
    county = world.user(Role.COUNTY)
    edit = dict(enterprise=world.e_zhuozhou, kind=check.kind, project_name="修改后的项目（测试）", system=check.system,
                answers=answers(), in_approved_park=True, centralized_treatment=True)
    services.save_check(county, check, version=check.version, **edit)
    with pytest.raises(ValidationError, match="请刷新页面"):
        services.save_check(county, check, version=check.version, **edit)  # the old page again
    with pytest.raises(ValidationError, match="请刷新页面"):
        services.conclude(county, check, conclusion=MET, version=check.version)
    check.refresh_from_db()
    assert check.version == 2 and check.target_met is True
    assert events("production_checks.recorded", check).order_by("seq").last().before["project_name"] == "年产 5 万吨测试产品项目（测试）"


def test_input_rules(world):
    with pytest.raises(ValidationError) as caught:
        record(world, project_name="  ")
    assert caught.value.message_dict == {"project_name": ["新建项目须填写项目名称。"]}
    assert record(world, kind=RESUMPTION, project_name="").project_name == ""
    with pytest.raises(ValidationError) as caught:
        record(world, system=None)
    assert "与同行业对比的说明" in caught.value.message_dict["peer_comparison"][0]
    with pytest.raises(ValidationError, match="第 2 项（虚构单位产品取水量）：“abc”不是数字"):
        record(world, answers={**answers(), 2: {"applicable": True, "value": "abc", "met": []}})


def test_without_a_system_the_official_judges_with_reasons(world):
    county = world.user(Role.COUNTY)
    check = peer_check(world.e_zhuozhou, county)
    assert check.result is None and check.target_met is None and services.expected_conclusion(check) is None
    with pytest.raises(ValidationError, match="请填写判断理由"):
        services.conclude(county, check, conclusion=MET)
    services.conclude(county, check, conclusion=MET, opinion="主要指标优于同行业测试企业（测试）")
    check.refresh_from_db()
    assert check.conclusion_text == "达到清洁生产目标水平，满足复产前置条件"


def test_jurisdiction_and_permission(world):
    with pytest.raises(PermissionDenied, match="不在您的辖区内"):
        record(world, enterprise=world.e_lianchi)
    with pytest.raises(PermissionDenied, match="无权"):
        record(world, role=Role.ENTERPRISE)
    check = record(world, role=Role.CITY, enterprise=world.e_lianchi)
    with pytest.raises(PermissionDenied, match="该核查不在您的辖区内"):
        services.conclude(world.user(Role.COUNTY), check, conclusion=NOT_MET)


def test_resumption_warns_when_the_enterprise_is_not_suspended(world):
    assert "不是“停产”" in services.resumption_warning(RESUMPTION, world.e_zhuozhou)
    assert services.resumption_warning(ProductionCheck.Kind.NEW, world.e_zhuozhou) == ""
    Enterprise.objects.filter(pk=world.e_zhuozhou.pk).update(status="suspended")
    suspended = Enterprise.objects.get(pk=world.e_zhuozhou.pk)
    assert services.resumption_warning(RESUMPTION, suspended) == ""
    check = record(world, kind=RESUMPTION, in_approved_park=True, centralized_treatment=True, conclusion=MET)
    assert check.enterprise_status == "suspended"
    assert Enterprise.objects.get(pk=world.e_zhuozhou.pk).status == "suspended"  # never changed by the check


def test_an_indicator_system_a_check_was_computed_against_is_frozen(world):
    """Like a benchmark, a production check keeps the version it was scored with unchanged."""
    system = verified_system(world)
    assert not benchmarking.is_frozen(system)
    record(world, in_approved_park=True, centralized_treatment=True)
    assert benchmarking.is_frozen(system)
