"""The expert pool in the API, with the pages' rules: the list and reads are scoped by
`restrict(user)` (the province every pool, a city its own); creating and changing go through
the same services (permission, the pool rules, stale `version`, messages in Chinese).

- `/api/experts/` — filters: q (姓名或工作单位), pool (区划代码), field, industry (大类代码),
  is_active. No DELETE: an expert who leaves is 停用 (`is_active` = false), so the reviews it
  took part in keep their record.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from rest_framework import exceptions, mixins, serializers, viewsets

from qingshen.core.api import ScopedViewSetMixin, raise_service_error
from qingshen.enterprises.models import Enterprise
from qingshen.experts import services
from qingshen.experts.filters import ExpertFilterSet
from qingshen.experts.models import Expert, Field
from qingshen.industries.models import Industry
from qingshen.organizations.models import Organization
from qingshen.regions.models import Region


def _codes(choices) -> str:
    return "；".join(f"{value} = {label}" for value, label in choices)


class ConflictEnterpriseField(serializers.PrimaryKeyRelatedField):
    """An enterprise the caller may see, or one already declared on this expert."""

    default_error_messages = {"does_not_exist": "企业 {pk_value} 不存在或不在您的辖区内。"}

    def get_queryset(self):
        queryset = Enterprise.objects.restrict(self.context["request"].user)
        expert = self.root.instance
        if isinstance(expert, Expert):
            queryset = queryset | Enterprise.objects.filter(pk__in=expert.conflict_enterprises.values("pk"))
        return queryset


class ExpertSerializer(serializers.ModelSerializer):
    pool = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.all(), help_text="所属专家库的区划代码：130000 为省级专家库，设区市的代码为该市专家库")
    home_region = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.all(), help_text="所在地区：县（市、区）或设区市的区划代码")
    # Plain strings, not enums (see options.api): the service checks them, in its words.
    fields = serializers.ListField(child=serializers.CharField(), required=False, help_text=_codes(Field.choices))
    industries = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Industry.objects.all(), help_text="熟悉行业：GB/T 4754-2017 大类代码（两位）")
    conflict_consultancies = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Organization.objects.filter(kind=Organization.Kind.CONSULTANCY),
        help_text="回避：曾服务的咨询服务机构（单位编号）")
    conflict_enterprises = ConflictEnterpriseField(many=True, required=False, help_text="回避：曾服务或指导的企业（企业编号）")
    is_active = serializers.BooleanField(required=False, help_text="在库（可抽取）；false 为停用")
    version = serializers.IntegerField(required=False, help_text="修改时传入读取到的版本号，防止覆盖他人的修改")
    pool_label = serializers.SerializerMethodField()
    field_labels = serializers.ListField(child=serializers.CharField(), read_only=True)
    username = serializers.CharField(source="user.username", read_only=True, default=None,
                                     help_text="专家账号的登录名；尚未创建账号时为空")

    class Meta:
        model = Expert
        fields = ["id", *services.FIELDS, "industries", "conflict_consultancies", "conflict_enterprises", "is_active",
                  "version", "pool_label", "field_labels", "username", "province_code", "city_code", "created_at",
                  "updated_at"]
        read_only_fields = ["province_code", "city_code", "created_at", "updated_at"]
        validators = []  # uniqueness in the pool is checked by the service inside its transaction

    def get_pool_label(self, expert) -> str:
        return services.pool_label(expert.pool)


class ExpertViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """专家库：按辖区过滤（省级看全部专家库，市级看本市专家库）；新增、修改、停用经业务服务写入审计日志；不提供删除。"""

    queryset = Expert.objects.all()
    serializer_class = ExpertSerializer
    filterset_class = ExpertFilterSet
    select_related = ("pool", "user")

    def get_queryset(self):
        return super().get_queryset().prefetch_related("industries", "conflict_consultancies", "conflict_enterprises")

    @staticmethod
    def _call(func, *args, **kwargs):
        try:
            return func(*args, **kwargs)
        except services.StaleEditError as exc:
            raise exceptions.ValidationError({"version": exc.messages}) from exc
        except (ValidationError, PermissionDenied) as exc:
            raise_service_error(exc)

    def perform_create(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in services.EDITABLE}
        with transaction.atomic():
            expert = self._call(services.create_expert, self.request.user, **data)
            if serializer.validated_data.get("is_active") is False:
                expert = self._call(services.set_active, self.request.user, expert, False)
        serializer.instance = expert

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in services.EDITABLE}
        active = serializer.validated_data.get("is_active")
        with transaction.atomic():
            expert = self._call(services.update_expert, self.request.user, serializer.instance,
                                expected_version=serializer.validated_data.get("version"), **data)
            if active is not None and active != expert.is_active:
                expert = self._call(services.set_active, self.request.user, expert, active)
        serializer.instance = expert


ROUTES = [("experts", ExpertViewSet)]
