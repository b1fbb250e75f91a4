from django import template

from qingshen.campaigns import calendar
from qingshen.campaigns.models import Party
from qingshen.core.roles import Role

register = template.Library()

#: The steps each kind of reader is answerable for; officials see every step.
PARTIES_FOR_ROLE = {
    Role.ENTERPRISE: {Party.ENTERPRISE, Party.HANDLING_LEVEL},
    Role.CONSULTANCY: {Party.ENTERPRISE, Party.HANDLING_LEVEL},
    Role.PERMIT_AUTHORITY: {Party.PERMIT_AUTHORITY},
}


@register.simple_tag
def deadlines_for(campaign, region):
    """{% deadlines_for campaign region as deadlines %}: the dates that apply in that region."""
    return calendar.deadlines(campaign, region)


@register.inclusion_tag("campaigns/_deadlines.html", takes_context=True)
def show_deadlines(context, campaign, region, title="时间节点"):
    """The calendar box every campaign screen shows: each step that applies to the reader, its
    date and who set it (an enterprise sees its own steps and its reviews; officials all)."""
    deadlines = calendar.deadlines(campaign, region)
    user = getattr(context.get("request"), "user", None)
    parties = PARTIES_FOR_ROLE.get(getattr(user, "role", None))
    if parties is not None:
        deadlines = [d for d in deadlines if d.party in parties]
    return {"deadlines": deadlines, "title": title, "region": region}
