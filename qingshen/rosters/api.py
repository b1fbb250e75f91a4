"""名单核定任务 in the REST API: the same services, the same checks and messages as the pages.

    GET  /api/roster-tasks/                     the tasks the user may see (scoped)
    GET  /api/roster-tasks/{id}/                one task
    GET  /api/roster-tasks/{id}/members/        its 企业清单, with what was decided
    POST /api/roster-tasks/{id}/publish/        {attested}                 省级下发名单
    POST /api/roster-tasks/{id}/dispatch/       {attested}                 市级下发至区县
    POST /api/roster-tasks/{id}/submit/         multipart {stamped_list}   提交
    POST /api/roster-tasks/{id}/approve/        {comments?}                上级通过
    POST /api/roster-tasks/{id}/return/         {comments}                 上级退回
    POST /api/roster-tasks/{id}/keep/           {member}
    POST /api/roster-tasks/{id}/exclude/        multipart {member, reason, evidence…}
    POST /api/roster-tasks/{id}/correct/        {member, field, value, expected_version?}
    POST /api/roster-tasks/{id}/propose/        {enterprise} or {new_enterprise: {...}}, reasons, handling_level
    GET  /api/roster-submissions/, /api/roster-decisions/   earlier rounds and every decision (scoped)

Every POST takes an optional `expected_status` (the status the client last saw): a task that
has moved on meanwhile is refused (400) rather than acted on. A GET on an action's address
answers whether the user could take it now: {"allowed": false, "detail": "<why not>"}.
Refusals: 400 with the Chinese message (by field where there is one), 403 for a user who may
not take the step, 404 for a task outside the user's jurisdiction.

The action routes are named `rostertask-<action>-detail` (they are about one task), which is
how the jurisdiction harness (tests/test_jurisdiction.py) recognises a route that takes an id.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from qingshen.campaigns.models import CampaignEnterprise, HandlingLevel, Reason
from qingshen.core.api import ScopedReadOnlyViewSet, ScopedViewSetMixin
from qingshen.enterprises.choices import Status as EnterpriseStatus
from qingshen.enterprises.models import Enterprise
from qingshen.regions.models import Region
from qingshen.rosters import services
from qingshen.rosters.models import RosterDecision, RosterSubmission, RosterTask

VIEW = "rosters.view_rostertask"
VERIFY = "rosters.verify_roster"
REVIEW = "rosters.review_roster"


def file_info(task_id, stored):
    return {"id": stored.pk, "name": stored.original_name, "mime": stored.mime, "size": stored.size,
            "sha256": stored.sha256, "url": reverse("rosters:file", args=[task_id, stored.pk])}


class FileInfoSerializer(serializers.Serializer):
    """A private file of a task: download it from `url` (the page checks the user may see the task)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    mime = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    url = serializers.CharField()


def read_only_text(**kwargs):
    """Status codes as plain text in the schema: their labels are in `*_display`, and one enum
    per model field would collide with the other apps' `status` enums."""
    return serializers.CharField(read_only=True, **kwargs)


