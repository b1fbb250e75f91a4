"""The figures the audit data tables compute, as plain functions of Decimals.

Kept apart from the models so each formula can be checked against hand-computed cases, and so
the pages, the API and the filings checklist compute them the same way. Every function returns
None where the figure is undefined (a zero denominator, a missing input) — the pages show that as
“无法计算” with the reason, never as 0 and never as an error.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

HUNDRED = Decimal("100")
#: Percentages are shown with two decimals (12.35 %); quantities as entered.
PERCENT_PLACES = Decimal("0.01")
#: Per-product figures (m³ per tonne of product) keep four decimals.
RATIO_PLACES = Decimal("0.0001")

#: The acceptance threshold for a balance's deviation, in percent: a material or water balance
#: whose |(投入 − 产出) / 投入| exceeds it is flagged for re-measurement. 5 % is the conventional
#: figure used in cleaner production audit practice for 物料平衡 (the balance is "closed" when the
#: measured inputs and outputs agree within it); it is a working figure of this system, not a
#: limit taken from a regulation, and the same figure is applied to 水平衡. A deployment that
#: uses another figure sets QINGSHEN_BALANCE_DEVIATION_LIMIT (a Decimal, percent) in settings.
DEFAULT_BALANCE_DEVIATION_LIMIT = Decimal("5")


def balance_deviation_limit() -> Decimal:
    return Decimal(str(getattr(settings, "QINGSHEN_BALANCE_DEVIATION_LIMIT", DEFAULT_BALANCE_DEVIATION_LIMIT)))


def percent(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)


def ratio(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)


# --- 取水、重复利用和排水 -----------------------------------------------------------------------


def reuse_rate(reused: Decimal, intake: Decimal) -> Decimal | None:
    """重复利用率 (%) = 重复利用水量 / (重复利用水量 + 取水量) × 100; undefined when both are 0."""
    total = (reused or 0) + (intake or 0)
    if total == 0:
        return None
    return percent(Decimal(reused or 0) / Decimal(total) * HUNDRED)


def intake_per_product(intake: Decimal, output: Decimal | None) -> Decimal | None:
    """单位产品取水量 (m³ per unit of product) = 取水量 / 产品产量; undefined without an output."""
    if output is None or output == 0:
        return None
    return ratio(Decimal(intake or 0) / Decimal(output))


# --- 清洁生产目标 -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """A target's change from its baseline: absolute (in the indicator's unit) and relative."""

    absolute: Decimal | None
    percent: Decimal | None  # None when the baseline is 0 (no relative change from nothing)


def change(baseline: Decimal | None, target: Decimal | None) -> Change:
    """变化量 = 目标值 − 现状值; 变化率 (%) = 变化量 / 现状值 × 100 (negative = a reduction)."""
    if baseline is None or target is None:
        return Change(None, None)
    absolute = Decimal(target) - Decimal(baseline)
    relative = None if baseline == 0 else percent(absolute / Decimal(baseline) * HUNDRED)
    return Change(absolute, relative)


# --- 物料平衡 / 水平衡 ------------------------------------------------------------------------


def normalise_unit(unit: str) -> str:
    """Units compared for summing: case, spaces and the two ways of writing m³ do not matter."""
    return (unit or "").strip().lower().replace(" ", "").replace("m3", "m³")


@dataclass(frozen=True)
class BalanceResult:
    """The totals of a balance and its deviation.

    `deviation` is None with a `reason` when it cannot be computed: no lines, lines in more than
    one unit (tonnes cannot be added to m³), or nothing going in (division by zero).
    """

    unit: str
    total_in: Decimal | None
    total_out: Decimal | None
    deviation: Decimal | None
    limit: Decimal
    reason: str = ""
    totals_by_unit: tuple = ()  # ((unit, in, out), …) when the units differ

    @property
    def within_limit(self) -> bool | None:
        """True / False against the threshold; None when there is no deviation to judge."""
        if self.deviation is None:
            return None
        return abs(self.deviation) <= self.limit


def balance(lines) -> BalanceResult:
    """Totals of `lines` (objects with direction "in"/"out", quantity and unit) and the
    deviation (投入 − 产出) / 投入 × 100 %."""
    limit = balance_deviation_limit()
    lines = list(lines)
    if not lines:
        return BalanceResult("", None, None, None, limit, reason="尚未填写投入和产出。")
    by_unit: dict[str, list] = {}
    shown_unit: dict[str, str] = {}
    for line in lines:
        key = normalise_unit(line.unit)
        shown_unit.setdefault(key, line.unit.strip())
        sums = by_unit.setdefault(key, [Decimal(0), Decimal(0)])
        sums[0 if line.direction == "in" else 1] += Decimal(line.quantity)
    if len(by_unit) > 1:
        totals = tuple((shown_unit[k], v[0], v[1]) for k, v in by_unit.items())
        return BalanceResult("", None, None, None, limit, totals_by_unit=totals,
                             reason="投入和产出的计量单位不一致，无法合计和计算偏差；请统一换算为同一单位。")
    key, (total_in, total_out) = next(iter(by_unit.items()))
    if total_in == 0:
        return BalanceResult(shown_unit[key], total_in, total_out, None, limit,
                             reason="投入合计为零，偏差无法计算。")
    deviation = percent((total_in - total_out) / total_in * HUNDRED)
    return BalanceResult(shown_unit[key], total_in, total_out, deviation, limit)
