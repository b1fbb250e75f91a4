from rest_framework import serializers, viewsets

from qingshen.regions.models import Region


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "short_name", "level", "kind", "parent", "statistical_parent_code",
                  "is_official_code", "province_code", "city_code", "county_code", "note"]


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """行政区划树（参考数据，所有登录用户可读）。"""

    queryset = Region.objects.order_by("code")
    serializer_class = RegionSerializer
    required_permissions = {"list": None, "retrieve": None}
    filterset_fields = ["level", "parent", "city_code"]


ROUTES = [("regions", RegionViewSet)]
