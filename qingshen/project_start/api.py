"""项目启动, its rows, 信息公布 and 审核合同 in the REST API: the same services, checks and
messages as the pages.

    GET   /api/project-starts/                      the starts the user may see (scoped)
    POST  /api/project-starts/  {project}           open the project's start (created on first call,
                                                    prefilled from the registry; fillers only)
    GET   /api/project-starts/{id}/                 one start (id = the audit project's id)
    PATCH /api/project-starts/{id}/  {…, version}   基本信息 (blank allowed: a draft may be half-filled)
    GET   /api/project-starts/{id}/submit/          {"allowed", "detail", "missing": [{step, text}]}
    POST  /api/project-starts/{id}/submit/ {version} 提交 (the enterprise only; 400 with the list while
                                                    anything is missing)
    /api/project-start-products/, -eia-approvals/, -monitoring-reports/, -facility-acceptances/,
    /api/project-disclosures/, /api/project-audit-contracts/
          list (?project=<id>) / create {project, …} / retrieve / update {…, version} /
          destroy (?version=<n>); each row lists its current files (upload them through the
          evidence API, owner = the row, slot "file").

Refusals: 400 with the Chinese message (by field where there is one; a stale `version` under
"version"), 403 for a user who may not (a consultancy submitting, an official changing), 404 for
a project outside the user's jurisdiction or delegation.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from qingshen.core.api import ScopedViewSetMixin
from qingshen.industries.models import Industry
from qingshen.project_start import services
from qingshen.project_start.forms import consultancies
from qingshen.project_start.models import (
    CHANGE_PERMISSION, SUBMIT_PERMISSION, VIEW_PERMISSION, AuditContract, Disclosure, EiaApproval, FacilityAcceptance,
    MonitoringReport, Product, ProjectStart,
)
from qingshen.projects.models import AuditProject

READ = {"list": VIEW_PERMISSION, "retrieve": VIEW_PERMISSION}
WRITE = {"create": CHANGE_PERMISSION, "update": CHANGE_PERMISSION, "partial_update": CHANGE_PERMISSION,
         "destroy": CHANGE_PERMISSION}


def _call(func, *args, **kwargs):
    """A service call, its refusals in the API's terms (same messages as the pages)."""
    try:
        return func(*args, **kwargs)
    except services.StaleEditError as exc:
        raise exceptions.ValidationError({"version": exc.messages}) from exc
    except ValidationError as exc:
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        raise exceptions.ValidationError(detail) from exc
    except PermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc) or "您无权执行该操作。") from exc


def _version(value):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise exceptions.ValidationError({"version": ["版本号应为整数。"]}) from None


class ProjectField(serializers.PrimaryKeyRelatedField):
    """An audit project the caller may see (an enterprise: its own; a consultancy: delegated)."""

    def get_queryset(self):
        return AuditProject.objects.restrict(self.context["request"].user)


class ConsultancyField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return consultancies()


def choice_text(model, name):
    """A choice field as a plain string (validated by the service), its choices in the help."""
    field = model._meta.get_field(name)
    choices = "；".join(f"{value} = {label}" for value, label in field.choices)
    return serializers.CharField(required=False, allow_blank=True, help_text=f"{field.verbose_name}：{choices}")


# --- the start ---------------------------------------------------------------------------------


class ProjectStartSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="pk", read_only=True, help_text="等于清洁生产审核项目的编号（id）")
    project = ProjectField(help_text="清洁生产审核项目编号（id）")
    project_number = serializers.CharField(source="project.number", read_only=True)
    status = serializers.CharField(read_only=True, help_text="draft = 草稿；submitted = 已提交")
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    industry = serializers.PrimaryKeyRelatedField(
        queryset=Industry.objects.filter(level=Industry.Level.CLASS), required=False, allow_null=True,
        help_text="GB/T 4754-2017 小类代码，如 1713")
    industry_lineage = serializers.SerializerMethodField(help_text="大类、中类、小类，如 17 纺织业 / 171 … / 1713 …")
    nature = serializers.CharField(required=False, allow_blank=True, help_text="企业性质（见页面上的选项）")
    audit_mode = choice_text(ProjectStart, "audit_mode")
    consultancy = ConsultancyField(required=False, allow_null=True, help_text="咨询服务机构（单位编号）")
    consultancy_name = serializers.CharField(source="consultancy.name", read_only=True, default="")
    region = serializers.CharField(source="project.enterprise.region.display_path", read_only=True)
    output_years = serializers.ListField(child=serializers.IntegerField(), read_only=True,
                                         help_text="产品实际产量 output_1…output_3 对应的年份")
    version = serializers.IntegerField(required=False, help_text="修改、提交时传入读取到的版本号，防止覆盖他人的修改")
    submitted_by_name = serializers.CharField(source="submitted_by.username", read_only=True, default="")

    class Meta:
        model = ProjectStart
        fields = ["id", "project", "project_number", "status", "status_display", *services.BASIC_FIELDS,
                  "industry_lineage", "consultancy_name", "region", "output_years", "version", "created_at",
                  "updated_at", "submitted_at", "submitted_by_name", "province_code", "city_code", "county_code"]
        read_only_fields = ["created_at", "updated_at", "submitted_at", "province_code", "city_code", "county_code"]
        extra_kwargs = {name: {"required": False} for name in services.BASIC_FIELDS}

    def get_industry_lineage(self, start) -> list[dict]:
        if start.industry_id is None:
            return []
        return [{"code": node.code, "name": node.name, "level": node.level} for node in start.industry.lineage()]


class StartSubmitInput(serializers.Serializer):
    version = serializers.IntegerField(required=False, help_text="读取到的版本号")


class ProjectStartViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """项目启动（按辖区）：填报基本信息（企业及其委托的咨询服务机构），提交（仅企业本身）。"""

    queryset = ProjectStart.objects.all()
    serializer_class = ProjectStartSerializer
    select_related = ("project__campaign", "project__enterprise__region__parent__parent", *services.START_RELATED)
    filterset_fields = ["status", "project"]
    required_permissions = {**READ, "create": CHANGE_PERMISSION, "update": CHANGE_PERMISSION,
                            "partial_update": CHANGE_PERMISSION, "submit": VIEW_PERMISSION}

    def get_serializer_class(self):
        if self.action == "submit":
            return StartSubmitInput
        return ProjectStartSerializer

    def _response(self, start, code=status.HTTP_200_OK):
        start = self.get_queryset().get(pk=start.pk)
        return Response(ProjectStartSerializer(start, context=self.get_serializer_context()).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        project = serializer.validated_data["project"]
        existed = ProjectStart.objects.filter(pk=project.pk).exists()
        start = _call(services.start_for, request.user, project)
        return self._response(start, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        start = self.get_object()
        serializer = self.get_serializer(start, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = {name: value for name, value in serializer.validated_data.items() if name in services.BASIC_FIELDS}
        start = _call(services.save_basic, request.user, start,
                      expected_version=serializer.validated_data.get("version"), **data)
        return self._response(start)

    @extend_schema(methods=["GET"], request=None, responses=OpenApiTypes.OBJECT)
    @extend_schema(methods=["POST"], request=StartSubmitInput, responses=ProjectStartSerializer)
    @action(detail=True, methods=["get", "post"], url_path="submit", url_name="submit")
    def submit(self, request, pk=None):
        """GET：能否提交、还缺什么；POST：提交（仅企业本身，缺项时返回 400 与缺项清单）。"""
        start = self.get_object()
        if request.method == "GET":
            items = services.missing(start) if start.is_draft else []
            allowed = request.user.has_perm(SUBMIT_PERMISSION) and start.is_draft and not items
            if not request.user.has_perm(SUBMIT_PERMISSION):
                why = services.SUBMIT_REFUSED
            elif not start.is_draft:
                why = "项目启动已提交。"
            else:
                why = "还有未完成的内容。" if items else ""
            return Response({"id": start.pk, "status": start.status, "allowed": allowed, "detail": why,
                             "missing": [{"step": i.step, "step_label": i.step_label, "text": i.text} for i in items]})
        if not request.user.has_perm(SUBMIT_PERMISSION):
            raise exceptions.PermissionDenied(services.SUBMIT_REFUSED)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        start = _call(services.submit, request.user, start, expected_version=data.validated_data.get("version"))
        return self._response(start)


# --- rows --------------------------------------------------------------------------------------


class RowSerializer(serializers.ModelSerializer):
    project = ProjectField(help_text="清洁生产审核项目编号（id）")
    version = serializers.IntegerField(required=False, help_text="修改时传入读取到的版本号")
    files = serializers.SerializerMethodField(help_text="当前文件（佐证材料）：id、文件名、版本、下载地址")

    def get_files(self, row) -> list[dict]:
        found = self.context.get("files")
        items = found.get(row.pk, []) if found is not None else services.files_by_owner([row]).get(row.pk, [])
        return [{"id": item.pk, "name": item.display_name, "version": item.version,
                 "url": item.get_download_url()} for item in items]

    def validate(self, data):
        if self.instance is not None and "project" in data and data["project"].pk != self.instance.project_id:
            raise serializers.ValidationError({"project": ["不能把记录移到其他项目。"]})
        return data


def row_serializer(model, **declared):
    fields = ["id", "project", *services.ROW_FIELDS[model], "version", "files", "created_at", "updated_at"]
    meta = type("Meta", (), {"model": model, "fields": fields, "read_only_fields": ["created_at", "updated_at"],
                             "extra_kwargs": {name: {"required": False} for name in services.ROW_FIELDS[model]}})
    return type(f"{model.__name__}Serializer", (RowSerializer,), {"Meta": meta, **declared})


class RowViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    select_related = ("project",)
    filterset_fields = ["project"]
    required_permissions = {**READ, **WRITE}

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        context = {**self.get_serializer_context(), "files": services.files_by_owner(rows)}
        data = self.get_serializer_class()(rows, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def _data(self, serializer):
        return {name: value for name, value in serializer.validated_data.items()
                if name in services.ROW_FIELDS[self.queryset.model]}

    def perform_create(self, serializer):
        serializer.instance = _call(services.add_row, self.request.user, self.queryset.model,
                                    serializer.validated_data["project"], **self._data(serializer))

    def perform_update(self, serializer):
        serializer.instance = _call(services.update_row, self.request.user, serializer.instance,
                                    expected_version=serializer.validated_data.get("version"),
                                    **self._data(serializer))

    def perform_destroy(self, instance):
        _call(services.delete_row, self.request.user, instance,
              expected_version=_version(self.request.query_params.get("version")))


class ProductViewSet(RowViewSet):
    """产品信息（项目启动第 2 步）：output_1…output_3 为 output_years 所列三年的实际产量。"""

    queryset = Product.objects.all()
    serializer_class = row_serializer(Product)


class EiaApprovalViewSet(RowViewSet):
    """环境影响评价批复（项目启动第 3 步）。"""

    queryset = EiaApproval.objects.all()
    serializer_class = row_serializer(EiaApproval)


class MonitoringReportViewSet(RowViewSet):
    """监测报告（项目启动第 4 步）。"""

    queryset = MonitoringReport.objects.all()
    serializer_class = row_serializer(MonitoringReport)


class FacilityAcceptanceViewSet(RowViewSet):
    """环保工程验收（项目启动第 5 步）。"""

    queryset = FacilityAcceptance.objects.all()
    serializer_class = row_serializer(FacilityAcceptance)


class DisclosureViewSet(RowViewSet):
    """信息公布：公布日期、公布方式、网址链接、说明。"""

    queryset = Disclosure.objects.all()
    serializer_class = row_serializer(Disclosure, channel=choice_text(Disclosure, "channel"))


class AuditContractViewSet(RowViewSet):
    """审核合同：咨询服务机构、签订日期、金额（万元）、原件报送市局日期。"""

    queryset = AuditContract.objects.all()
    serializer_class = row_serializer(AuditContract, consultancy=ConsultancyField(
        required=False, allow_null=True, help_text="咨询服务机构（单位编号）"))
    select_related = ("project", "consultancy")


ROUTES = [
    ("project-starts", ProjectStartViewSet),
    ("project-start-products", ProductViewSet, "startproduct"),  # "product" alone is too general a name
    ("project-start-eia-approvals", EiaApprovalViewSet),
    ("project-start-monitoring-reports", MonitoringReportViewSet),
    ("project-start-facility-acceptances", FacilityAcceptanceViewSet),
    ("project-disclosures", DisclosureViewSet),
    ("project-audit-contracts", AuditContractViewSet),
]
