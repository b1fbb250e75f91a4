"""清审任务通知 in the REST API: the same services, rules and messages as the pages.

- /api/notice-tasks/                 list, retrieve (scoped); PATCH = 本级任务信息 (multipart for files)
- /api/notice-tasks/issue/           GET: what issuing would do; POST {"campaign"}: 发布清审任务通知
- /api/notice-tasks/{id}/dispatch/   GET: the attestation and what is missing; POST {"attested": true}
- /api/notice-tasks/{id}/letters-batch/  GET: counts; POST {"format": "zip"|"pdf"} → background job
- /api/notice-letters/               list, retrieve; POST {"task", "member"}: 生成 one letter
- /api/notice-letters/{id}/pdf/      the letter (PDF)
- /api/notice-letters/{id}/stamped-copy/  GET the stamped copy; POST multipart "file": upload it
- /api/notice-letters/{id}/regenerate/    GET: the warning; POST {"revision"}: 重新生成
- /api/notice-scans/                 list, retrieve; POST multipart "task" + "files": 批量上传盖章件 → job
- /api/notice-scan-pages/            list, retrieve; {id}/image/; {id}/assign/ (GET candidates, POST {"letter"})

Endpoints on one object that act also answer GET: what the action would do now (and why
not), so a client can show it before posting.
Letters, stamped copies and scans carry activation codes: inside the jurisdiction, only the
department that notifies the enterprise may open them (403 otherwise), as on the pages.
"""

from drf_spectacular.utils import extend_schema_field
from drf_spectacular.types import OpenApiTypes
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from qingshen.campaigns.models import Campaign
from qingshen.core.api import ScopedViewSetMixin
from qingshen.files.views import serve
from qingshen.notices import services
from qingshen.notices.filters import LetterFilterSet, NoticeTaskFilterSet, ScanBatchFilterSet, ScanPageFilterSet
from qingshen.notices.models import NoticeLetter, NoticeTask, ScanBatch, ScanPage
from qingshen.rosters.models import RosterTask
from qingshen.rosters.services import ATTESTATION


def call(func, *args, **kwargs):
    """A service call, its errors as the API's (400 with the Chinese message, or 403)."""
    try:
        return func(*args, **kwargs)
    except ValidationError as exc:
        raise exceptions.ValidationError({"detail": exc.messages}) from exc
    except PermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc) or None) from exc


def own_department(user, task):
    if task.organization_id != user.organization_id:
        raise exceptions.PermissionDenied(services.LETTER_PRIVATE)


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    url = serializers.CharField()


class PerMethodPermissions:
    """`method_permissions = {action: {"GET": perm, "POST": perm}}` on top of `required_permissions`."""

    method_permissions: dict = {}
    base_permissions: dict = {}

    @property
    def required_permissions(self):
        perms = dict(self.base_permissions)
        method = self.request.method if self.request is not None else "GET"
        for name, by_method in self.method_permissions.items():
            perms[name] = by_method.get(method, by_method.get("GET"))
        return perms


# --- tasks -----------------------------------------------------------------------------------


class NoticeTaskSerializer(serializers.ModelSerializer):
    campaign_name = serializers.CharField(source="campaign.name", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = NoticeTask
        fields = ["id", "campaign", "campaign_name", "organization", "organization_name", "parent", "level",
                  "status", "status_display", *services.OWN_FIELDS, "publish_date", "deadline", "attachments",
                  "attested_by", "attested_at", "created_at", "updated_at"]
        read_only_fields = ["campaign", "organization", "parent", "level", "status", "publish_date", "deadline",
                            "attested_by", "attested_at", "created_at", "updated_at"]

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, task):
        return [{"id": f.pk, "name": f.original_name,
                 "url": reverse("notices:attachment", args=[task.pk, f.pk])} for f in task.attachments.all()]


class IssueSerializer(serializers.Serializer):
    campaign = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.all())


class AttestSerializer(serializers.Serializer):
    attested = serializers.BooleanField(help_text=f"确认：{ATTESTATION}我同意上述内容")


class BatchSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=["zip", "pdf"], default="zip")


