"""Benchmarking in the API, with the pages' rules and services.

- `/api/indicator-systems/` — every version (reference data: any user who may read systems);
  `<id>/export/?fmt=yaml|xlsx`; `import/` (multipart `file`, `dry_run`) checks a file and,
  unless `dry_run`, saves it as the next version; `<id>/try/` computes a result from answers
  without saving it;
- `/api/benchmarks/` — a project's 对标 per stage, scoped (filters: project, stage);
  `record/` saves the enterprise's values; `<id>/confirm/` and `<id>/return/` are the reviewer's.

Answers travel as a list: `[{"seq": 5, "applicable": true, "value": "20", "met": []}, …]`.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from qingshen.benchmarking import services
from qingshen.benchmarking.formats import FormatError
from qingshen.benchmarking.formats.validation import validate
from qingshen.benchmarking.models import Benchmark, IndicatorSystem
from qingshen.benchmarking.transfer import export_response, read_upload
from qingshen.core.api import ScopedViewSetMixin, raise_service_error
from qingshen.projects.models import AuditProject


class AnswerSerializer(serializers.Serializer):
    seq = serializers.IntegerField(min_value=1)
    applicable = serializers.BooleanField(default=True)
    value = serializers.DecimalField(max_digits=16, decimal_places=4, required=False, allow_null=True,
                                     min_value=0)
    met = serializers.ListField(child=serializers.CharField(), required=False, default=list)


def answers_of(rows) -> dict:
    return {row["seq"]: {"applicable": row["applicable"], "value": row.get("value"), "met": row.get("met", [])}
            for row in rows}


class IndicatorSystemSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="draft = 草稿, incomplete = 不完整, verified = 已核对")
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    industries = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    is_official = serializers.BooleanField(read_only=True, help_text="只有已核对的版本产生正式等级")

    class Meta:
        model = IndicatorSystem
        fields = ["id", "code", "version", "name", "issuers", "document_number", "year", "industries", "status",
                  "status_display", "is_official", "source_file", "source_page", "source_note", "created_at"]
        read_only_fields = fields


class IndicatorSystemDetailSerializer(IndicatorSystemSerializer):
    class Meta(IndicatorSystemSerializer.Meta):
        fields = [*IndicatorSystemSerializer.Meta.fields, "definition"]
        read_only_fields = fields


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=".xlsx 或 .yaml")
    dry_run = serializers.BooleanField(default=False, help_text="true：只检查，不保存")


class TrySerializer(serializers.Serializer):
    answers = AnswerSerializer(many=True)
    in_approved_park = serializers.BooleanField(default=False)
    centralized_treatment = serializers.BooleanField(default=False)


class IndicatorSystemViewSet(viewsets.ReadOnlyModelViewSet):
    """清洁生产评价指标体系（参考数据）：各版本；export 导出，import 导入新版本，try 试算。"""

    queryset = IndicatorSystem.objects.prefetch_related("industries").order_by("code", "-version")
    serializer_class = IndicatorSystemSerializer
    filterset_fields = ["code", "status", "industries"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    required_permissions = {"list": "benchmarking.view_indicatorsystem",
                            "retrieve": "benchmarking.view_indicatorsystem",
                            "export": "benchmarking.view_indicatorsystem",
                            "trial": "benchmarking.view_indicatorsystem",
                            "import_file": "benchmarking.change_indicatorsystem"}

    def get_serializer_class(self):
        return IndicatorSystemDetailSerializer if self.action == "retrieve" else super().get_serializer_class()

    @extend_schema(parameters=[OpenApiParameter("fmt", str, enum=["yaml", "xlsx"])], responses=OpenApiTypes.BINARY)
    @action(detail=True, methods=["get"])
    def export(self, request, pk=None):
        """导出为 YAML（默认）或 .xlsx（版式同官方指标表）。"""
        return export_response(self.get_object(), request.query_params.get("fmt", "yaml"))

    @extend_schema(request={"multipart/form-data": ImportSerializer}, responses=IndicatorSystemSerializer)
    @action(detail=False, methods=["post"], url_path="import")
    def import_file(self, request):
        """导入 .xlsx 或 YAML：检查（错误指明行）；dry_run 时只返回检查结果。"""
        data = ImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            definition = read_upload(data.validated_data["file"])
        except FormatError as exc:
            raise exceptions.ValidationError({"file": [str(exc)]}) from exc
        report = validate(definition)
        if not report.ok:
            raise exceptions.ValidationError({"errors": report.errors, "warnings": report.warnings})
        if data.validated_data["dry_run"]:
            return Response({"ok": True, "errors": [], "warnings": report.warnings})
        try:
            system = services.import_system(request.user, definition)
        except (ValidationError, PermissionDenied) as exc:
            raise_service_error(exc)
        return Response(IndicatorSystemSerializer(system).data, status=201)

    @extend_schema(request=TrySerializer, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"], url_path="try")
    def trial(self, request, pk=None):
        """试算：按给出的指标值计算综合评价指数和等级，并对照河北省对标目标；不保存。"""
        system = self.get_object()
        data = TrySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            result, check = services.trial(system, answers_of(values["answers"]),
                                           in_approved_park=values["in_approved_park"],
                                           centralized_treatment=values["centralized_treatment"])
        except ValidationError as exc:
            raise exceptions.ValidationError({"answers": exc.messages}) from exc
        return Response({"result": result, "target": check})


class BenchmarkSerializer(serializers.ModelSerializer):
    stage = serializers.CharField(read_only=True, help_text="before = 审核前（预审核）, after = 实施后（方案的实施）")
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    # plain strings, not enums (see projects.api)
    level = serializers.CharField(read_only=True, help_text="I、II、III 或 below（III级以下）；无指标体系时为空")
    confirmed_level = serializers.CharField(read_only=True, help_text=(
        "审核确认的等级：I、II、III、below，或 peer_advanced / peer_not_reached（同行业国内先进水平）"))
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    confirmed_level_display = serializers.CharField(source="get_confirmed_level_display", read_only=True)
    values = serializers.SerializerMethodField()
    target = serializers.SerializerMethodField(help_text="对照本批次对标目标的结果（有指标体系时）")

    class Meta:
        model = Benchmark
        fields = ["id", "project", "stage", "stage_display", "system", "in_approved_park", "centralized_treatment",
                  "peer_comparison", "level", "level_display", "trial", "result", "recorded_by", "recorded_at",
                  "confirmed_level", "confirmed_level_display", "confirmed_result", "review_opinion",
                  "confirmed_by", "confirmed_at", "version", "values", "target"]
        read_only_fields = fields

    def get_values(self, benchmark) -> list:
        return [{"seq": value.seq, "applicable": value.applicable,
                 "value": None if value.value is None else str(value.value), "met": value.met,
                 "confirmed_met": value.confirmed_met} for value in benchmark.values.all()]

    def get_target(self, benchmark) -> dict | None:
        return services.target_check(benchmark)


class RecordSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    stage = serializers.ChoiceField(choices=Benchmark.Stage.choices)
    system = serializers.IntegerField(allow_null=True, help_text="指标体系版本 id；null 表示本行业无指标体系")
    answers = AnswerSerializer(many=True, required=False, default=list)
    in_approved_park = serializers.BooleanField(default=False)
    centralized_treatment = serializers.BooleanField(default=False)
    peer_comparison = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, allow_null=True,
                                       help_text="读取到的版本；新建时为 0；与当前不同（页面过期）时拒绝")


class ConfirmSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, allow_null=True)
    confirmed_met = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False,
                                          help_text="定性指标序号 → 确认满足的要求；未列出的按企业答复")
    opinion = serializers.CharField(required=False, allow_blank=True, default="")
    peer_reached = serializers.BooleanField(required=False, allow_null=True, default=None,
                                            help_text="无指标体系时：是否达到同行业国内先进水平")


class ReturnSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, allow_null=True)
    opinion = serializers.CharField()


class BenchmarkViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       viewsets.GenericViewSet):
    """对标：按辖区过滤；record 填报（企业或咨询机构），confirm 确认、return 退回（审核部门）。"""

    queryset = Benchmark.objects.all()
    serializer_class = BenchmarkSerializer
    select_related = ("project__campaign", "system")
    filterset_fields = ["project", "stage"]
    required_permissions = {"record": "benchmarking.change_benchmark", "confirm": "benchmarking.review_benchmark",
                            "send_back": "benchmarking.review_benchmark"}

    def get_queryset(self):
        return super().get_queryset().prefetch_related("values")

    @extend_schema(request=RecordSerializer, responses=BenchmarkSerializer)
    @action(detail=False, methods=["post"])
    def record(self, request):
        """填报（或修改）某阶段的对标。"""
        data = RecordSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        project = AuditProject.objects.restrict(request.user).filter(pk=values["project"]).first()
        if project is None:
            raise exceptions.NotFound("审核项目不存在。")
        system = None
        if values["system"] is not None:
            system = IndicatorSystem.objects.filter(pk=values["system"]).first()
            if system is None:
                raise exceptions.ValidationError({"system": ["指标体系不存在。"]})
        try:
            benchmark = services.save_benchmark(
                request.user, project, values["stage"], system=system, answers=answers_of(values["answers"]),
                in_approved_park=values["in_approved_park"], centralized_treatment=values["centralized_treatment"],
                peer_comparison=values["peer_comparison"], version=values.get("version"))
        except (ValidationError, PermissionDenied) as exc:
            raise_service_error(exc)
        return Response(BenchmarkSerializer(self.get_queryset().get(pk=benchmark.pk)).data)

    @extend_schema(request=ConfirmSerializer, responses=BenchmarkSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """确认（或更正定性指标后确认）对标等级；无指标体系时记录专家判断。"""
        benchmark = self.get_object()
        data = ConfirmSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        confirmed = {int(seq): met for seq, met in (values.get("confirmed_met") or {}).items()
                     if str(seq).isdigit()}
        try:
            services.confirm_benchmark(request.user, benchmark, confirmed_met=confirmed, opinion=values["opinion"],
                                       peer_reached=values.get("peer_reached"), version=values.get("version"))
        except (ValidationError, PermissionDenied) as exc:
            raise_service_error(exc)
        return Response(BenchmarkSerializer(self.get_queryset().get(pk=benchmark.pk)).data)

    @extend_schema(request=ReturnSerializer, responses=BenchmarkSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def send_back(self, request, pk=None):
        """退回企业修改（撤销确认）。"""
        benchmark = self.get_object()
        data = ReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.return_benchmark(request.user, benchmark, opinion=data.validated_data["opinion"],
                                      version=data.validated_data.get("version"))
        except (ValidationError, PermissionDenied) as exc:
            raise_service_error(exc)
        return Response(BenchmarkSerializer(self.get_queryset().get(pk=benchmark.pk)).data)


ROUTES = [("indicator-systems", IndicatorSystemViewSet), ("benchmarks", BenchmarkViewSet)]
