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
