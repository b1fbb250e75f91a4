"""经济可行性分析 of a 中高费 option: the calculator (pure Python, no Django).

The formulas are those of the cleaner production audit guidance (清洁生产审核 方案的确定 —
经济可行性分析), in its words:

    I   总投资 (万元)                          investment
    P   年运行费用总节省金额 (万元/年)          annual net savings: more income or less cost
    Y   折旧年限 (年)                          depreciation years
    t   所得税税率                             income tax rate (0.25 = 25 %)
    i   贴现率 (基准收益率)                     discount rate
    n   项目寿命 (经济寿命, 年)                 economic life

    年折旧费        D   = I / Y                for the first Y years, 0 after (straight line, no salvage)
    应税利润        T_j = P − D_j
    各项应纳税金    tax_j = max(T_j, 0) × t
    年净现金流量    F_j = P − tax_j            (= 净利润 + 折旧费 while T_j ≥ 0)
    投资偿还期      N   = I / F                with F of the first year
    净现值          NPV = Σ_{j=1..n} F_j / (1+i)^j − I
    净现值率        NPVR = NPV / I             (I > 0)
    内部收益率      IRR: the rate r with Σ_{j=1..n} F_j / (1+r)^j − I = 0

Decision rules shown to the user: NPV ≥ 0 → 可行; IRR ≥ the benchmark rate (基准收益率, by
default the discount rate) → 可行; the payback period should be shorter than the economic life.
The economic verdict is 可行 when NPV ≥ 0 and the IRR reaches the benchmark (where the IRR is
undefined because nothing is invested, NPV alone decides).

Choices this module makes, and why:

- **No negative tax.** When the depreciation exceeds the savings (T_j < 0) the option's tax is
  0, not a refund: the guidance computes the tax the option itself owes, and whether a loss may
  be set against the enterprise's other profits is not known here, so the conservative reading
  is taken. F_j is then P.
- **Y ≠ n.** Depreciation runs for min(Y, n) years; years after Y carry no depreciation, so more
  tax. Years beyond the economic life do not count.
- **The IRR** is found by bracketing: f(r) = Σ F_j/(1+r)^j − I is evaluated on a grid from −99 %
  to 1000 %, the first sign change is narrowed by bisection to 1e-10. With these cash flows
  (−I, then F_j all of one sign, since t < 1) f is monotone and the root, when there is one, is
  unique. No root in range → `irr` is None and `irr_note` says why; an IRR above 1000 % is
  reported as such (`irr_above_range`) and still passes the IRR rule.
- Floats are used for the arithmetic (money in 万元 to four decimals at most is far inside a
  float's precision); the caller rounds what it stores.
"""

from dataclasses import dataclass, field
from decimal import Decimal

IRR_LOW = -0.99  # −99 %
IRR_HIGH = 10.0  # 1000 %
IRR_TOLERANCE = 1e-10
MAX_LIFE = 100  # years; (1 − 0.99)^-100 is still a finite float


class InputError(ValueError):
    """An input the formulas cannot take; the message is for the user (Chinese)."""


@dataclass(frozen=True)
class Inputs:
    investment: float  # I, 万元
    annual_savings: float  # P, 万元/年
    depreciation_years: int  # Y
    tax_rate: float  # t, fraction (0.25)
    discount_rate: float  # i, fraction (0.08)
    economic_life: int  # n
    benchmark_irr: float | None = None  # fraction; None = the discount rate

    @property
    def benchmark(self) -> float:
        return self.discount_rate if self.benchmark_irr is None else self.benchmark_irr


@dataclass(frozen=True)
class Year:
    """One row of the cash-flow table."""

    year: int
    depreciation: float  # D_j
    taxable: float  # T_j = P − D_j
    tax: float  # max(T_j, 0) × t
    cash_flow: float  # F_j
    discount_factor: float  # 1 / (1+i)^j
    present_value: float  # F_j / (1+i)^j
    cumulative: float  # −I + Σ_{k≤j} PV_k (the NPV if the life ended this year)


@dataclass(frozen=True)
class Rule:
    """A decision rule as shown: its text, the value compared and whether it holds (None = n/a)."""

    label: str
    passed: bool | None
    detail: str


