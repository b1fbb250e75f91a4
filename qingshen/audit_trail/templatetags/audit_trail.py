from django import template

register = template.Library()


@register.filter
def label_for(field_labels, name):
    return field_labels.get(name, name)


@register.filter
def shown(value):
    if value is None or value == "":
        return "—"
    if value is True:
        return "是"
    if value is False:
        return "否"
    return value
