"""How the audit data pages write numbers: quantities as entered without padding zeros
(1200, 0.35), percentages with two decimals, and "—" for what is empty or undefined."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def qty(value):
    """1200.0000 → 1200; 0.3500 → 0.35; None → —."""
    if value is None or value == "":
        return "—"
    number = Decimal(value)
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "") else text


@register.filter
def pct(value):
    """12.3456 → 12.35 %; None → —."""
    if value is None:
        return "—"
    return f"{Decimal(value):.2f} %"


@register.filter
def signed(value):
    """A change with its sign: +3.5, −2 (the minus sign, as printed tables write it)."""
    if value is None:
        return "—"
    text = qty(value)
    if Decimal(value) > 0:
        return f"+{text}"
    return text.replace("-", "−")


@register.filter
def signed_pct(value):
    """−10.00 %, +2.50 %; None → —."""
    if value is None:
        return "—"
    text = f"{Decimal(value):.2f} %"
    return f"+{text}" if Decimal(value) > 0 else text.replace("-", "−")


@register.filter
def object_type(obj):
    """"audit_data.wateruse": the object type of a row's 修改记录 page."""
    return obj._meta.label_lower