@dataclass(frozen=True)
class Result:
    inputs: Inputs
    depreciation: float  # D = I / Y
    annual_cash_flow: float  # F of the first year
    years: list[Year]
    payback_years: float | None
    payback_note: str
    npv: float
    npvr: float | None
    npvr_note: str
    irr: float | None  # fraction
    irr_note: str
    irr_above_range: bool = False
    rules: list[Rule] = field(default_factory=list)

    @property
    def feasible(self) -> bool:
        """可行: NPV ≥ 0 and IRR ≥ benchmark (the IRR rule is skipped where it does not apply)."""
        return all(rule.passed is not False for rule in self.rules[:2])

    @property
    def verdict(self) -> str:
        return "经济上可行" if self.feasible else "经济上不可行"


def _number(value, label) -> float:
    if isinstance(value, bool) or value is None:
        raise InputError(f"请填写{label}。")
    try:
        number = float(Decimal(str(value)))
    except (ArithmeticError, ValueError) as exc:
        raise InputError(f"{label}不是有效的数字。") from exc
    if number != number or number in (float("inf"), float("-inf")):
        raise InputError(f"{label}不是有效的数字。")
    return number


def check(inputs: Inputs) -> Inputs:
    """The inputs as floats and ints, or InputError with a message for the user."""
    investment = _number(inputs.investment, "总投资")
    savings = _number(inputs.annual_savings, "年净节省金额")
    tax = _number(inputs.tax_rate, "所得税税率")
    discount = _number(inputs.discount_rate, "贴现率")
    benchmark = None if inputs.benchmark_irr is None else _number(inputs.benchmark_irr, "基准内部收益率")
    if investment < 0:
        raise InputError("总投资不能为负数。")
    if not 0 <= tax < 1:
        raise InputError("所得税税率应在 0 到 100% 之间（不含 100%）。")
    if not 0 <= discount <= 1:
        raise InputError("贴现率应在 0 到 100% 之间。")
    if benchmark is not None and not -0.99 < benchmark <= IRR_HIGH:
        raise InputError("基准内部收益率应在 −99% 到 1000% 之间。")
    years = {}
    for name, label in (("depreciation_years", "折旧年限"), ("economic_life", "项目寿命")):
        value = getattr(inputs, name)
        if isinstance(value, bool) or not isinstance(value, int) and not (
                isinstance(value, (float, Decimal)) and value == int(value)):
            raise InputError(f"{label}应为整数年。")
        value = int(value)
        if not 1 <= value <= MAX_LIFE:
            raise InputError(f"{label}应在 1 到 {MAX_LIFE} 年之间。")
        years[name] = value
    return Inputs(investment, savings, years["depreciation_years"], tax, discount, years["economic_life"], benchmark)


def cash_flows(inputs: Inputs) -> list[tuple[float, float, float, float]]:
    """[(D_j, T_j, tax_j, F_j)] for j = 1..n."""
    depreciation = inputs.investment / inputs.depreciation_years
    rows = []
    for year in range(1, inputs.economic_life + 1):
        d = depreciation if year <= inputs.depreciation_years else 0.0
        taxable = inputs.annual_savings - d
        tax = max(taxable, 0.0) * inputs.tax_rate
        rows.append((d, taxable, tax, inputs.annual_savings - tax))
    return rows


def present_value(flows: list[float], rate: float) -> float:
    """Σ F_j / (1+rate)^j, j from 1; +/-inf when it overflows (very low rates, long lives)."""
    total = 0.0
    base = 1.0 + rate
    for year, flow in enumerate(flows, start=1):
        if flow == 0:
            continue
        try:
            total += flow / base ** year
        except (OverflowError, ZeroDivisionError):
            return float("inf") if flow > 0 else float("-inf")
    return total


