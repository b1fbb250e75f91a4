"""The services: who may fill, negative and incomplete values refused in Chinese, stale edits
refused, one event with before/after per change, and a balance's version following its lines."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qingshen.audit_data import services
from qingshen.audit_data.models import Balance, BalanceLine, MaterialUse, PollutantRecord, Target, WaterUse
from qingshen.audit_data.tests import helpers
from qingshen.audit_trail.models import Event
from qingshen.core.roles import Role

D = Decimal
WATER = dict(year=2021, surface_water=D(0), groundwater=D(8000), tap_water=D(2000), other_water=D(0),
             reused_water=D(30000), discharged_wastewater=D(7000), product_output=D(500), product_unit="t")


def events(action):
    return Event.objects.filter(action=action).order_by("-seq")


# --- who may fill ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.CONSULTANCY])
def test_the_enterprise_and_its_consultancy_fill(data_world, role):
    row = services.add_row(data_world.user(role), data_world.project, WaterUse, **WATER)
    assert row.pk and row.version == 1 and row.county_code == "130681" and row.city_code == "130600"
    assert row.reuse_rate == D("75.00") and row.intake_per_product == D("20.0000")


@pytest.mark.parametrize("role", [Role.PROVINCE, Role.CITY, Role.COUNTY, Role.SYSADMIN, Role.EXPERT,
                                  Role.PERMIT_AUTHORITY])
def test_others_may_not_fill(data_world, role):
    with pytest.raises(PermissionDenied):
        services.add_row(data_world.user(role), data_world.project, WaterUse, **WATER)
    row = helpers.water(data_world.project)
    with pytest.raises(PermissionDenied):
        services.update_row(data_world.user(role), row, expected_version=1, reused_water=D(1))
    with pytest.raises(PermissionDenied):
        services.delete_row(data_world.user(role), row, expected_version=1)
    assert WaterUse.objects.get(pk=row.pk).reused_water == D(30000)


def test_another_enterprise_cannot_touch_the_project(data_world):
    other = data_world.other_enterprise_user
    with pytest.raises(PermissionDenied, match="不在您的辖区"):
        services.add_row(other, data_world.project, MaterialUse, kind="material", name="x", unit="t",
                         year=2021, amount=D(1))
    row = helpers.material(data_world.project)
    with pytest.raises(PermissionDenied, match="不在您的辖区"):
        services.update_row(other, row, amount=D(2))
    with pytest.raises(PermissionDenied):
        services.delete_row(other, row)
    assert MaterialUse.objects.filter(pk=row.pk, amount=D("12.5")).exists()


# --- bad input ---------------------------------------------------------------------------------


def test_negative_quantities_are_refused_in_chinese(data_world):
    enterprise = data_world.user(Role.ENTERPRISE)
    with pytest.raises(ValidationError) as caught:
        services.add_row(enterprise, data_world.project, WaterUse, **{**WATER, "groundwater": D(-1),
                                                                      "reused_water": D("-0.5")})
    assert caught.value.message_dict["groundwater"] == ["地下水取水量（m³/a）不能为负数。"]
    assert caught.value.message_dict["reused_water"] == ["重复利用水量（m³/a）不能为负数。"]
    with pytest.raises(ValidationError) as caught:
        services.add_row(enterprise, data_world.project, MaterialUse, kind="energy", name="电", unit="kWh",
                         year=2021, amount=D(-5))
    assert caught.value.message_dict["amount"] == ["年消耗量不能为负数。"]
    with pytest.raises(ValidationError) as caught:
        services.add_row(enterprise, data_world.project, PollutantRecord, year=2021, pollutant="cod",
                         concentration=D(-3), annual_load=D(1), monitoring_basis="在线监测")
    assert "排放浓度（mg/L）不能为负数。" in caught.value.message_dict["concentration"]
    balance = helpers.balance(data_world.project)
    with pytest.raises(ValidationError) as caught:
        services.add_line(enterprise, balance, direction="out", item="蒸发", quantity=D(-1), unit="m³/d")
    assert caught.value.message_dict["quantity"] == ["数量不能为负数。"]
    assert not WaterUse.objects.filter(project=data_world.project).exists()
    assert not MaterialUse.objects.filter(project=data_world.project).exists()
    assert balance.lines.count() == 2


def test_a_negative_edit_leaves_the_row_as_it_was(data_world):
    row = helpers.target(data_world.project)
    with pytest.raises(ValidationError) as caught:
        services.update_row(data_world.user(Role.ENTERPRISE), row, expected_version=1, near_term_value=D(-18))
    assert caught.value.message_dict == {"near_term_value": ["近期目标值不能为负数。"]}
    row.refresh_from_db()
    assert row.near_term_value == D(18) and row.version == 1


def test_what_goes_with_what(data_world):
    enterprise, project = data_world.user(Role.ENTERPRISE), data_world.project
    with pytest.raises(ValidationError) as caught:
        services.add_row(enterprise, project, PollutantRecord, year=2021, pollutant="other", concentration=D(1),
                         annual_load=D(1), monitoring_basis="委托监测")
    assert caught.value.message_dict["other_name"] == ["污染物选“其他”时，请填写污染物名称。"]
    with pytest.raises(ValidationError) as caught:
        services.add_row(enterprise, project, WaterUse, **{**WATER, "product_unit": ""})
    assert caught.value.message_dict["product_unit"] == ["填写了产品产量时，请写明其单位。"]
    with pytest.raises(ValidationError) as caught:
        services.add_row(enterprise, project, Target, indicator="COD 排放量", unit="t/a", baseline_value=D(2),
                         near_term_value=D(1), deadline=date(2022, 12, 31), long_term_value=D("0.5"),
                         long_term_deadline=date(2022, 6, 30))
    assert caught.value.message_dict["long_term_deadline"] == ["中远期目标期限不能早于近期目标期限。"]
    with pytest.raises(ValidationError) as caught:
        services.add_row(enterprise, project, MaterialUse, kind="material", name="染料", unit="t", year=1900,
                         amount=D(1))
    assert caught.value.message_dict["year"] == ["年份应在 1980 至 2100 之间。"]


def test_one_water_row_per_year(data_world):
    enterprise = data_world.user(Role.ENTERPRISE)
    services.add_row(enterprise, data_world.project, WaterUse, **WATER)
    with pytest.raises(ValidationError) as caught:
        services.add_row(enterprise, data_world.project, WaterUse, **WATER)
    assert caught.value.message_dict["year"] == ["2021 年的取水数据已经填写，请修改已有的一行。"]
    other_year = services.add_row(enterprise, data_world.project, WaterUse, **{**WATER, "year": 2020})
    with pytest.raises(ValidationError):
        services.update_row(enterprise, other_year, year=2021)
    # another enterprise's 2021 does not count against this one
    services.add_row(data_world.other_enterprise_user, data_world.lianchi_project, WaterUse, **WATER)


# --- stale edits and events --------------------------------------------------------------------


def test_an_edit_from_a_stale_page_is_refused(data_world):
    enterprise, consultancy = data_world.user(Role.ENTERPRISE), data_world.user(Role.CONSULTANCY)
    row = helpers.material(data_world.project)
    services.update_row(consultancy, row, expected_version=1, amount=D(13))
    with pytest.raises(services.StaleEditError, match="已被他人修改"):
        services.update_row(enterprise, row, expected_version=1, amount=D(14))
    with pytest.raises(services.StaleEditError, match="刷新页面确认后再删除"):
        services.delete_row(enterprise, row, expected_version=1)
    row.refresh_from_db()
    assert (row.amount, row.version) == (D(13), 2)
    services.delete_row(enterprise, row, expected_version=2)
    assert not MaterialUse.objects.filter(pk=row.pk).exists()


def test_a_deleted_row_cannot_be_edited(data_world):
    enterprise = data_world.user(Role.ENTERPRISE)
    row = helpers.focus(data_world.project)
    services.delete_row(enterprise, row, expected_version=1)
    with pytest.raises(ValidationError, match="已不存在"):
        services.update_row(enterprise, row, expected_version=1, name="新名称")


def test_every_change_is_an_event_with_before_and_after(data_world):
    enterprise = data_world.user(Role.CONSULTANCY)
    row = services.add_row(enterprise, data_world.project, MaterialUse, kind="energy", name="蒸汽", unit="t",
                           year=2021, amount=D("1500"))
    created = events("audit_data.materialuse.create").first()
    assert created.before is None and created.after["amount"] == "1500.0000" and created.after["name"] == "蒸汽"
    assert created.actor_id == enterprise.pk and created.county_code == "130681"
    assert created.object_id == str(row.pk) and created.summary == "新增原辅材料和能源消耗：2021年 蒸汽"

    services.update_row(enterprise, row, expected_version=1, amount=D("1450.5"))
    updated = events("audit_data.materialuse.update").first()
    assert updated.before["amount"] == "1500.0000" and updated.after["amount"] == "1450.5000"
    assert (updated.before["version"], updated.after["version"]) == (1, 2)

    count = Event.objects.count()
    same = services.update_row(enterprise, row, expected_version=2, amount=D("1450.50"), name=" 蒸汽 ")
    assert same.version == 2 and Event.objects.count() == count  # nothing changed: no event, no new version

    services.delete_row(enterprise, row, expected_version=2)
    deleted = events("audit_data.materialuse.delete").first()
    assert deleted.before["amount"] == "1450.5000" and deleted.after is None
    assert deleted.object_id == str(row.pk) and "蒸汽" in deleted.summary


# --- balances and their lines ------------------------------------------------------------------


def test_lines_move_the_balance_version_and_are_recorded_on_it(data_world):
    enterprise = data_world.user(Role.ENTERPRISE)
    balance = services.add_row(enterprise, data_world.project, Balance, kind="material", name="染色工序物料平衡",
                               scope="染色工序")
    line = services.add_line(enterprise, balance, direction="in", item="坯布", quantity=D("10.0"), unit="t")
    services.add_line(enterprise, balance, direction="out", item="成品布", quantity=D("9.7"), unit="t")
    balance.refresh_from_db()
    assert balance.version == 3
    assert balance.result().deviation == D("3.00") and balance.result().within_limit is True
    services.update_line(enterprise, line, expected_version=1, quantity=D("10.5"))
    with pytest.raises(services.StaleEditError):
        services.update_line(enterprise, line, expected_version=1, quantity=D(11))
    with pytest.raises(services.StaleEditError):  # the balance moved with its line
        services.update_row(enterprise, balance, expected_version=3, name="旧页面上的名称")
    history = Event.objects.for_object(balance).order_by("seq")
    assert [e.action for e in history] == ["audit_data.balance.create", "audit_data.balanceline.create",
                                           "audit_data.balanceline.create", "audit_data.balanceline.update"]
    assert history.last().before["quantity"] == "10.0000" and history.last().after["quantity"] == "10.5000"
    services.delete_line(enterprise, BalanceLine.objects.get(pk=line.pk), expected_version=2)
    assert Event.objects.for_object(balance).order_by("-seq").first().before["item"] == "坯布"


def test_replacing_lines_checks_the_balance_version(data_world):
    enterprise = data_world.user(Role.ENTERPRISE)
    balance = helpers.balance(data_world.project)
    new = [{"direction": "in", "item": "自来水", "quantity": D(50), "unit": "m³/d"},
           {"direction": "out", "item": "排水", "quantity": D(49), "unit": "m³/d"}]
    with pytest.raises(services.StaleEditError):
        services.replace_lines(enterprise, balance, new, expected_version=7)
    with pytest.raises(ValidationError) as caught:
        services.replace_lines(enterprise, balance, [*new, {"direction": "out", "item": "损失", "quantity": D(-1),
                                                            "unit": "m³/d"}], expected_version=1)
    assert "quantity: 数量不能为负数。" in caught.value.message_dict["lines[2]"]
    assert sorted(balance.lines.values_list("item", flat=True)) == ["废水", "新鲜水"]  # untouched
    services.replace_lines(enterprise, balance, new, expected_version=1)
    balance.refresh_from_db()
    assert balance.version == 2 and balance.result().deviation == D("2.00")
    event = events("audit_data.balanceline.replace").first()
    assert [line["item"] for line in event.before["lines"]] == ["新鲜水", "废水"]
    assert [line["item"] for line in event.after["lines"]] == ["自来水", "排水"]


def test_deleting_a_balance_keeps_its_lines_in_the_event(data_world):
    balance = helpers.balance(data_world.project)
    services.delete_row(data_world.user(Role.ENTERPRISE), balance, expected_version=1)
    assert not BalanceLine.objects.filter(balance_id=balance.pk).exists()
    event = events("audit_data.balance.delete").first()
    assert [line["item"] for line in event.before["lines"]] == ["新鲜水", "废水"]
