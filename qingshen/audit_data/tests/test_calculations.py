"""The computed figures against hand-computed cases, edge cases included (a zero denominator
gives "undefined", never 0 and never an exception)."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import override_settings

from qingshen.audit_data import calculations as calc

D = Decimal


@dataclass
class Line:
    direction: str
    quantity: Decimal
    unit: str = "t"


# --- 重复利用率, 单位产品取水量 ---------------------------------------------------------------


def test_reuse_rate_by_hand():
    # 30000 reused, 10000 taken in: 30000 / 40000 = 75 %
    assert calc.reuse_rate(D(30000), D(10000)) == D("75.00")
    # 1 / 3 = 33.333… % → 33.33; 2 / 3 → 66.67 (half up)
    assert calc.reuse_rate(D(1), D(2)) == D("33.33")
    assert calc.reuse_rate(D(2), D(1)) == D("66.67")


def test_reuse_rate_edges():
    assert calc.reuse_rate(D(0), D(500)) == D("0.00")  # nothing reused
    assert calc.reuse_rate(D(500), D(0)) == D("100.00")  # closed loop, no fresh water
    assert calc.reuse_rate(D(0), D(0)) is None  # nothing at all: undefined, not 0


def test_intake_per_product():
    assert calc.intake_per_product(D(10000), D(500)) == D("20.0000")
    assert calc.intake_per_product(D(10), D(3)) == D("3.3333")
    assert calc.intake_per_product(D(10000), None) is None
    assert calc.intake_per_product(D(10000), D(0)) is None


# --- 目标的变化量和变化率 -------------------------------------------------------------------


def test_target_change_by_hand():
    change = calc.change(D(20), D(18))  # 20 → 18 m³/t: −2, −10 %
    assert (change.absolute, change.percent) == (D(-2), D("-10.00"))
    change = calc.change(D("75"), D("85"))  # a rate going up: +10, +13.33 %
    assert (change.absolute, change.percent) == (D(10), D("13.33"))
    assert calc.change(D(3), D(3)) == calc.Change(D(0), D("0.00"))


def test_target_change_edges():
    from_zero = calc.change(D(0), D(5))
    assert from_zero.absolute == D(5) and from_zero.percent is None  # no relative change from nothing
    assert calc.change(D(20), None) == calc.Change(None, None)  # no long-term target given
    assert calc.change(None, D(1)) == calc.Change(None, None)


# --- 物料平衡 / 水平衡 -------------------------------------------------------------------------


def test_balance_by_hand():
    # in 60 + 40 = 100, out 90 + 6 = 96: (100 − 96) / 100 = 4 % ≤ 5 %
    result = calc.balance([Line("in", D(60)), Line("in", D(40)), Line("out", D(90)), Line("out", D(6))])
    assert (result.total_in, result.total_out, result.deviation) == (D(100), D(96), D("4.00"))
    assert result.unit == "t" and result.within_limit is True and result.reason == ""


def test_balance_outside_the_limit_either_way():
    high = calc.balance([Line("in", D(200)), Line("out", D(187))])  # 13 / 200 = 6.5 %
    assert high.deviation == D("6.50") and high.within_limit is False
    low = calc.balance([Line("in", D(100)), Line("out", D(106))])  # more out than in: −6 %
    assert low.deviation == D("-6.00") and low.within_limit is False
    exactly = calc.balance([Line("in", D(100)), Line("out", D(95))])  # 5 % is still within
    assert exactly.deviation == D("5.00") and exactly.within_limit is True
    thirds = calc.balance([Line("in", D(3)), Line("out", D(2))])  # 1/3 → 33.33 %
    assert thirds.deviation == D("33.33")


def test_balance_with_nothing_in_is_undefined():
    result = calc.balance([Line("out", D(5))])
    assert result.total_in == D(0) and result.total_out == D(5)
    assert result.deviation is None and result.within_limit is None
    assert "投入合计为零" in result.reason
    zero = calc.balance([Line("in", D(0)), Line("out", D(0))])
    assert zero.deviation is None


def test_balance_without_lines():
    result = calc.balance([])
    assert result.deviation is None and result.total_in is None and "尚未填写" in result.reason


def test_balance_in_mixed_units_is_not_summed():
    result = calc.balance([Line("in", D(100), "t"), Line("out", D(90), "m³")])
    assert result.deviation is None and result.total_in is None
    assert "计量单位不一致" in result.reason
    assert set(result.totals_by_unit) == {("t", D(100), D(0)), ("m³", D(0), D(90))}


def test_units_written_differently_are_one_unit():
    result = calc.balance([Line("in", D(10), "m3/d"), Line("out", D(10), " M³/d ")])
    assert result.deviation == D("0.00") and result.unit == "m3/d"


def test_the_threshold_is_a_setting():
    lines = [Line("in", D(100)), Line("out", D(94))]
    assert calc.balance(lines).within_limit is False
    with override_settings(QINGSHEN_BALANCE_DEVIATION_LIMIT=D("8")):
        result = calc.balance(lines)
        assert result.limit == D(8) and result.within_limit is True


@pytest.mark.parametrize("value,expected", [(D("1200.0000"), "1200"), (D("0.3500"), "0.35"), (None, "—"),
                                            (D("0E-4"), "0")])
def test_quantities_are_shown_as_entered(value, expected):
    from qingshen.audit_data.templatetags.audit_data import qty

    assert qty(value) == expected