def internal_rate(investment: float, flows: list[float]) -> tuple[float | None, str, bool]:
    """(IRR or None, note, above_range). See the module's docstring for the method."""
    if investment == 0:
        return None, "总投资为零，内部收益率无定义（不适用）。", False
    if all(flow <= 0 for flow in flows):
        return None, "各年净现金流量均不为正，投资无法回收，不存在内部收益率。", False

    def f(rate):
        return present_value(flows, rate) - investment

    grid = [IRR_LOW, -0.9, -0.75, -0.5, -0.25, -0.1, 0.0]
    rate = 0.05
    while rate < IRR_HIGH:
        grid.append(rate)
        rate = rate * 1.5 if rate >= 0.1 else rate + 0.05
    grid.append(IRR_HIGH)
    values = [f(r) for r in grid]
    if values[-1] > 0:
        return None, "内部收益率高于 1000%（超出计算范围），远高于基准收益率。", True
    if values[0] < 0:
        return None, "内部收益率低于 −99%：在项目寿命内远不能收回投资。", False
    for (low, f_low), (high, f_high) in zip(zip(grid, values), zip(grid[1:], values[1:])):
        if f_low == 0:
            return low, "", False
        if f_high == 0:
            return high, "", False
        if (f_low > 0) != (f_high > 0):
            for _ in range(200):
                middle = (low + high) / 2
                f_middle = f(middle)
                if f_middle == 0 or high - low < IRR_TOLERANCE:
                    return middle, "", False
                if (f_middle > 0) == (f_low > 0):
                    low, f_low = middle, f_middle
                else:
                    high = middle
            return (low + high) / 2, "", False
    return None, "在 −99% 到 1000% 之间找不到使净现值为零的收益率。", False  # pragma: no cover (monotone f)


def _percent(value: float) -> str:
    return f"{value * 100:.2f}%"


def calculate(inputs: Inputs) -> Result:
    """Every indicator, the per-year table and the decision rules."""
    inputs = check(inputs)
    rows = cash_flows(inputs)
    flows = [row[3] for row in rows]
    i = inputs.discount_rate
    years, cumulative = [], -inputs.investment
    for year, (d, taxable, tax, flow) in enumerate(rows, start=1):
        factor = 1.0 / (1.0 + i) ** year
        pv = flow * factor
        cumulative += pv
        years.append(Year(year, d, taxable, tax, flow, factor, pv, cumulative))
    npv = sum(year.present_value for year in years) - inputs.investment
    first = flows[0]

    if inputs.investment == 0:
        payback, payback_note = 0.0, "无投资，无需回收。"
    elif first <= 0:
        payback, payback_note = None, "年净现金流量不为正，投资无法回收（无投资偿还期）。"
    else:
        payback, payback_note = inputs.investment / first, ""

    if inputs.investment > 0:
        npvr, npvr_note = npv / inputs.investment, ""
    else:
        npvr, npvr_note = None, "总投资为零，净现值率无定义。"

    irr, irr_note, above = internal_rate(inputs.investment, flows)
    benchmark = inputs.benchmark

    rules = [Rule("净现值 NPV ≥ 0", npv >= 0, f"NPV = {npv:.4f} 万元，{'≥' if npv >= 0 else '<'} 0，"
                                              f"{'可行' if npv >= 0 else '不可行'}")]
    if irr is not None:
        ok = irr >= benchmark - IRR_TOLERANCE  # the root is known to IRR_TOLERANCE only
        rules.append(Rule(f"内部收益率 IRR ≥ 基准收益率 {_percent(benchmark)}", ok,
                          f"IRR = {_percent(irr)}，{'≥' if ok else '<'} {_percent(benchmark)}，{'可行' if ok else '不可行'}"))
    elif above:
        rules.append(Rule(f"内部收益率 IRR ≥ 基准收益率 {_percent(benchmark)}", True, f"{irr_note}可行"))
    elif inputs.investment == 0:
        rules.append(Rule(f"内部收益率 IRR ≥ 基准收益率 {_percent(benchmark)}", None, irr_note))
    else:
        rules.append(Rule(f"内部收益率 IRR ≥ 基准收益率 {_percent(benchmark)}", False, f"{irr_note}不可行"))
    if payback is None:
        rules.append(Rule(f"投资偿还期 N < 项目寿命 {inputs.economic_life} 年", False, payback_note))
    else:
        ok = payback < inputs.economic_life
        rules.append(Rule(f"投资偿还期 N < 项目寿命 {inputs.economic_life} 年", ok,
                          f"N = {payback:.2f} 年，{'<' if ok else '≥'} {inputs.economic_life} 年"))

    return Result(inputs=inputs, depreciation=inputs.investment / inputs.depreciation_years,
                  annual_cash_flow=first, years=years, payback_years=payback, payback_note=payback_note,
                  npv=npv, npvr=npvr, npvr_note=npvr_note, irr=irr, irr_note=irr_note,
                  irr_above_range=above, rules=rules)
