import django_filters

from qingshen.audit_trail.models import Event
from qingshen.core.forms import StyledForm


class EventFilterSet(django_filters.FilterSet):
    action = django_filters.CharFilter(label="操作", lookup_expr="startswith")
    actor_name = django_filters.CharFilter(label="操作人", lookup_expr="contains")
    object_repr = django_filters.CharFilter(label="对象", lookup_expr="contains")
    since = django_filters.DateFilter(label="起始日期", field_name="occurred_at", lookup_expr="date__gte")
    until = django_filters.DateFilter(label="截止日期", field_name="occurred_at", lookup_expr="date__lte")

    class Meta:
        model = Event
        fields = ["action", "actor_name", "object_repr", "since", "until"]
        form = StyledForm
