"""The caller's own messages in the API (a message belongs to its recipient, whatever the role).

- `/api/messages/` — newest first; `?unread=true` for the unread ones only;
- `/api/messages/<id>/` — one message;
- `/api/messages/<id>/read/` (POST) — mark it read;
- `/api/messages/read-all/` (POST) — mark all read;
- `/api/messages/unread-count/` — how many are unread.
"""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from qingshen.core.api import ScopedViewSetMixin
from qingshen.notifications import services
from qingshen.notifications.models import KIND_LABELS, Message


class MessageFilterSet(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(label="仅未读", method="filter_unread")

    class Meta:
        model = Message
        fields = []

    def filter_unread(self, queryset, name, value):
        return queryset.filter(read_at__isnull=value)


class MessageSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="；".join(f"{k} = {v}" for k, v in KIND_LABELS.items()))
    kind_display = serializers.CharField(source="kind_label", read_only=True)
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Message
        fields = ["id", "kind", "kind_display", "title", "body", "link", "created_at", "read_at", "is_read"]
        read_only_fields = fields


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="本次标为已读的消息数")


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField(help_text="未读消息数")


class MessageViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """我的消息：只含本人的消息，最新的在前。"""

    queryset = Message.objects.all()
    serializer_class = MessageSerializer
    filterset_class = MessageFilterSet
    # Every signed-in user has a 消息中心; the queryset keeps each to their own.
    required_permissions = {"list": None, "retrieve": None, "read": None, "read_all": None, "unread_count": None}

    @extend_schema(request=None, responses=MessageSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """标为已读。"""
        message = services.mark_read(request.user, self.get_object())
        return Response(MessageSerializer(message).data)

    @extend_schema(request=None, responses=ReadAllSerializer)
    @action(detail=False, methods=["post"], url_path="read-all", filterset_class=None)
    def read_all(self, request):
        """全部标为已读。"""
        return Response({"marked": services.mark_all_read(request.user)})

    @extend_schema(responses=UnreadCountSerializer)
    @action(detail=False, methods=["get"], url_path="unread-count", filterset_class=None, pagination_class=None)
    def unread_count(self, request):
        """未读消息数。"""
        return Response({"unread": services.unread_count(request.user)})


ROUTES = [("messages", MessageViewSet)]
