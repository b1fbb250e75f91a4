from django import template

from qingshen.benchmarking import presentation

register = template.Library()


@register.filter
def level_label(level):
    """I → I级, below → III级以下, None → —."""
    return presentation.level_label(level)


@register.filter
def level_badge(level):
    """A Tabler badge colour for a level."""
    return {"I": "bg-green-lt", "II": "bg-teal-lt", "III": "bg-yellow-lt", "below": "bg-red-lt",
            "peer_advanced": "bg-teal-lt", "peer_not_reached": "bg-red-lt"}.get(level, "bg-secondary-lt")


@register.filter
def number(value):
    return presentation.number(value)



@register.filter
def get_field(form, name):
    """form[name], for fields whose names are built (a{seq}_value)."""
    return form[name]


@register.filter
def split(text):
    return text.split()


@register.filter
def cells_of(row, stage):
    """A statistics row's [(column, count)] for one stage."""
    return row.cells(stage)
