"""The services: who may change the ledger, the audit trail, stale edits, bad input."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qingshen.audit_trail.models import Event
from qingshen.core.roles import Role
from qingshen.options import services
from qingshen.options.models import Feasibility, Option
from qingshen.options.tests.helpers import make_option, project_for

FEASIBILITY_INPUTS = dict(investment=Decimal("100"), annual_savings=Decimal("30"), depreciation_years=10,
                          tax_rate=Decimal("25"), discount_rate=Decimal("10"), economic_life=10)


def add(world, role=Role.ENTERPRISE, **data):
    data.setdefault("name", "冷凝水回收（测试）")
    return services.create_option(world.user(role), world.project, **data)


def events(action, obj):
    return Event.objects.filter(action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk))


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.CONSULTANCY])
def test_enterprise_and_its_consultancy_add_options(world, role):
    option = add(world, role, cost_class=Option.CostClass.HIGH, investment=Decimal("120.5"),
                 water_saved=Decimal("3000"))
    assert option.code == "F1"
    assert (option.province_code, option.city_code, option.county_code) == ("130000", "130600", "130681")
    event = events("option.create", option).get()
    assert event.actor == world.user(role)
    assert event.after["investment"] == "120.50" and event.after["cost_class"] == "high"


@pytest.mark.parametrize("role", [Role.PROVINCE, Role.CITY, Role.COUNTY, Role.EXPERT, Role.SYSADMIN,
                                  Role.PERMIT_AUTHORITY])
def test_others_may_not_change_the_ledger(world, role):
    option = make_option(world.project, "F9")
    with pytest.raises(PermissionDenied):
        add(world, role)
    with pytest.raises(PermissionDenied):
        services.update_option(world.user(role), option, name="改名")
    with pytest.raises(PermissionDenied):
        services.delete_option(world.user(role), option)
    assert Option.objects.get(pk=option.pk).name == "测试方案F9"


def test_another_enterprise_cannot_touch_this_project(world):
    option = make_option(world.project, "F1")
    with pytest.raises(PermissionDenied):
        services.create_option(world.other_enterprise_user, world.project, name="越权方案")
    with pytest.raises(PermissionDenied):
        services.update_option(world.other_enterprise_user, option, name="越权修改")
    with pytest.raises(PermissionDenied):
        services.save_feasibility(world.other_enterprise_user, option, **FEASIBILITY_INPUTS)


def test_codes_are_suggested_and_unique(world):
    assert add(world).code == "F1"
    assert add(world, code="F7").code == "F7"
    assert add(world).code == "F8"
    assert add(world, code="无-1").code == "无-1"
    assert add(world).code == "F9"
    with pytest.raises(ValidationError) as caught:
        add(world, code="f7")
    assert caught.value.message_dict["code"] == ["本项目已有编号为 f7 的方案，请换一个编号。"]
    with pytest.raises(ValidationError) as caught:
        services.update_option(world.user(Role.ENTERPRISE), Option.objects.get(code="F1"), code=" ")
    assert caught.value.message_dict["code"] == ["请填写方案编号。"]
    # Another project numbers on its own.
    other = project_for(world, world.e_lianchi, "202113060600099")
    assert services.suggest_code(other) == "F1"


def test_negative_investment_and_benefits_are_refused(world):
    with pytest.raises(ValidationError) as caught:
        add(world, investment=Decimal("-1"), cod_reduced=Decimal("-0.5"), name="")
    errors = caught.value.message_dict
    assert errors["investment"] == ["投资不能为负数。"]
    assert errors["cod_reduced"] == ["COD 削减量不能为负数。"]
    assert errors["name"] == ["请填写方案名称。"]
    assert not Option.objects.filter(project=world.project).exists()
    # A negative economic benefit is allowed (an option can raise running costs).
    assert add(world, economic_benefit=Decimal("-2.5")).economic_benefit == Decimal("-2.5")


def test_update_records_before_and_after_and_refuses_stale_versions(world):
    option = add(world)
    updated = services.update_option(world.user(Role.CONSULTANCY), option, expected_version=1,
                                     status=Option.Status.IMPLEMENTED)
    assert updated.version == 2
    event = events("option.update", option).get()
    assert event.before["status"] == "proposed" and event.after["status"] == "implemented"
    assert event.summary == f"方案 {option} 状态：提出 → 已实施"
    with pytest.raises(services.StaleEditError, match="已被他人修改"):
        services.update_option(world.user(Role.ENTERPRISE), option, expected_version=1, name="旧页面的修改")
    assert Option.objects.get(pk=option.pk).name == option.name
    # Saving what is already there changes nothing and records nothing.
    services.update_option(world.user(Role.ENTERPRISE), option, expected_version=2, status=Option.Status.IMPLEMENTED)
    assert Option.objects.get(pk=option.pk).version == 2
    assert events("option.update", option).count() == 1


def test_feasibility_only_for_high_cost_options(world):
    low = add(world)
    with pytest.raises(ValidationError, match="只有中高费方案"):
        services.save_feasibility(world.user(Role.ENTERPRISE), low, **FEASIBILITY_INPUTS)
    assert not Feasibility.objects.exists()


def test_feasibility_is_computed_and_recomputed_on_save(world):
    option = add(world, cost_class=Option.CostClass.HIGH)
    feasibility = services.save_feasibility(world.user(Role.CONSULTANCY), option, expected_version=0,
                                            technical_assessment="工艺成熟（测试）", **FEASIBILITY_INPUTS)
    # the textbook case: NPV 53.6142, NPVR 0.5361, IRR 21.41 %, N 4 years
    assert feasibility.npv == Decimal("53.6142")
    assert feasibility.npvr == Decimal("0.5361")
    assert feasibility.irr == Decimal("21.41")
    assert feasibility.payback_years == Decimal("4.00")
    assert feasibility.economically_feasible is True
    event = events("option.feasibility", feasibility).get()
    assert event.before is None and event.after["npv"] == "53.6142"
    assert "经济上可行" in event.summary

    changed = services.save_feasibility(world.user(Role.ENTERPRISE), option, expected_version=1,
                                        annual_savings=Decimal("8"))
    assert changed.version == 2
    assert changed.economically_feasible is False and changed.npv < 0
    stored = Feasibility.objects.get(pk=feasibility.pk)
    assert stored.npv == changed.npv and stored.technical_assessment == "工艺成熟（测试）"
    event = events("option.feasibility", feasibility).latest("seq")
    assert event.before["npv"] == "53.6142" and event.before["annual_savings"] == "30.00"


def test_feasibility_stale_edits_are_refused(world):
    option = add(world, cost_class=Option.CostClass.HIGH)
    services.save_feasibility(world.user(Role.ENTERPRISE), option, expected_version=0, **FEASIBILITY_INPUTS)
    # a second page that also showed "no analysis yet"
    with pytest.raises(services.StaleEditError):
        services.save_feasibility(world.user(Role.CONSULTANCY), option, expected_version=0, **FEASIBILITY_INPUTS)
    with pytest.raises(services.StaleEditError):
        services.save_feasibility(world.user(Role.CONSULTANCY), option, expected_version=5, discount_rate=Decimal("8"))
    assert Feasibility.objects.get(option=option).discount_rate == Decimal("10.00")


def test_feasibility_bad_inputs_are_refused_on_their_fields(world):
    option = add(world, cost_class=Option.CostClass.HIGH)
    with pytest.raises(ValidationError) as caught:
        services.save_feasibility(world.user(Role.ENTERPRISE), option, **{
            **FEASIBILITY_INPUTS, "investment": Decimal("-5"), "depreciation_years": 0, "tax_rate": Decimal("100")})
    errors = caught.value.message_dict
    assert errors["investment"] == ["总投资不能为负数。"]
    assert errors["depreciation_years"] == ["折旧年限至少 1 年。"]
    assert errors["tax_rate"] == ["税率应小于 100%。"]
    assert not Feasibility.objects.exists()


def test_class_change_with_feasibility_is_refused_until_it_is_deleted(world):
    option = add(world, cost_class=Option.CostClass.HIGH)
    feasibility = services.save_feasibility(world.user(Role.ENTERPRISE), option, **FEASIBILITY_INPUTS)
    with pytest.raises(ValidationError) as caught:
        services.update_option(world.user(Role.ENTERPRISE), option, cost_class=Option.CostClass.LOW)
    assert "已有可行性分析" in caught.value.message_dict["cost_class"][0]
    services.delete_feasibility(world.user(Role.ENTERPRISE), option, expected_version=1)
    assert events("option.feasibility_delete", option).get().before["npv"] == str(feasibility.npv)
    assert services.update_option(world.user(Role.ENTERPRISE), option,
                                  cost_class=Option.CostClass.LOW).cost_class == "low"


def test_delete_records_the_option_and_its_feasibility(world):
    option = add(world, cost_class=Option.CostClass.HIGH)
    services.save_feasibility(world.user(Role.ENTERPRISE), option, **FEASIBILITY_INPUTS)
    pk = option.pk
    with pytest.raises(services.StaleEditError):
        services.delete_option(world.user(Role.ENTERPRISE), option, expected_version=7)
    services.delete_option(world.user(Role.CONSULTANCY), option, expected_version=1)
    assert not Option.objects.filter(pk=pk).exists() and not Feasibility.objects.exists()
    event = Event.objects.get(action="option.delete", object_id=str(pk))
    assert event.before["name"] == "冷凝水回收（测试）" and event.before["feasibility"]["economic_life"] == 10


def test_an_option_with_evidence_is_not_deleted(world):
    """Real files: a blank PDF attached as 实施佐证 through the evidence app."""
    from conftest import blank_pdf
    from qingshen.evidence import services as evidence

    option = add(world, status=Option.Status.IMPLEMENTED)
    evidence.attach(world.user(Role.ENTERPRISE), option, blank_pdf("实施照片说明（测试）.pdf"), slot="implementation")
    assert services.evidence_count(option) == 1
    with pytest.raises(ValidationError, match="已上传佐证材料，不能删除"):
        services.delete_option(world.user(Role.ENTERPRISE), option)
    assert Option.objects.filter(pk=option.pk).exists()
