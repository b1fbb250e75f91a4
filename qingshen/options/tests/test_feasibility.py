"""The calculator against cases computed by hand (the working is in each test's docstring).

Notation: a(r, n) = Σ_{j=1..n} 1/(1+r)^j = (1 − (1+r)^−n) / r, the annuity factor, taken from
the compound-interest tables: a(10 %, 10) = 6.144567, a(10 %, 5) = 3.790787,
a(10 %, 8) = 5.334926, a(5 %, 10) = 7.721735.
"""

from decimal import Decimal

import pytest

from qingshen.options.feasibility import Inputs, InputError, calculate, present_value


def run(I, P, Y, t, i, n, benchmark=None):  # noqa: E741 (the guidance's letters)
    return calculate(Inputs(investment=I, annual_savings=P, depreciation_years=Y, tax_rate=t, discount_rate=i,
                            economic_life=n, benchmark_irr=benchmark))


def test_textbook_case():
    """I = 100 万元, P = 30 万元/年, Y = n = 10 年, t = 25 %, i = 10 %.

    D = 100 / 10 = 10; T = 30 − 10 = 20; tax = 20 × 0.25 = 5; F = 30 − 5 = 25 every year.
    N = 100 / 25 = 4.00 年.
    NPV = 25 × a(10 %, 10) − 100 = 25 × 6.144567 − 100 = 53.6142; NPVR = 53.6142 / 100 = 0.5361.
    IRR: 25 × a(r, 10) = 100 ⇒ a(r, 10) = 4.000 ⇒ r ≈ 21.41 % (between the table's 20 %, a = 4.1925,
    and 22 %, a = 3.9232; interpolated 21.43 %, exact 21.406 %).
    """
    result = run(100, 30, 10, 0.25, 0.10, 10)
    assert result.depreciation == pytest.approx(10)
    assert all(y.tax == pytest.approx(5) and y.cash_flow == pytest.approx(25) for y in result.years)
    assert result.annual_cash_flow == pytest.approx(25)
    assert result.payback_years == pytest.approx(4.0)
    assert result.npv == pytest.approx(53.6142, abs=1e-4)
    assert result.npvr == pytest.approx(0.536142, abs=1e-6)
    assert result.irr == pytest.approx(0.214065, abs=1e-6)
    assert 20 < result.irr * 100 < 22
    assert present_value([25.0] * 10, result.irr) == pytest.approx(100, abs=1e-6)
    assert [rule.passed for rule in result.rules] == [True, True, True]
    assert result.feasible and result.verdict == "经济上可行"
    assert result.years[-1].cumulative == pytest.approx(result.npv)
    assert result.years[0].discount_factor == pytest.approx(1 / 1.1)


def test_benchmark_above_irr_makes_it_infeasible():
    """The same option against a 25 % benchmark: NPV at 10 % is still 53.6142 ≥ 0, but IRR
    21.41 % < 25 %, so the IRR rule fails and the option is not feasible."""
    result = run(100, 30, 10, 0.25, 0.10, 10, benchmark=0.25)
    assert result.rules[0].passed is True
    assert result.rules[1].passed is False
    assert "21.41%" in result.rules[1].detail and "25.00%" in result.rules[1].detail
    assert not result.feasible and result.verdict == "经济上不可行"


def test_depreciation_years_shorter_than_life():
    """I = 100, P = 30, Y = 5, n = 8, t = 25 %, i = 10 %.

    Years 1–5: D = 20, T = 10, tax = 2.5, F = 27.5. Years 6–8: D = 0, T = 30, tax = 7.5, F = 22.5.
    NPV = 27.5 × a(10 %, 5) + 22.5 × (a(10 %, 8) − a(10 %, 5)) − 100
        = 27.5 × 3.790787 + 22.5 × 1.544139 − 100 = 104.2466 + 34.7431 − 100 = 38.9898.
    N = 100 / 27.5 = 3.64 年 (F of the first year).
    """
    result = run(100, 30, 5, 0.25, 0.10, 8)
    assert [y.depreciation for y in result.years] == pytest.approx([20] * 5 + [0] * 3)
    assert [y.cash_flow for y in result.years] == pytest.approx([27.5] * 5 + [22.5] * 3)
    assert result.npv == pytest.approx(38.9898, abs=1e-4)
    assert result.payback_years == pytest.approx(3.6364, abs=1e-4)
    assert present_value([y.cash_flow for y in result.years], result.irr) == pytest.approx(100, abs=1e-6)


