from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework import exceptions, mixins, serializers, viewsets

from qingshen.core.api import ScopedViewSetMixin
from qingshen.enterprises import services
from qingshen.enterprises.filters import EnterpriseFilterSet
from qingshen.enterprises.models import Enterprise
from qingshen.enterprises.validators import validate_uscc


class EnterpriseSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    industry_name = serializers.CharField(source="industry.name", read_only=True, default="")
    version = serializers.IntegerField(required=False, help_text="修改时传入读取到的版本号，防止覆盖他人的修改")

    class Meta:
        model = Enterprise
        fields = ["id", *services.FIELDS, "region_name", "industry_name", "version",
                  "province_code", "city_code", "county_code", "created_at", "updated_at"]
        read_only_fields = ["province_code", "city_code", "county_code", "created_at", "updated_at"]
        validators = []  # uniqueness is checked by the service inside its transaction
        extra_kwargs = {"uscc": {"validators": [validate_uscc]}}  # … the code's too (no UniqueValidator)

    def validate_uscc(self, value):
        return (value or "").strip().upper() or None


class EnterpriseViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    mixins.UpdateModelMixin, viewsets.GenericViewSet,
):
    """企业名录：按辖区过滤；新增、修改经业务服务写入审计日志；不提供删除（DELETE 返回 405）。"""

    queryset = Enterprise.objects.all()
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilterSet
    select_related = ("region", "industry")

    def perform_create(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in services.FIELDS}
        serializer.instance = self._call(services.create_enterprise, self.request.user, **data)

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in services.FIELDS}
        expected = serializer.validated_data.get("version")
        serializer.instance = self._call(
            services.update_enterprise, self.request.user, serializer.instance, expected_version=expected, **data
        )

    @staticmethod
    def _call(func, *args, **kwargs):
        try:
            return func(*args, **kwargs)
        except services.StaleEditError as exc:
            raise exceptions.ValidationError({"version": exc.messages}) from exc
        except ValidationError as exc:
            raise exceptions.ValidationError(getattr(exc, "message_dict", None) or exc.messages) from exc
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc


ROUTES = [("enterprises", EnterpriseViewSet)]
