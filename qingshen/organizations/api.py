from rest_framework import serializers

from qingshen.core.api import ScopedReadOnlyViewSet
from qingshen.organizations.models import Organization


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "kind", "name", "account_code", "region", "enterprise", "uscc", "contact_person",
                  "contact_phone", "is_active", "province_code", "city_code", "county_code"]


class OrganizationViewSet(ScopedReadOnlyViewSet):
    """单位（按辖区过滤）。"""

    queryset = Organization.objects.all()
    serializer_class = OrganizationSerializer
    filterset_fields = ["kind", "region"]


ROUTES = [("organizations", OrganizationViewSet)]
