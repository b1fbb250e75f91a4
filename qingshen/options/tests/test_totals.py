"""Totals per project and the roll-up per county: correct sums from several projects in
different counties and cities, each user seeing only its jurisdiction, in a constant number of
queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qingshen.core.roles import Role
from qingshen.options import totals
from qingshen.options.models import Option
from qingshen.options.tests.helpers import make_option, project_for

LOW, HIGH = Option.CostClass.LOW, Option.CostClass.HIGH
DONE, DROPPED = Option.Status.IMPLEMENTED, Option.Status.ABANDONED


@pytest.fixture
def projects(world):
    """Made-up ledgers in four places:

    涿州市 130681 (保定): F1 low 2 万元 implemented (water 100, COD 0.5), F2 low 3 proposed,
                          F3 high 100 implemented (benefit 30, energy 12.5), F4 high 50 abandoned
    莲池区 130606 (保定): F1 high 80 implementing (benefit 20, NH3-N 0.25)
    长安区 130102 (石家庄): F1 low 1 implemented
    定州市 130682 (city level, no counties): F1 high 40 screened (water 10)
    """
    zhuozhou = world.project
    make_option(zhuozhou, "F1", status=DONE, investment=Decimal("2"), water_saved=Decimal("100"),
                cod_reduced=Decimal("0.5"))
    make_option(zhuozhou, "F2", investment=Decimal("3"))
    make_option(zhuozhou, "F3", cost_class=HIGH, status=DONE, investment=Decimal("100"),
                economic_benefit=Decimal("30"), energy_saved=Decimal("12.5"))
    make_option(zhuozhou, "F4", cost_class=HIGH, status=DROPPED, investment=Decimal("50"))
    lianchi = project_for(world, world.e_lianchi, "202113060600001")
    make_option(lianchi, "F1", cost_class=HIGH, status=Option.Status.IMPLEMENTING, investment=Decimal("80"),
                economic_benefit=Decimal("20"), nh3n_reduced=Decimal("0.25"))
    changan = project_for(world, world.e_changan, "202113010200001")
    make_option(changan, "F1", status=DONE, investment=Decimal("1"))
    dingzhou = project_for(world, world.e_dingzhou, "202113068200001")
    make_option(dingzhou, "F1", cost_class=HIGH, status=Option.Status.SCREENED, investment=Decimal("40"),
                water_saved=Decimal("10"))
    return {"zhuozhou": zhuozhou, "lianchi": lianchi, "changan": changan, "dingzhou": dingzhou}


def test_project_totals_by_class_all_and_implemented(world, projects):
    result = totals.project_totals(projects["zhuozhou"])
    assert result.abandoned == 1  # F4, kept out of every figure
    assert (result.all["low"].count, result.all["low"].investment) == (2, Decimal("5"))
    assert (result.all["high"].count, result.all["high"].investment) == (1, Decimal("100"))
    total = result.all["total"]
    assert (total.count, total.investment, total.economic_benefit) == (3, Decimal("105"), Decimal("30"))
    assert (total.water_saved, total.cod_reduced, total.energy_saved, total.nh3n_reduced) == (
        Decimal("100"), Decimal("0.5"), Decimal("12.5"), Decimal("0"))
    assert (result.implemented["low"].count, result.implemented["low"].investment) == (1, Decimal("2"))
    assert (result.implemented["total"].count, result.implemented["total"].investment) == (2, Decimal("102"))
    assert [label for label, _, _ in result.rows()] == ["无低费", "中高费", "合计"]


def test_project_totals_of_an_empty_ledger_are_zero(world):
    result = totals.project_totals(world.project)
    assert result.all["total"].count == 0 and result.all["total"].investment == Decimal("0")


def test_province_rollup_has_a_row_per_county_and_city_subtotals(world, projects):
    rollup = totals.rollup(world.user(Role.PROVINCE))
    assert [(row.region_code, row.region_name) for row in rollup.rows] == [
        ("130102", "长安区"), ("130606", "莲池区"), ("130681", "涿州市"), ("130682", "定州市")]
    by_code = {row.region_code: row.totals for row in rollup.rows}
    assert by_code["130681"].all["total"].investment == Decimal("105")
    assert by_code["130681"].all["high"].count == 1 and by_code["130681"].abandoned == 1
    assert by_code["130606"].all["high"].economic_benefit == Decimal("20")
    assert by_code["130606"].all["total"].nh3n_reduced == Decimal("0.25")
    assert by_code["130682"].all["high"].water_saved == Decimal("10")
    assert by_code["130102"].implemented["low"].count == 1
    assert [row.region_code for row in rollup.cities] == ["130100", "130600", "130682"]
    baoding = next(row for row in rollup.cities if row.region_code == "130600")
    assert baoding.region_name == "保定市小计"
    assert baoding.totals.all["total"].investment == Decimal("185")
    assert baoding.totals.projects == 2
    total = rollup.total.totals
    assert (total.all["total"].count, total.all["total"].investment) == (6, Decimal("226"))
    assert (total.all["low"].count, total.all["high"].count) == (3, 3)
    assert (total.implemented["total"].count, total.implemented["total"].investment) == (3, Decimal("103"))
    assert total.all["total"].water_saved == Decimal("110")
    assert total.projects == 4 and total.abandoned == 1


def test_city_and_county_see_only_their_jurisdiction(world, projects):
    city = totals.rollup(world.user(Role.CITY))
    assert [row.region_code for row in city.rows] == ["130606", "130681"]
    assert city.cities == []  # one city: no subtotal rows
    assert city.total.totals.all["total"].investment == Decimal("185")
    county = totals.rollup(world.user(Role.COUNTY))
    assert [row.region_code for row in county.rows] == ["130681"]
    assert county.total.totals.all["total"].investment == Decimal("105")
    assert totals.rollup(world.other_city_user).total.totals.all["total"].investment == Decimal("1")


def test_rollup_of_one_campaign(world, projects):
    from datetime import date

    from qingshen.campaigns import services as campaigns
    from qingshen.campaigns.models import TargetRule

    other = campaigns.create_campaign(
        world.user(Role.PROVINCE), document_number="冀环测〔2022〕9号", batch="第一批", name="另一测试批次", year=2022,
        code="2022-T9", scope="测试", issue_date=date(2022, 3, 1), requirements="测试要求。",
        letter_preamble="测试", contact_person="王测试", contact_phone="0311-00000000",
        target_rules=TargetRule.objects.all())
    assert totals.rollup(world.user(Role.PROVINCE), campaign=world.campaign).total.totals.all["total"].count == 6
    empty = totals.rollup(world.user(Role.PROVINCE), campaign=other)
    assert empty.rows == [] and empty.total.totals.all["total"].count == 0


def test_totals_cost_constant_queries(world, projects):
    user = world.user(Role.PROVINCE)
    with CaptureQueriesContext(connection) as few:
        totals.rollup(user)
        totals.project_totals(projects["zhuozhou"])
    for n in range(5, 25):
        make_option(projects["lianchi"], f"F{n}", investment=Decimal(n))
        make_option(projects["dingzhou"], f"F{n}", cost_class=HIGH, investment=Decimal(n))
    with CaptureQueriesContext(connection) as many:
        rollup = totals.rollup(user)
        totals.project_totals(projects["zhuozhou"])
    assert len(many) == len(few) == 3  # the grouped query and the region names; the project's aggregate
    assert rollup.total.totals.all["total"].count == 6 + 40
