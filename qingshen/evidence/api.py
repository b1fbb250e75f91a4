"""Evidence in the API, with the same rules and messages as the panel (the same services).

- GET  /api/evidence/                    list (scoped); filters project, owner_type
                                         ("app_label.model"), owner_id, slot, series; only
                                         current versions unless ?current=false
- GET  /api/evidence/{id}/               one version
- POST /api/evidence/                    multipart: owner_type, owner_id, slot, file, title,
                                         document_date → version 1 of a new document
- POST /api/evidence/{id}/replace/       multipart: file, document_date → the next version
- POST /api/evidence/{id}/withdraw/      remove from the current files (history kept)
- GET  /api/evidence/{id}/download/      the file
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from qingshen.core.api import ScopedViewSetMixin
from qingshen.evidence import services
from qingshen.evidence.filters import EvidenceFilterSet
from qingshen.evidence.models import Evidence
from qingshen.evidence.registry import owner_model, project_of
from qingshen.files.validation import FileRefused
from qingshen.files.views import serve
from qingshen.projects.models import AuditProject


class EvidenceSerializer(serializers.ModelSerializer):
    owner_type = serializers.SerializerMethodField(help_text="所属对象类型，如 projects.auditproject")
    file_name = serializers.CharField(source="stored.original_name", read_only=True)
    mime = serializers.CharField(source="stored.mime", read_only=True)
    size = serializers.IntegerField(source="stored.size", read_only=True)
    pages = serializers.IntegerField(source="stored.pages", read_only=True)
    sha256 = serializers.CharField(source="stored.sha256", read_only=True)
    uploaded_by_name = serializers.CharField(source="uploaded_by.username", read_only=True)
    version_count = serializers.IntegerField(read_only=True, default=None, help_text="该文件共有几个版本")
    is_current = serializers.BooleanField(read_only=True)
    has_thumbnail = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "project", "owner_type", "owner_id", "slot", "series", "version", "version_count",
                  "is_current", "title", "document_date", "captured_at", "superseded_at", "withdrawn_at",
                  "locked_at", "uploaded_by", "uploaded_by_name", "uploaded_at", "file_name", "mime", "size",
                  "pages", "sha256", "has_thumbnail", "province_code", "city_code", "county_code"]
        read_only_fields = fields

    def get_owner_type(self, obj) -> str:
        content_type = ContentType.objects.get_for_id(obj.owner_type_id)  # cached: no query per row
        return f"{content_type.app_label}.{content_type.model}"

    def get_has_thumbnail(self, obj) -> bool:
        return obj.thumbnail_id is not None


class AttachSerializer(serializers.Serializer):
    owner_type = serializers.CharField(help_text="所属对象类型，如 projects.auditproject")
    owner_id = serializers.IntegerField(min_value=1)
    slot = serializers.CharField(required=False, allow_blank=True, default="")
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    document_date = serializers.DateField(required=False, allow_null=True, default=None)
    file = serializers.FileField(allow_empty_file=True, error_messages={"required": "请选择要上传的文件。"})


class ReplaceSerializer(serializers.Serializer):
    document_date = serializers.DateField(required=False, allow_null=True, default=None)
    file = serializers.FileField(allow_empty_file=True, error_messages={"required": "请选择新版本的文件。"})


def call(func, *args, **kwargs):
    """A service call; its refusals as the API's (400 with the Chinese message, or 403)."""
    try:
        return func(*args, **kwargs)
    except FileRefused as exc:
        raise exceptions.ValidationError({"file": exc.messages}) from exc
    except ValidationError as exc:
        raise exceptions.ValidationError({"non_field_errors": exc.messages}) from exc
    except PermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc) or None) from exc


class EvidenceViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.CreateModelMixin, viewsets.GenericViewSet):
    """佐证材料：按辖区过滤；上传、替换（新版本）、删除（保留历史）、下载。"""

    queryset = Evidence.objects.all()
    serializer_class = EvidenceSerializer
    filterset_class = EvidenceFilterSet
    select_related = ("stored", "uploaded_by")
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    required_permissions = {
        "list": "evidence.view_evidence", "retrieve": "evidence.view_evidence",
        "download": "evidence.view_evidence", "create": "evidence.add_evidence",
        "replace": "evidence.add_evidence", "withdraw": "evidence.add_evidence",
    }

    def get_queryset(self):
        queryset = super().get_queryset().with_version_count()
        if self.action == "list" and "current" not in self.request.query_params:
            queryset = queryset.current()
        return queryset

    def get_serializer_class(self):
        return {"create": AttachSerializer, "replace": ReplaceSerializer}.get(self.action, EvidenceSerializer)

    def _answer(self, evidence, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=evidence.pk)
        return Response(EvidenceSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def _owner(self, data):
        """The named owner, if its project is in the caller's jurisdiction; else 404."""
        try:
            model = owner_model(*data["owner_type"].split(".", 1))
            owner = model._default_manager.get(pk=data["owner_id"])
            project = project_of(owner)
        except (TypeError, ValueError, ValidationError, ObjectDoesNotExist) as exc:
            raise exceptions.NotFound("材料所属对象不存在。") from exc
        if not AuditProject.objects.restrict(self.request.user).filter(pk=project.pk).exists():
            raise exceptions.NotFound("材料所属对象不存在。")
        return owner

    @extend_schema(request=AttachSerializer, responses={201: EvidenceSerializer})
    def create(self, request):
        payload = AttachSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        owner = self._owner(data)
        evidence = call(services.attach, request.user, owner, data["file"], slot=data["slot"],
                        title=data["title"], document_date=data["document_date"])
        return self._answer(evidence, status.HTTP_201_CREATED)

    @extend_schema(request=ReplaceSerializer, responses=EvidenceSerializer)
    @action(detail=True, methods=["post"])
    def replace(self, request, pk=None):
        """上传新版本：旧版本保留可查（superseded_at）。"""
        evidence = self.get_object()
        payload = ReplaceSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        new = call(services.replace, request.user, evidence, payload.validated_data["file"],
                   document_date=payload.validated_data["document_date"])
        return self._answer(new)

    @extend_schema(request=None, responses=EvidenceSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """删除：不再是当前文件，历史版本保留。"""
        evidence = self.get_object()
        call(services.withdraw, request.user, evidence)
        return self._answer(evidence)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        evidence = get_object_or_404(self.get_queryset().model.objects.restrict(request.user)
                                     .select_related("stored"), pk=pk)
        return serve(evidence.stored, inline=False)


ROUTES = [("evidence", EvidenceViewSet)]