def test_depreciation_longer_than_life_counts_only_the_life():
    """Y = 20 > n = 3: D = 100 / 20 = 5 in each of the 3 years; the rest is never reached.
    P = 10, t = 0.5: T = 5, tax = 2.5, F = 7.5."""
    result = run(100, 10, 20, 0.5, 0.0, 3)
    assert len(result.years) == 3
    assert [y.cash_flow for y in result.years] == pytest.approx([7.5] * 3)
    assert result.npv == pytest.approx(22.5 - 100)


def test_no_negative_tax_when_depreciation_exceeds_savings():
    """I = 100, P = 8, Y = 10, t = 25 %, i = 5 %, n = 10.

    D = 10 > P: T = 8 − 10 = −2 ⇒ tax = max(−2, 0) × 0.25 = 0 (no refund), F = 8.
    N = 100 / 8 = 12.5 年 ≥ n = 10 ⇒ the payback rule fails.
    NPV = 8 × a(5 %, 10) − 100 = 8 × 7.721735 − 100 = −38.2261 ⇒ 不可行.
    ΣF = 80 < 100, so the IRR is negative: 8 × a(r, 10) = 100 ⇒ a = 12.5 ⇒ r ≈ −3.86 %.
    """
    result = run(100, 8, 10, 0.25, 0.05, 10)
    assert all(y.taxable == pytest.approx(-2) and y.tax == 0 for y in result.years)
    assert result.annual_cash_flow == pytest.approx(8)
    assert result.payback_years == pytest.approx(12.5)
    assert result.rules[2].passed is False
    assert result.npv == pytest.approx(-38.2261, abs=1e-4)
    assert result.irr == pytest.approx(-0.038642, abs=1e-6)
    assert not result.feasible


def test_zero_tax_and_zero_rate_break_even():
    """I = 50, P = 10, Y = n = 5, t = 0, i = 0: F = 10, NPV = 5 × 10 − 50 = 0 ⇒ NPV ≥ 0 holds;
    IRR = 0 % (Σ F = I exactly) ≥ benchmark 0 %; N = 50 / 10 = 5 年, not shorter than n = 5."""
    result = run(50, 10, 5, 0, 0, 5)
    assert all(y.tax == 0 for y in result.years)
    assert result.npv == pytest.approx(0, abs=1e-9)
    assert result.irr == pytest.approx(0, abs=1e-8)
    assert result.payback_years == pytest.approx(5)
    assert [rule.passed for rule in result.rules] == [True, True, False]
    assert result.feasible


def test_zero_savings():
    """P = 0: F = 0 every year ⇒ no payback; NPV = −I = −100; NPVR = −1; no IRR (no inflow)."""
    result = run(100, 0, 10, 0.25, 0.08, 10)
    assert result.annual_cash_flow == 0
    assert result.payback_years is None and "无法回收" in result.payback_note
    assert result.npv == pytest.approx(-100)
    assert result.npvr == pytest.approx(-1)
    assert result.irr is None and "不存在内部收益率" in result.irr_note
    assert [rule.passed for rule in result.rules] == [False, False, False]
    assert not result.feasible


