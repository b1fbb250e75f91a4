from django import template

from qingshen.campaigns import calendar

register = template.Library()


@register.simple_tag
def deadlines_for(campaign, region):
    """{% deadlines_for campaign region as deadlines %}: the dates that apply in that region."""
    return calendar.deadlines(campaign, region)


@register.inclusion_tag("campaigns/_deadlines.html")
def show_deadlines(campaign, region, title="时间节点"):
    """The calendar box every campaign screen shows: each step, its date and who set it."""
    return {"deadlines": calendar.deadlines(campaign, region), "title": title, "region": region}
