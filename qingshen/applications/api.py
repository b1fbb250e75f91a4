"""评估申请 / 验收申请 in the API: the same services, rules and messages as the pages.

GET lists and reads applications within jurisdiction (a submitted one with what it froze);
POST `/api/applications/draft/` saves the stage's draft (creating it); POST
`/api/applications/<id>/submit/` submits it (the enterprise only).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from qingshen.applications import readiness, services
from qingshen.applications.models import Application, Stage
from qingshen.core.api import ScopedViewSetMixin, raise_service_error
from qingshen.projects.models import AuditProject


class ApplicationSerializer(serializers.ModelSerializer):
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    # plain strings (see projects.api): every app has a "status"
    stage = serializers.CharField(read_only=True, help_text="evaluation = 评估, acceptance = 验收")
    status = serializers.CharField(read_only=True, help_text="draft = 草稿, submitted = 已提交")

    class Meta:
        model = Application
        fields = ["id", "project", "stage", "stage_display", "number", "status", "status_display",
                  *services.FORM_FIELDS, "submitted_at", "submitted_by", "due_date", "late_days", "version"]
        read_only_fields = fields


class ApplicationDetailSerializer(ApplicationSerializer):
    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "contents"]
        read_only_fields = fields


class DraftSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    stage = serializers.ChoiceField(choices=Stage.choices)
    version = serializers.IntegerField(required=False, allow_null=True,
                                       help_text="读取到的修改次数；新建草稿时为 0；与当前不同（页面过期）时拒绝")
    contact_person = serializers.CharField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(required=False, allow_blank=True)
    audit_started_on = serializers.DateField(required=False, allow_null=True)
    audit_finished_on = serializers.DateField(required=False, allow_null=True)
    summary = serializers.CharField(required=False, allow_blank=True)
    statement = serializers.CharField(required=False, allow_blank=True)


class SubmitSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    confirm_late = serializers.BooleanField(default=False, help_text="已过截止日期时须为 true")



class ApplicationViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         viewsets.GenericViewSet):
    """评估、验收申请：按辖区过滤；draft 保存草稿（企业或咨询机构），submit 提交（仅企业）。"""

    queryset = Application.objects.all()
    serializer_class = ApplicationSerializer
    select_related = ("project",)
    filterset_fields = ["project", "stage", "status"]
    required_permissions = {"draft": "applications.change_application", "submit": "applications.submit_application",
                            "missing": "applications.view_application"}

    def get_serializer_class(self):
        return ApplicationDetailSerializer if self.action == "retrieve" else super().get_serializer_class()

    @extend_schema(request=DraftSerializer, responses=ApplicationSerializer)
    @action(detail=False, methods=["post"])
    def draft(self, request):
        """保存（或新建）某阶段的申请表草稿。"""
        data = DraftSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        project = AuditProject.objects.restrict(request.user).filter(pk=values.pop("project")).first()
        if project is None:
            raise exceptions.NotFound("审核项目不存在。")
        stage, version = values.pop("stage"), values.pop("version", None)
        try:
            application = services.save_draft(request.user, project, stage, values, version=version)
        except (ValidationError, PermissionDenied) as exc:
            raise_service_error(exc)
        return Response(ApplicationSerializer(application).data)

    @extend_schema(request=SubmitSerializer, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """提交申请：检查痕迹是否齐全，逾期须确认，冻结申请内容。"""
        application = self.get_object()
        data = SubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            application = services.submit(request.user, application, **data.validated_data)
        except (ValidationError, PermissionDenied) as exc:
            raise_service_error(exc)
        return Response(ApplicationDetailSerializer(application).data)

    @extend_schema(responses=serializers.ListSerializer(child=serializers.CharField()))
    @action(detail=True, methods=["get"])
    def missing(self, request, pk=None):
        """提交前还需完成的事项。"""
        application = self.get_object()
        return Response([what for what, _ in readiness.missing(application.project, application.stage)])


ROUTES = [("applications", ApplicationViewSet)]