class RosterTaskSerializer(serializers.ModelSerializer):
    campaign_name = serializers.CharField(source="campaign.name", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    region_code = serializers.CharField(source="organization.region_id", read_only=True)
    status = read_only_text(help_text="draft 草稿 / pending 待确认 / dispatched 已下发 / submitted 已提交 / "
                                      "approved 已通过 / returned 已退回")
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = RosterTask
        fields = ["id", "campaign", "campaign_name", "organization", "organization_name", "region_code", "level",
                  "parent", "status", "status_display", "round", "requirements", "attachments", "attested_by",
                  "attested_at", "created_at", "updated_at"]
        read_only_fields = fields

    @extend_schema_field(FileInfoSerializer(many=True))
    def get_attachments(self, task):
        return [file_info(task.pk, f) for f in task.attachments.all()]


class RosterSubmissionSerializer(serializers.ModelSerializer):
    submitted_by = serializers.CharField(source="submitted_by.username", read_only=True)
    reviewed_by = serializers.CharField(source="reviewed_by.username", read_only=True, default=None)
    decision = read_only_text(help_text="空 待审核 / approved 通过 / returned 退回")
    decision_display = serializers.CharField(source="get_decision_display", read_only=True)
    stamped_list = serializers.SerializerMethodField()

    class Meta:
        model = RosterSubmission
        fields = ["id", "task", "round", "submitted_by", "submitted_at", "stamped_list", "snapshot", "decision",
                  "decision_display", "comments", "reviewed_by", "reviewed_at"]
        read_only_fields = fields

    @extend_schema_field(FileInfoSerializer)
    def get_stamped_list(self, submission):
        return file_info(submission.task_id, submission.stamped_list)


class RosterDecisionSerializer(serializers.ModelSerializer):
    enterprise = serializers.CharField(source="member.enterprise.name", read_only=True)
    action = read_only_text(help_text="keep 保留 / exclude 标注为否 / correct 修正信息 / add 增补")
    action_display = serializers.CharField(source="get_action_display", read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", read_only=True)
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = RosterDecision
        fields = ["id", "task", "member", "enterprise", "action", "action_display", "reason", "evidence", "field",
                  "old_value", "new_value", "round", "decided_by", "decided_at"]
        read_only_fields = fields

    @extend_schema_field(FileInfoSerializer(many=True))
    def get_evidence(self, decision):
        return [file_info(decision.task_id, f) for f in decision.evidence.all()]


class MemberSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    uscc = serializers.CharField(source="enterprise.uscc", read_only=True, default=None)
    region_code = serializers.CharField(source="enterprise.region_id", read_only=True)
    region_name = serializers.CharField(source="enterprise.region.name", read_only=True)
    double_exceed = serializers.BooleanField(source="enterprise.double_exceed", read_only=True)
    double_toxic = serializers.BooleanField(source="enterprise.double_toxic", read_only=True)
    status = read_only_text(help_text="included 纳入 / excluded 不纳入 / proposed 增补待审")
    handling_level = read_only_text(help_text="province 省直管 / city 市直管")
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    proposed_by_name = serializers.CharField(source="proposed_by.name", read_only=True, default=None)

    class Meta:
        model = CampaignEnterprise
        fields = ["id", "enterprise", "enterprise_name", "uscc", "region_code", "region_name", "double_exceed",
                  "double_toxic", "reasons", "handling_level", "status", "status_display", "exclusion_reason",
                  "proposed_by", "proposed_by_name", "seq"]
        read_only_fields = fields


# --- inputs ------------------------------------------------------------------------------------


class StepInput(serializers.Serializer):
    expected_status = serializers.ChoiceField(choices=RosterTask.Status.choices, required=False,
                                              help_text="客户端最近看到的任务状态；任务状态已变化时拒绝操作")


class AttestInput(StepInput):
    attested = serializers.BooleanField(default=False, help_text="我同意上述内容（" + services.ATTESTATION + "）")


class SubmitInput(StepInput):
    stamped_list = serializers.FileField(required=False, help_text="最终名单（盖章扫描件），PDF、JPG 或 PNG")


class ReviewInput(StepInput):
    comments = serializers.CharField(required=False, allow_blank=True, default="")


class MemberInput(StepInput):
    member = serializers.IntegerField(help_text="名单企业（CampaignEnterprise）的 id")


class ExcludeInput(MemberInput):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    evidence = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class CorrectInput(MemberInput):
    field = serializers.ChoiceField(choices=list(services.CORRECTABLE.items()))
    value = serializers.CharField(allow_blank=True, allow_null=True, required=False, default="")
    expected_version = serializers.IntegerField(required=False, help_text="企业信息的版本号，防止覆盖他人的修改")

    TRUE, FALSE = {"true", "1", "是", "yes"}, {"false", "0", "否", "no"}

    def validate(self, data):
        name, value = data["field"], data.get("value")
        text = "" if value is None else str(value).strip()
        if name in services.BOOLEAN_FACTS:
            if text.lower() in self.TRUE:
                data["value"] = True
            elif text.lower() in self.FALSE:
                data["value"] = False
            else:
                raise serializers.ValidationError({"value": "请填写“是”或“否”。"})
        elif name == "status":
            by_label = {label: code for code, label in EnterpriseStatus.choices}
            code = by_label.get(text, text)
            if code not in EnterpriseStatus.values:
                raise serializers.ValidationError({"value": "企业状态应为：运行、停产或关闭。"})
            data["value"] = code
        elif name == "uscc":
            data["value"] = text.upper() or None
        else:
            data["value"] = text
        return data


class NewEnterpriseInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    uscc = serializers.CharField(max_length=18)
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all(), help_text="所属区县的区划代码")
    address = serializers.CharField(required=False, allow_blank=True, default="")
    legal_representative = serializers.CharField(required=False, allow_blank=True, default="")
    double_exceed = serializers.BooleanField(default=False)
    double_toxic = serializers.BooleanField(default=False)
    water_related = serializers.BooleanField(default=True)


class ProposeInput(StepInput):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.none(), required=False,
                                                    allow_null=True, help_text="企业名录中的企业 id")
    new_enterprise = NewEnterpriseInput(required=False, help_text="在此登记的新企业（须有统一社会信用代码）")
    reasons = serializers.ListField(child=serializers.ChoiceField(choices=Reason.choices), allow_empty=False)
    handling_level = serializers.ChoiceField(choices=HandlingLevel.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="增补说明")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["enterprise"].queryset = Enterprise.objects.restrict(request.user)

    def validate(self, data):
        if bool(data.get("enterprise")) == bool(data.get("new_enterprise")):
            raise serializers.ValidationError("请选择企业名录中的企业（enterprise），或登记新企业（new_enterprise），二者选其一。")
        return data


