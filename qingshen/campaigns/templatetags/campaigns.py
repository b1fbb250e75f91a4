from django import template
from django.utils import timezone

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
    rows = [(d, *days_left(d.date)) for d in deadlines]
    return {"rows": rows, "title": title, "region": region}


def days_left(day) -> tuple[str, str]:
    """(“还有 12 天” / “今天截止” / “已过 3 天”, its colour) for a due date, in China's calendar
    days. Neutral about the past: whether the step was done in time is the supervision's question."""
    if not day:
        return "", ""
    delta = (day - timezone.localdate()).days
    if delta > 0:
        return f"还有 {delta} 天", "text-green"
    if delta == 0:
        return "今天截止", "text-orange"
    return f"已过 {-delta} 天", "text-secondary"