class NoticeTaskViewSet(PerMethodPermissions, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """清审任务通知：按辖区过滤；PATCH 填写本级任务信息；issue 发布；dispatch 下发任务。"""

    queryset = NoticeTask.objects.all()
    serializer_class = NoticeTaskSerializer
    filterset_class = NoticeTaskFilterSet
    select_related = ("campaign", "organization")
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    base_permissions = {"list": "notices.view_noticetask", "retrieve": "notices.view_noticetask",
                        "update": "notices.dispatch_notice", "partial_update": "notices.dispatch_notice"}
    method_permissions = {
        "issue": {"GET": "notices.issue_notice"},
        "dispatch_task": {"GET": "notices.view_noticetask", "POST": "notices.dispatch_notice"},
        "letters_batch": {"GET": "notices.generate_letter"},
    }

    def get_queryset(self):
        return super().get_queryset().prefetch_related("attachments")

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in services.OWN_FIELDS}
        files = self.request.FILES.getlist("attachments") if hasattr(self.request, "FILES") else []
        serializer.instance = call(services.update_own, self.request.user, serializer.instance,
                                   new_attachments=files, **data)

    @action(detail=False, methods=["get", "post"])
    def issue(self, request):
        """GET: campaigns and the cities a new issue would reach; POST {"campaign": id}: 发布清审任务通知."""
        if request.method == "POST":
            payload = IssueSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            campaign = payload.validated_data["campaign"]
            if not Campaign.objects.restrict(request.user).filter(pk=campaign.pk).exists():
                raise exceptions.NotFound()
            created = call(services.issue, request.user, campaign)
            return Response({"created": NoticeTaskSerializer(created, many=True).data}, status=status.HTTP_201_CREATED)
        result = []
        for campaign in services.issuable_campaigns(request.user):
            notified = set(NoticeTask.objects.filter(campaign=campaign, level="city")
                           .values_list("organization_id", flat=True))
            approved = (RosterTask.objects.filter(campaign=campaign, level="city", status=RosterTask.Status.APPROVED)
                        .select_related("organization").order_by("organization__account_code"))
            result.append({"campaign": campaign.pk, "name": campaign.name,
                           "would_notify": [r.organization.name for r in approved if r.organization_id not in notified]})
        return Response({"results": result})

    @action(detail=True, methods=["get", "post"], url_path="dispatch", url_name="dispatch")
    def dispatch_task(self, request, pk=None):
        """GET: the attestation and the enterprises still missing a stamped letter; POST {"attested": true}: 下发任务."""
        task = self.get_object()
        if request.method == "POST":
            payload = AttestSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            children = call(services.dispatch, request.user, task, attested=payload.validated_data["attested"])
            task = self.get_queryset().get(pk=task.pk)
            return Response({"task": NoticeTaskSerializer(task).data,
                             "children": NoticeTaskSerializer(children, many=True).data})
        missing = services.readiness(task)[1] if task.notifies_enterprises else []
        return Response({"status": task.status, "attestation": ATTESTATION, "notifies_enterprises":
                         task.notifies_enterprises, "missing": missing,
                         "ready": task.status == NoticeTask.Status.PENDING and not missing})

    @action(detail=True, methods=["get", "post"], url_path="letters-batch", url_name="letters-batch")
    def letters_batch(self, request, pk=None):
        """GET: how many letters exist; POST {"format": "zip"|"pdf"}: 批量下载企业告知书 as a background job."""
        task = self.get_object()
        own_department(request.user, task)
        if request.method == "POST":
            payload = BatchSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            job = call(services.start_letters_batch, request.user, task, payload.validated_data["format"])
            return Response({"job": job.pk, "status": job.status, "url": job.get_absolute_url(),
                             "download": reverse("jobs:download", args=[job.pk])}, status=status.HTTP_202_ACCEPTED)
        return Response({"members": task.members().count(),
                         "generated": NoticeLetter.objects.filter(task=task, pdf__isnull=False).count(),
                         "formats": ["zip", "pdf"]})


# --- letters ---------------------------------------------------------------------------------