# --- the viewsets ------------------------------------------------------------------------------


def _call(func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except ValidationError as exc:
        raise exceptions.ValidationError(getattr(exc, "message_dict", None) or {"detail": exc.messages}) from exc
    except PermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc) or "您无权执行该操作。") from exc


def step(name):
    """A task step: GET tells whether the user could take it now; POST takes it."""
    return action(detail=True, methods=["get", "post"], url_path=name, url_name=name)


class RosterTaskViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):
    """名单核定任务（按辖区）。各步骤见 qingshen/rosters/api.py 的说明；GET 步骤地址返回当前能否执行。"""

    queryset = RosterTask.objects.all()
    serializer_class = RosterTaskSerializer
    select_related = ("campaign", "organization")
    filterset_fields = ["campaign", "status", "level", "organization", "parent"]
    required_permissions = {
        "list": VIEW, "retrieve": VIEW, "members": VIEW,
        "publish": VERIFY, "dispatch_task": VERIFY, "submit": VERIFY,
        "keep": VERIFY, "exclude": VERIFY, "correct": VERIFY, "propose": VERIFY,
        "approve": REVIEW, "send_back": REVIEW,
    }

    def get_queryset(self):
        return super().get_queryset().prefetch_related("attachments")

    def get_serializer_class(self):
        inputs = {"publish": AttestInput, "dispatch_task": AttestInput, "submit": SubmitInput,
                  "approve": ReviewInput, "send_back": ReviewInput, "keep": MemberInput, "exclude": ExcludeInput,
                  "correct": CorrectInput, "propose": ProposeInput, "members": MemberSerializer}
        if self.request is not None and (self.request.method == "POST" or self.action == "members"):
            return inputs.get(self.action, RosterTaskSerializer)
        return RosterTaskSerializer

    # helpers
    def _input(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _availability(self, task, step_name):
        check = step_name if step_name in services.ACTIONS else "edit"
        allowed, why = services.availability(self.request.user, task, check)
        return Response({"task": task.pk, "action": step_name, "status": task.status, "allowed": allowed,
                         "detail": why})

    def _task_response(self, task, code=status.HTTP_200_OK):
        task = self.get_queryset().get(pk=task.pk)
        return Response(RosterTaskSerializer(task, context=self.get_serializer_context()).data, status=code)

    def _member(self, task, member_id):
        member = task.members().filter(pk=member_id).first()
        if member is None:
            raise exceptions.NotFound("该企业不在本任务的名单中。")
        return member

    def _member_response(self, member, code=status.HTTP_200_OK):
        member = CampaignEnterprise.objects.select_related("enterprise__region", "proposed_by").get(pk=member.pk)
        return Response(MemberSerializer(member).data, status=code)

    # reading
    @action(detail=True, methods=["get"], url_path="members", url_name="members")
    def members(self, request, pk=None):
        task = self.get_object()
        queryset = task.members().select_related("enterprise__region", "proposed_by").order_by("seq", "pk")
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(MemberSerializer(page, many=True).data)

    # steps
    @step("publish")
    def publish(self, request, pk=None):
        task = self.get_object()
        if request.method == "GET":
            return self._availability(task, "publish")
        data = self._input(request)
        _call(services.publish, request.user, task, attested=data["attested"],
              expected_status=data.get("expected_status"))
        return self._task_response(task)

    @step("dispatch")
    def dispatch_task(self, request, pk=None):
        task = self.get_object()
        if request.method == "GET":
            return self._availability(task, "dispatch")
        data = self._input(request)
        _call(services.dispatch, request.user, task, attested=data["attested"],
              expected_status=data.get("expected_status"))
        return self._task_response(task)

    @step("submit")
    def submit(self, request, pk=None):
        task = self.get_object()
        if request.method == "GET":
            return self._availability(task, "submit")
        data = self._input(request)
        submission = _call(services.submit, request.user, task, stamped_list=data.get("stamped_list"),
                           expected_status=data.get("expected_status"))
        return Response(RosterSubmissionSerializer(submission).data, status=status.HTTP_201_CREATED)

    @step("approve")
    def approve(self, request, pk=None):
        task = self.get_object()
        if request.method == "GET":
            return self._availability(task, "approve")
        data = self._input(request)
        _call(services.approve, request.user, task, data["comments"], expected_status=data.get("expected_status"))
        return self._task_response(task)

    @step("return")
    def send_back(self, request, pk=None):
        task = self.get_object()
        if request.method == "GET":
            return self._availability(task, "send_back")
        data = self._input(request)
        _call(services.send_back, request.user, task, data["comments"], expected_status=data.get("expected_status"))
        return self._task_response(task)

    @step("keep")
    def keep(self, request, pk=None):
        task = self.get_object()
        if request.method == "GET":
            return self._availability(task, "keep")
        data = self._input(request)
        member = _call(services.keep, request.user, task, self._member(task, data["member"]),
                       expected_status=data.get("expected_status"))
        return self._member_response(member)

    @step("exclude")
    def exclude(self, request, pk=None):
        task = self.get_object()
        if request.method == "GET":
            return self._availability(task, "exclude")
        data = self._input(request)
        member = _call(services.exclude, request.user, task, self._member(task, data["member"]),
                       reason=data["reason"], evidence=data["evidence"], expected_status=data.get("expected_status"))
        return self._member_response(member)

    @step("correct")
    def correct(self, request, pk=None):
        task = self.get_object()
        if request.method == "GET":
            return self._availability(task, "correct")
        data = self._input(request)
        member = _call(services.correct, request.user, task, self._member(task, data["member"]),
                       field=data["field"], value=data["value"], expected_status=data.get("expected_status"),
                       expected_version=data.get("expected_version"))
        return self._member_response(member)

    @step("propose")
    def propose(self, request, pk=None):
        task = self.get_object()
        if request.method == "GET":
            return self._availability(task, "propose")
        data = self._input(request)
        new = dict(data["new_enterprise"]) if data.get("new_enterprise") else None
        member = _call(services.propose, request.user, task, enterprise=data.get("enterprise"), new_enterprise=new,
                       reasons=data["reasons"], handling_level=data["handling_level"], reason=data["reason"],
                       expected_status=data.get("expected_status"))
        return self._member_response(member, status.HTTP_201_CREATED)


class RosterSubmissionViewSet(ScopedReadOnlyViewSet):
    """名单核定的各轮提交：盖章名单、名单快照、审核结果与意见（按任务的辖区）。"""

    queryset = RosterSubmission.objects.all()
    serializer_class = RosterSubmissionSerializer
    select_related = ("stamped_list", "submitted_by", "reviewed_by")
    filterset_fields = ["task", "decision"]
    required_permissions = {"list": VIEW, "retrieve": VIEW}


class RosterDecisionViewSet(ScopedReadOnlyViewSet):
    """各级对名单企业的核定记录：保留、标注为否（情况说明、佐证材料）、修正（原值、新值）、增补。"""

    queryset = RosterDecision.objects.all()
    serializer_class = RosterDecisionSerializer
    select_related = ("member__enterprise", "decided_by")
    filterset_fields = ["task", "member", "action"]
    required_permissions = {"list": VIEW, "retrieve": VIEW}

    def get_queryset(self):
        return super().get_queryset().prefetch_related("evidence")


ROUTES = [
    ("roster-tasks", RosterTaskViewSet),
    ("roster-submissions", RosterSubmissionViewSet),
    ("roster-decisions", RosterDecisionViewSet),
]