def test_negative_cash_flow():
    """P = −5 (the option costs more to run than it saves): T = −5 − 10 < 0 ⇒ tax 0, F = −5.
    NPV = −5 × a(10 %, 10) − 100 = −5 × 6.144567 − 100 = −130.7228; no payback; no IRR."""
    result = run(100, -5, 10, 0.25, 0.10, 10)
    assert [y.cash_flow for y in result.years] == pytest.approx([-5] * 10)
    assert result.npv == pytest.approx(-130.7228, abs=1e-4)
    assert result.payback_years is None
    assert result.irr is None and "均不为正" in result.irr_note
    assert not result.feasible


def test_irr_with_no_root_in_range_below():
    """I = 1000, P = 1, n = 1, t = 0: f(r) = 1/(1+r) − 1000 is negative even at r = −99 %
    (1/0.01 − 1000 = −900): no root in range, so no IRR, and the reason says so."""
    result = run(1000, 1, 1, 0, 0.08, 1)
    assert result.irr is None and "低于 −99%" in result.irr_note
    assert result.rules[1].passed is False
    assert not result.feasible


def test_very_large_irr_in_range():
    """I = 10, P = 50, Y = n = 3, t = 0: 50/(1+r) + 50/(1+r)² + 50/(1+r)³ = 10 ⇒ r ≈ 497.66 %
    (check: 1+r = 5.9766; 50/5.9766 = 8.3659, /35.72 = 1.3997, /213.5 = 0.2342; Σ = 9.9998)."""
    result = run(10, 50, 3, 0, 0.1, 3)
    assert result.irr == pytest.approx(4.976579, abs=1e-5)
    assert present_value([50.0] * 3, result.irr) == pytest.approx(10, abs=1e-6)
    assert result.feasible


def test_irr_above_the_range():
    """I = 1, P = 100, n = 5: the IRR is about 10 000 %, beyond the 1000 % searched; reported
    as above the range, and the IRR rule passes."""
    result = run(1, 100, 1, 0, 0.1, 5)
    assert result.irr is None and result.irr_above_range
    assert "1000%" in result.irr_note
    assert result.rules[1].passed is True
    assert result.feasible


def test_no_investment():
    """I = 0, P = 10, n = 5, i = 10 %: D = 0, T = 10, tax = 2.5, F = 7.5; N = 0 (nothing to recover);
    NPV = 7.5 × a(10 %, 5) = 7.5 × 3.790787 = 28.4309; NPVR undefined (÷ 0), IRR undefined — said so,
    and the IRR rule does not apply, so NPV alone decides: 可行."""
    result = run(0, 10, 5, 0.25, 0.10, 5)
    assert result.depreciation == 0
    assert result.payback_years == 0
    assert result.npv == pytest.approx(28.4309, abs=1e-4)
    assert result.npvr is None and "无定义" in result.npvr_note
    assert result.irr is None and "无定义" in result.irr_note
    assert result.rules[1].passed is None
    assert result.feasible


def test_decimal_inputs():
    """Decimals (as the model stores them) give the same answer as the textbook case."""
    result = run(Decimal("100.00"), Decimal("30.00"), 10, Decimal("0.25"), Decimal("0.10"), 10)
    assert result.npv == pytest.approx(53.6142, abs=1e-4)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"I": -1}, "总投资不能为负数"),
    ({"Y": 0}, "折旧年限应在 1 到"),
    ({"n": 0}, "项目寿命应在 1 到"),
    ({"n": 2.5}, "项目寿命应为整数年"),
    ({"t": 1}, "所得税税率应在 0 到 100%"),
    ({"i": -0.1}, "贴现率应在 0 到 100%"),
    ({"P": None}, "请填写年净节省金额"),
    ({"P": "abc"}, "年净节省金额不是有效的数字"),
])
def test_bad_inputs_are_refused_in_chinese(kwargs, message):
    values = {"I": 100, "P": 30, "Y": 10, "t": 0.25, "i": 0.1, "n": 10, **kwargs}
    with pytest.raises(InputError, match=message):
        run(**values)
