from django import template
from django.utils.html import format_html

from qingshen.rosters.services import CORRECTABLE

register = template.Library()

TASK_BADGES = {
    "draft": "bg-secondary-lt", "pending": "bg-yellow-lt", "dispatched": "bg-blue-lt",
    "submitted": "bg-azure-lt", "approved": "bg-green-lt", "returned": "bg-red-lt",
}
MEMBER_BADGES = {"included": "bg-green-lt", "excluded": "bg-red-lt", "proposed": "bg-yellow-lt"}
DECISION_BADGES = {"": "bg-secondary-lt", "approved": "bg-green-lt", "returned": "bg-red-lt"}


@register.simple_tag
def task_status(task):
    """The task's status as the seed words it (待确认, 已下发, 已提交, 已通过, 已退回)."""
    return format_html('<span class="badge {} task-status" data-status="{}">{}</span>',
                       TASK_BADGES.get(task.status, ""), task.status, task.get_status_display())


@register.simple_tag
def member_status(member):
    return format_html('<span class="badge {} member-status" data-status="{}">{}</span>',
                       MEMBER_BADGES.get(member.status, ""), member.status, member.get_status_display())


@register.simple_tag
def decision_badge(submission):
    return format_html('<span class="badge {}">{}</span>', DECISION_BADGES.get(submission.decision, ""),
                       submission.get_decision_display())


@register.filter
def fact_label(field):
    return CORRECTABLE.get(field, field)
