"""The option ledger in the API, with the pages' rules: the list and reads are scoped by
`restrict(user)`; creating, changing and deleting go through the same services (permission,
stale `version`, messages in Chinese).

- `/api/options/` — the ledger (filters: project, cost_class, status, phase, q);
- `/api/options/<id>/feasibility/` — GET the analysis with its results, the per-year cash
  flows and the decision rules; PUT to create or change it (中高费 only); DELETE to remove it;
- `/api/options/totals/?project=<id>` — totals by class, all and implemented (without
  `project`: over every option the caller may see);
- `/api/options/summary/?campaign=<id>` — 方案汇总 per county, for officials.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from qingshen.campaigns.models import Campaign
from qingshen.core.api import ScopedViewSetMixin
from qingshen.core.roles import OFFICIAL_ROLES
from qingshen.options import services, totals
from qingshen.options.filters import OptionApiFilterSet
from qingshen.options.models import Feasibility, Option, Phase
from qingshen.projects.models import AuditProject

CHANGE = services.PERMISSION
VIEW = "options.view_option"


def _codes(choices) -> str:
    return "；".join(f"{value} = {label}" for value, label in choices)


class ProjectField(serializers.PrimaryKeyRelatedField):
    """A project the caller may see."""

    default_error_messages = {"does_not_exist": "清洁生产审核项目 {pk_value} 不存在或不在您的权限范围内。"}

    def get_queryset(self):
        return AuditProject.objects.restrict(self.context["request"].user)


class OptionSerializer(serializers.ModelSerializer):
    project = ProjectField(help_text="清洁生产审核项目编号（创建后不能更改）")
    code = serializers.CharField(required=False, allow_blank=True, max_length=20, help_text="不填则自动编为下一个 F 编号")
    # Plain strings, not enums (every app has a "status"; see projects.api): the service checks them.
    phase = serializers.CharField(required=False, help_text=_codes(Phase.choices))
    cost_class = serializers.CharField(required=False, help_text=_codes(Option.CostClass.choices))
    status = serializers.CharField(required=False, help_text=_codes(Option.Status.choices))
    phase_display = serializers.CharField(source="get_phase_display", read_only=True)
    cost_class_display = serializers.CharField(source="get_cost_class_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    # Declared without bounds: a negative amount is refused by the service, in its words.
    investment = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, help_text="投资（万元），不能为负数")
    water_saved = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    cod_reduced = serializers.DecimalField(max_digits=12, decimal_places=3, required=False, allow_null=True)
    nh3n_reduced = serializers.DecimalField(max_digits=12, decimal_places=3, required=False, allow_null=True)
    energy_saved = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    version = serializers.IntegerField(required=False, help_text="修改时传入读取到的版本号，防止覆盖他人的修改")
    has_feasibility = serializers.SerializerMethodField()

    class Meta:
        model = Option
        fields = ["id", "project", *services.FIELDS, "phase_display", "cost_class_display", "status_display",
                  "version", "has_feasibility", "province_code", "city_code", "county_code", "created_at", "updated_at"]
        read_only_fields = ["province_code", "city_code", "county_code", "created_at", "updated_at"]
        validators = []  # the code's uniqueness is checked by the service inside its transaction

    def get_has_feasibility(self, option) -> bool:
        try:
            return option.feasibility is not None
        except Feasibility.DoesNotExist:
            return False


class FeasibilitySerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(required=False, help_text="修改时传入读取到的版本号；新建时可传 0")
    verdict = serializers.SerializerMethodField()
    years = serializers.SerializerMethodField(help_text="逐年现金流量表")
    rules = serializers.SerializerMethodField(help_text="判定准则")

    class Meta:
        model = Feasibility
        fields = ["option", *services.FEASIBILITY_FIELDS, *Feasibility.RESULTS, "verdict", "version", "years", "rules",
                  "created_at", "updated_at"]
        read_only_fields = ["option", *Feasibility.RESULTS, "created_at", "updated_at"]
        extra_kwargs = {name: {"validators": []} for name in Feasibility.INPUTS}

    def _result(self, feasibility):
        if not hasattr(self, "_results"):
            self._results = {}
        if feasibility.pk not in self._results:
            self._results[feasibility.pk] = feasibility.compute()
        return self._results[feasibility.pk]

    def get_verdict(self, feasibility) -> str:
        return services.verdict(feasibility)

    def get_years(self, feasibility) -> list[dict]:
        return [{"year": y.year, "depreciation": round(y.depreciation, 4), "taxable": round(y.taxable, 4),
                 "tax": round(y.tax, 4), "cash_flow": round(y.cash_flow, 4),
                 "discount_factor": round(y.discount_factor, 6), "present_value": round(y.present_value, 4),
                 "cumulative": round(y.cumulative, 4)} for y in self._result(feasibility).years]

    def get_rules(self, feasibility) -> list[dict]:
        return [{"label": r.label, "passed": r.passed, "detail": r.detail} for r in self._result(feasibility).rules]


def _api_errors(exc):
    if isinstance(exc, services.StaleEditError):
        return exceptions.ValidationError({"version": exc.messages})
    if isinstance(exc, ValidationError):
        return exceptions.ValidationError(getattr(exc, "message_dict", None) or {"non_field_errors": exc.messages})
    return exceptions.PermissionDenied(str(exc) or None)


class OptionViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    """清洁生产方案（方案台账）：按辖区过滤；企业及其委托的咨询机构可登记、修改、删除，官员只读。"""

    queryset = Option.objects.all()
    serializer_class = OptionSerializer
    filterset_class = OptionApiFilterSet
    select_related = ("project", "feasibility")
    required_permissions = {"create": CHANGE, "update": CHANGE, "partial_update": CHANGE, "destroy": CHANGE,
                            "feasibility": VIEW, "totals": VIEW, "summary": VIEW}

    def _call(self, func, *args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (ValidationError, PermissionDenied) as exc:
            raise _api_errors(exc) from exc

    def perform_create(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in services.FIELDS}
        serializer.instance = self._call(services.create_option, self.request.user,
                                         serializer.validated_data["project"], **data)

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in services.FIELDS}
        project = serializer.validated_data.get("project")
        if project is not None and project.pk != serializer.instance.project_id:
            raise exceptions.ValidationError({"project": ["方案不能移到其他项目。"]})
        serializer.instance = self._call(services.update_option, self.request.user, serializer.instance,
                                         expected_version=serializer.validated_data.get("version"), **data)

    def perform_destroy(self, instance):
        version = self.request.query_params.get("version")
        self._call(services.delete_option, self.request.user, instance,
                   expected_version=int(version) if version and version.isdigit() else None)

    @extend_schema(methods=["GET"], responses=FeasibilitySerializer)
    @extend_schema(methods=["PUT"], request=FeasibilitySerializer, responses=FeasibilitySerializer)
    @extend_schema(methods=["DELETE"], parameters=[OpenApiParameter("version", OpenApiTypes.INT)], responses=None)
    @action(detail=True, methods=["get", "put", "delete"], filterset_class=None)
    def feasibility(self, request, pk=None):
        """中高费方案的可行性分析：GET 读取（含计算结果、逐年现金流量和判定准则），PUT 填写或修改（保存时重新计算），DELETE 删除。"""
        option = self.get_object()
        if request.method != "GET" and not request.user.has_perm(CHANGE):
            raise exceptions.PermissionDenied("您无权修改可行性分析。")
        if request.method == "DELETE":
            version = request.query_params.get("version")
            self._call(services.delete_feasibility, request.user, option,
                       expected_version=int(version) if version and version.isdigit() else None)
            return Response(status=status.HTTP_204_NO_CONTENT)
        if request.method == "PUT":
            serializer = FeasibilitySerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = {k: v for k, v in serializer.validated_data.items() if k in services.FEASIBILITY_FIELDS}
            feasibility = self._call(services.save_feasibility, request.user, option,
                                     expected_version=serializer.validated_data.get("version"), **data)
            return Response(FeasibilitySerializer(feasibility).data)
        feasibility = Feasibility.objects.filter(option=option).first()
        if feasibility is None:
            raise exceptions.NotFound("该方案还没有可行性分析。" if option.is_high_cost else "无低费方案无需进行可行性分析。")
        return Response(FeasibilitySerializer(feasibility).data)

    @extend_schema(parameters=[OpenApiParameter("project", OpenApiTypes.INT, description="清洁生产审核项目编号；不填则为可见的全部方案")],
                   responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def totals(self, request):
        """方案合计：按类别（无低费、中高费、合计）统计全部方案（不含已放弃）和已实施方案的数量、投资、经济效益和环境效益。"""
        queryset = Option.objects.restrict(request.user)
        wanted = request.query_params.get("project")
        if wanted:
            if not wanted.isdigit():
                raise exceptions.ValidationError({"project": ["请填写清洁生产审核项目编号。"]})
            if not AuditProject.objects.restrict(request.user).filter(pk=wanted).exists():
                raise exceptions.NotFound("清洁生产审核项目不存在。")
            queryset = queryset.filter(project_id=wanted)
        return Response(totals.totals(queryset).as_dict())

    @extend_schema(parameters=[OpenApiParameter("campaign", OpenApiTypes.INT, description="清审批次编号；不填则为全部批次")],
                   responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def summary(self, request):
        """方案汇总（生态环境部门）：辖区内按区县统计方案数量、投资、经济效益和环境效益。"""
        if request.user.role not in OFFICIAL_ROLES:
            raise exceptions.PermissionDenied("方案汇总仅供生态环境部门查看。")
        campaign = None
        wanted = request.query_params.get("campaign")
        if wanted:
            campaign = Campaign.objects.restrict(request.user).filter(pk=wanted if wanted.isdigit() else 0).first()
            if campaign is None:
                raise exceptions.NotFound("清审批次不存在。")
        rollup = totals.rollup(request.user, campaign)

        def row(r):
            return {"region_code": r.region_code, "region_name": r.region_name, **r.totals.as_dict()}

        return Response({"scope": totals.scope_label(request.user), "campaign": campaign.pk if campaign else None,
                         "rows": [row(r) for r in rollup.rows], "cities": [row(r) for r in rollup.cities],
                         "total": row(rollup.total)})


ROUTES = [("options", OptionViewSet)]
