from django import template

from qingshen.campaigns.models import Party

register = template.Library()


@register.filter
def party_label(party):
    return Party(party).label if party in Party.values else party


@register.filter
def state_badge(state):
    return {"open": "bg-blue-lt", "on_time": "bg-green-lt", "late": "bg-yellow-lt", "overdue": "bg-red-lt"}.get(
        state, "bg-secondary-lt")


@register.filter
def metric(figures, name):
    """One summed metric of an options `Figures`, with two decimals."""
    return f"{getattr(figures, name):.2f}"


@register.filter
def benchmark_cells(total_row, stage):
    """[(level column, count)] of one benchmark stage of 对标统计's total row."""
    return total_row.cells(stage)
