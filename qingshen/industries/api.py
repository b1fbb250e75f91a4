from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers, viewsets
from rest_framework.filters import SearchFilter

from qingshen.industries.models import Industry


class IndustrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Industry
        fields = ["code", "name", "level", "parent", "division_code"]


class IndustryViewSet(viewsets.ReadOnlyModelViewSet):
    """GB/T 4754-2017 国民经济行业分类（参考数据，所有登录用户可读）。"""

    queryset = Industry.objects.order_by("code")
    serializer_class = IndustrySerializer
    required_permissions = {"list": None, "retrieve": None}
    filter_backends = [DjangoFilterBackend, SearchFilter]
    filterset_fields = ["level", "parent", "division_code"]
    search_fields = ["^code", "name"]


ROUTES = [("industries", IndustryViewSet)]