class NoticeLetterSerializer(serializers.ModelSerializer):
    enterprise = serializers.IntegerField(source="member.enterprise_id", read_only=True)
    enterprise_name = serializers.CharField(source="member.enterprise.name", read_only=True)
    account_name = serializers.CharField(source="account.username", read_only=True)
    generated = serializers.SerializerMethodField()
    has_current_stamped_copy = serializers.BooleanField(read_only=True)

    class Meta:
        model = NoticeLetter
        fields = ["id", "task", "member", "enterprise", "enterprise_name", "number", "revision", "account_name",
                  "generated", "generated_at", "stamped_revision", "stamped_via", "stamped_at",
                  "has_current_stamped_copy", "activated_at", "dispatched_at"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_generated(self, letter):
        return letter.pdf_id is not None


class GenerateSerializer(serializers.Serializer):
    task = serializers.IntegerField()
    member = serializers.IntegerField()


class RegenerateSerializer(serializers.Serializer):
    revision = serializers.IntegerField(help_text="读取到的版次；与当前版次不同（重复提交或页面过期）时拒绝")


class NoticeLetterViewSet(PerMethodPermissions, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          viewsets.GenericViewSet):
    """告知书：按辖区过滤（不含激活码）；PDF、盖章版、重新生成仅限负责通知企业的部门。"""

    queryset = NoticeLetter.objects.all()
    serializer_class = NoticeLetterSerializer
    filterset_class = LetterFilterSet
    select_related = ("member__enterprise", "account", "task")
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    base_permissions = {"list": "notices.view_noticetask", "retrieve": "notices.view_noticetask",
                        "create": "notices.generate_letter", "pdf": "notices.generate_letter"}
    method_permissions = {"stamped_copy": {"GET": "notices.generate_letter"},
                          "regenerate": {"GET": "notices.generate_letter"}}

    def own_letter(self):
        letter = self.get_object()
        own_department(self.request.user, letter.task)
        return letter

    def create(self, request):
        """生成 one letter for a listed enterprise that has none yet."""
        payload = GenerateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        task = get_object_or_404(NoticeTask.objects.restrict(request.user), pk=payload.validated_data["task"])
        own_department(request.user, task)
        letter, _ = call(services.generate_letter, request.user, task, payload.validated_data["member"],
                         expected_revision=0)
        return Response(self.get_serializer(letter).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get"], url_name="pdf")
    def pdf(self, request, pk=None):
        letter = self.own_letter()
        if letter.pdf_id is None:
            raise exceptions.NotFound("告知书尚未生成。")
        return serve(letter.pdf, inline=False)

    @action(detail=True, methods=["get", "post"], url_path="stamped-copy", url_name="stamped-copy")
    def stamped_copy(self, request, pk=None):
        """GET: the stamped copy; POST multipart "file": upload it (PDF/JPG/PNG, checked by content)."""
        letter = self.own_letter()
        if request.method == "POST":
            upload = request.FILES.get("file")
            if upload is None:
                raise exceptions.ValidationError({"file": ["请选择盖章版告知书文件。"]})
            letter = call(services.attach_stamped_copy, request.user, letter, upload)
            return Response(self.get_serializer(letter).data)
        if letter.stamped_copy_id is None:
            raise exceptions.NotFound("尚未上传盖章版。")
        return serve(letter.stamped_copy, inline=False)

    @action(detail=True, methods=["get", "post"], url_name="regenerate")
    def regenerate(self, request, pk=None):
        """GET: the warning; POST {"revision": n}: 重新生成 (the old letter and its activation code are void)."""
        letter = self.own_letter()
        if request.method == "POST":
            payload = RegenerateSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            letter, _ = call(services.generate_letter, request.user, letter.task, letter.member_id,
                             expected_revision=payload.validated_data["revision"])
            return Response(self.get_serializer(letter).data)
        return Response({"letter": self.get_serializer(letter).data, "warning": services.REGENERATE_WARNING})


# --- bulk scans ------------------------------------------------------------------------------


class ScanPageSerializer(serializers.ModelSerializer):
    outcome_display = serializers.CharField(source="get_outcome_display", read_only=True)
    letter_number = serializers.CharField(source="letter.number", read_only=True, default="")

    class Meta:
        model = ScanPage
        fields = ["id", "batch", "index", "source_name", "payload", "outcome", "outcome_display", "letter",
                  "letter_number"]
        read_only_fields = fields


class ScanBatchSerializer(serializers.ModelSerializer):
    job_status = serializers.CharField(source="job.status", read_only=True, default="")
    pages = ScanPageSerializer(many=True, read_only=True)

    class Meta:
        model = ScanBatch
        fields = ["id", "task", "uploaded_by", "uploaded_at", "job", "job_status", "pages"]
        read_only_fields = fields


class AssignSerializer(serializers.Serializer):
    letter = serializers.IntegerField()
    letter_page = serializers.IntegerField(required=False, default=1, min_value=1, help_text="该页是告知书的第几页")


class ScanMixin:
    """Scans are not placed rows: they are seen through their task's jurisdiction. Their
    outcomes are listed to every official who may see the task; the scanned pages themselves
    (which show activation codes) only to the department that notifies the enterprises."""

    scan_lookup = "task"

    def get_queryset(self):
        tasks = NoticeTask.objects.restrict(self.request.user)
        return (self.queryset.model.objects.filter(**{f"{self.scan_lookup}__in": tasks})
                .select_related(*self.select_related).order_by(*self.queryset.model._meta.ordering))

    def own_object(self):
        obj = self.get_object()
        own_department(self.request.user, obj.task if isinstance(obj, ScanBatch) else obj.batch.task)
        return obj


class ScanBatchViewSet(ScanMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       viewsets.GenericViewSet):
    """批量上传盖章件：POST multipart（task，files 可多个）→ 后台识别二维码。"""

    queryset = ScanBatch.objects.all()
    serializer_class = ScanBatchSerializer
    filterset_class = ScanBatchFilterSet
    select_related = ("task", "job")
    parser_classes = [MultiPartParser, FormParser]
    required_permissions = {"list": "notices.view_noticetask", "retrieve": "notices.view_noticetask",
                            "create": "notices.generate_letter"}

    def get_queryset(self):
        return super().get_queryset().prefetch_related("pages__letter")

    def create(self, request):
        task = get_object_or_404(NoticeTask.objects.restrict(request.user), pk=request.data.get("task") or 0)
        own_department(request.user, task)
        batch = call(services.receive_scan, request.user, task, request.FILES.getlist("files"))
        return Response({**ScanBatchSerializer(batch).data, "url": reverse("notices:scan_detail", args=[batch.pk])},
                        status=status.HTTP_202_ACCEPTED)


class ScanPageViewSet(PerMethodPermissions, ScanMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      viewsets.GenericViewSet):
    """扫描页：识别结果；assign 人工指定；image 页面文件。"""

    queryset = ScanPage.objects.all()
    serializer_class = ScanPageSerializer
    filterset_class = ScanPageFilterSet
    select_related = ("batch__task", "letter", "image")
    scan_lookup = "batch__task"
    base_permissions = {"list": "notices.view_noticetask", "retrieve": "notices.view_noticetask",
                        "image": "notices.generate_letter"}
    method_permissions = {"assign": {"GET": "notices.generate_letter"}}

    @action(detail=True, methods=["get"], url_name="image")
    def image(self, request, pk=None):
        return serve(self.own_object().image, inline=True)

    @action(detail=True, methods=["get", "post"], url_name="assign")
    def assign(self, request, pk=None):
        """GET: the letters this page may be assigned to; POST {"letter": id}: 人工指定."""
        page = self.own_object()
        if request.method == "POST":
            payload = AssignSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            page = call(services.assign_scan_page, request.user, page, payload.validated_data["letter"],
                        payload.validated_data.get("letter_page", 1))
            return Response(self.get_serializer(page).data)
        letters = NoticeLetter.objects.filter(task=page.batch.task).select_related("member__enterprise")
        return Response({"page": self.get_serializer(page).data,
                         "letters": [{"id": letter.pk, "number": letter.number, "revision": letter.revision,
                                      "enterprise_name": letter.member.enterprise.name,
                                      "has_current_stamped_copy": letter.has_current_stamped_copy}
                                     for letter in letters]})


ROUTES = [
    ("notice-tasks", NoticeTaskViewSet),
    ("notice-letters", NoticeLetterViewSet),
    ("notice-scans", ScanBatchViewSet),
    ("notice-scan-pages", ScanPageViewSet),
]
