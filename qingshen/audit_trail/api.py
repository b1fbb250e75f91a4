from rest_framework import serializers

from qingshen.audit_trail.filters import EventFilterSet
from qingshen.audit_trail.models import Event
from qingshen.core.api import ScopedReadOnlyViewSet


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = Event
        fields = ["seq", "occurred_at", "actor", "actor_name", "organization_name", "action", "summary",
                  "object_type", "object_id", "object_repr", "before", "after", "request_id", "prev_hash", "hash"]


class EventViewSet(ScopedReadOnlyViewSet):
    """审计日志（只读，按辖区过滤）。"""

    queryset = Event.objects.all()
    serializer_class = EventSerializer
    filterset_class = EventFilterSet
    lookup_field = "seq"


ROUTES = [("events", EventViewSet)]
