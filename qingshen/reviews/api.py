"""Reviews in the API, with the pages' rules and services: the list and reads are scoped
(`restrict`: an expert sees only the reviews it is drawn for); each act is an action calling the
same service, so who may act when, and every refusal, are the same as on the pages.

POST `/api/reviews/<id>/<act>/` with the act's fields: `check` ({"checks": {step: {"ok", "problem"}}}),
`conclude`, `draw`, `decline` / `substitute` ({"assignment"}), `form-group`, `opinion`, `compile`,
`site-visit`, `decide`; GET `<id>/verify/` re-runs every recorded draw.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from qingshen.campaigns.models import Campaign
from qingshen.core.api import ScopedViewSetMixin, raise_service_error
from qingshen.files.views import serve
from qingshen.reviews import compare, handover, services
from qingshen.reviews import draw as drawing
from qingshen.reviews.models import Assignment, IntakeCheck, Review, ScoreItem
from qingshen.reviews.views.handover import cells as handover_cells

ACT = "reviews.view_review"  # the services check who may take each step


class CheckSerializer(serializers.ModelSerializer):
    level = serializers.CharField(help_text="county = 县级, city = 市级, province = 省级")

    class Meta:
        model = IntakeCheck
        fields = ["level", "step", "ok", "problem", "checked_at"]


class AssignmentSerializer(serializers.ModelSerializer):
    expert_name = serializers.CharField(source="expert.name")
    role = serializers.CharField(help_text="leader = 组长, member = 成员")
    status = serializers.CharField(help_text="active = 参加, declined = 谢绝")

    class Meta:
        model = Assignment
        fields = ["id", "expert", "expert_name", "role", "status", "declined_reason", "opinion", "scores", "opinion_at"]


class ReviewSerializer(serializers.ModelSerializer):
    # plain strings, not enums (see projects.api)
    status = serializers.CharField(read_only=True, help_text="；".join(f"{v} = {l}" for v, l in Review.Status.choices))
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    stage = serializers.CharField(read_only=True)
    handling_level = serializers.CharField(read_only=True, help_text="province = 省直管, city = 市直管")
    conclusion = serializers.CharField(read_only=True, help_text="passed = 通过, failed = 不通过, rectify = 整改")

    class Meta:
        model = Review
        fields = ["id", "application", "project", "stage", "handling_level", "status", "status_display", "arrived_at",
                  "conclusion", "group_opinion", "result_opinion", "rectify_by", "acceptance_deadline",
                  "confirmed_level", "decided_at", "opinion_number", "version"]
        read_only_fields = fields


class ReviewDetailSerializer(ReviewSerializer):
    checks = CheckSerializer(many=True, read_only=True)
    assignments = AssignmentSerializer(many=True, read_only=True)

    class Meta(ReviewSerializer.Meta):
        fields = [*ReviewSerializer.Meta.fields, "checks", "assignments"]
        read_only_fields = fields


class StepCheck(serializers.Serializer):
    ok = serializers.BooleanField()
    problem = serializers.CharField(required=False, allow_blank=True, default="")


class CheckInput(serializers.Serializer):
    checks = serializers.DictField(child=StepCheck(), help_text="审核步骤代码 → {ok, problem}")
    version = serializers.IntegerField(required=False, allow_null=True)


class VersionInput(serializers.Serializer):
    version = serializers.IntegerField(required=False, allow_null=True)


class DrawInput(serializers.Serializer):
    size = serializers.IntegerField(min_value=1, max_value=9, default=5)
    leader = serializers.BooleanField(default=True)
    min_industry = serializers.IntegerField(min_value=0, default=1)
    min_cleaner_production = serializers.IntegerField(min_value=0, default=1)
    min_energy = serializers.IntegerField(min_value=0, default=0)
    min_environment = serializers.IntegerField(min_value=0, default=0)
    min_process = serializers.IntegerField(min_value=0, default=0)
    exclude_previous_stage_reviewers = serializers.BooleanField(default=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class AssignmentInput(serializers.Serializer):
    assignment = serializers.IntegerField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class OpinionInput(serializers.Serializer):
    opinion = serializers.CharField(allow_blank=True)
    scores = serializers.DictField(child=serializers.IntegerField(), required=False, default=dict,
                                   help_text="评分项编号 → 分数")


class CompileInput(VersionInput):
    text = serializers.CharField(allow_blank=True)


class Rectification(serializers.Serializer):
    text = serializers.CharField()
    deadline = serializers.DateField()


class SiteVisitInput(VersionInput):
    visited_on = serializers.DateField()
    place = serializers.CharField(allow_blank=True)
    present = serializers.ListField(child=serializers.IntegerField(), help_text="到场专家的 assignment 编号")
    checked = serializers.CharField(allow_blank=True)
    findings = serializers.CharField(required=False, allow_blank=True, default="")
    rectification = Rectification(many=True, required=False, default=list)


class DecideInput(VersionInput):
    conclusion = serializers.CharField(help_text="passed = 通过, failed = 不通过, rectify = 整改")
    opinion = serializers.CharField(allow_blank=True)
    rectify_by = serializers.DateField(required=False, allow_null=True, default=None)
    acceptance_deadline = serializers.DateField(required=False, allow_null=True, default=None)


class ReviewViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """评估、验收审核：按辖区过滤（专家只见抽中的审核）；各办理动作与页面相同的规则。"""

    queryset = Review.objects.all()
    serializer_class = ReviewSerializer
    select_related = ("project", "application")
    filterset_fields = ["project", "stage", "status", "handling_level"]
    required_permissions = {**{name: ACT for name in (
        "check", "conclude", "draw", "decline", "substitute", "form_group", "opinion", "compile", "site_visit",
        "decide", "verify", "opinion_pdf", "compare")}, "handover": "reviews.view_handover"}

    def get_serializer_class(self):
        return ReviewDetailSerializer if self.action != "list" else super().get_serializer_class()

    def _done(self, review):
        review = self.get_queryset().prefetch_related("checks", "assignments__expert").get(pk=review.pk)
        return Response(ReviewDetailSerializer(review).data)

    def _input(self, serializer_class):
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data

    def _assignment(self, review, pk):
        assignment = Assignment.objects.filter(review=review, pk=pk).select_related("expert").first()
        if assignment is None:
            raise exceptions.NotFound("专家组中没有该成员。")
        return assignment

    @extend_schema(request=CheckInput, responses=ReviewDetailSerializer)
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        """受理审核：逐步记录无误或问题。"""
        review, data = self.get_object(), self._input(CheckInput)
        checks = {step: (value["ok"], value["problem"]) for step, value in data["checks"].items()}
        try:
            review = services.check_steps(request.user, review, checks, version=data.get("version"))
        except (ValidationError, PermissionDenied) as exc:
            raise_service_error(exc)
        return self._done(review)

    @extend_schema(request=VersionInput, responses=ReviewDetailSerializer)
    @action(detail=True, methods=["post"])
    def conclude(self, request, pk=None):
        """提交受理审核结果：全部无误则转下一环节，否则退回企业。"""
        review, data = self.get_object(), self._input(VersionInput)
        try:
            review = services.conclude_intake(request.user, review, version=data.get("version"))
        except (ValidationError, PermissionDenied) as exc:
            raise_service_error(exc)
        return self._done(review)

    @extend_schema(request=DrawInput, responses=ReviewDetailSerializer)
    @action(detail=True, methods=["post"])
    def draw(self, request, pk=None):
        """随机抽取专家（每次抽取均记录；人数不足时说明哪条规则回避了谁）。"""
        review, data = self.get_object(), self._input(DrawInput)
        try:
            attempt = services.draw_experts(request.user, review, **data)
        except (ValidationError, PermissionDenied) as exc:
            raise_service_error(exc)
        if not attempt.succeeded:
            raise exceptions.ValidationError({"non_field_errors": [attempt.message], "draw": attempt.number})
        return self._done(review)

    @extend_schema(request=AssignmentInput, responses=ReviewDetailSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """登记专家谢绝（专家本人也可谢绝）。"""
        review, data = self.get_object(), self._input(AssignmentInput)
        try:
            services.decline(request.user, self._assignment(review, data["assignment"]), reason=data["reason"])
        except (ValidationError, PermissionDenied) as exc:
            raise_service_error(exc)
        return self._done(review)

    @extend_schema(request=AssignmentInput, responses=ReviewDetailSerializer)
    @action(detail=True, methods=["post"])
    def substitute(self, request, pk=None):
        """为谢绝的专家补抽。"""
        review, data = self.get_object(), self._input(AssignmentInput)
        try:
            attempt = services.substitute(request.user, review, self._assignment(review, data["assignment"]))
        except (ValidationError, PermissionDenied) as exc:
            raise_service_error(exc)
        if not attempt.succeeded:
            raise exceptions.ValidationError({"non_field_errors": [attempt.message]})
        return self._done(review)

    @extend_schema(request=VersionInput, responses=ReviewDetailSerializer)
    @action(detail=True, methods=["post"], url_path="form-group")
    def form_group(self, request, pk=None):
        """确认专家组，开始线上文审。"""
        review, data = self.get_object(), self._input(VersionInput)
        try:
            review = services.form_group(request.user, review, version=data.get("version"))
        except (ValidationError, PermissionDenied) as exc:
            raise_service_error(exc)
        return self._done(review)

    @extend_schema(request=OpinionInput, responses=ReviewDetailSerializer)
    @action(detail=True, methods=["post"])
    def opinion(self, request, pk=None):
        """专家提交文审意见（及评分）。"""
        review, data = self.get_object(), self._input(OpinionInput)
        try:
            services.give_opinion(request.user, review, opinion=data["opinion"], scores=data["scores"])
        except (ValidationError, PermissionDenied) as exc:
            raise_service_error(exc)
        return self._done(review)

    @extend_schema(request=CompileInput, responses=ReviewDetailSerializer)
    @action(detail=True, methods=["post"])
    def compile(self, request, pk=None):
        """组长汇总专家组意见。"""
        review, data = self.get_object(), self._input(CompileInput)
        try:
            review = services.compile_opinion(request.user, review, text=data["text"], version=data.get("version"))
        except (ValidationError, PermissionDenied) as exc:
            raise_service_error(exc)
        return self._done(review)

    @extend_schema(request=SiteVisitInput, responses=ReviewDetailSerializer)
    @action(detail=True, methods=["post"], url_path="site-visit")
    def site_visit(self, request, pk=None):
        """记录现场审核（照片请在页面上传）。"""
        review, data = self.get_object(), self._input(SiteVisitInput)
        try:
            services.record_site_visit(
                request.user, review, visited_on=data["visited_on"], place=data["place"], present=data["present"],
                checked=data["checked"], findings=data["findings"],
                rectification=[(item["text"], item["deadline"]) for item in data["rectification"]],
                version=data.get("version"))
        except (ValidationError, PermissionDenied) as exc:
            raise_service_error(exc)
        return self._done(review)

    @extend_schema(request=DecideInput, responses=ReviewDetailSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """出具审核结果：通过、不通过或整改（生成审核意见 PDF）。"""
        review, data = self.get_object(), self._input(DecideInput)
        try:
            review = services.decide(request.user, review, conclusion=data["conclusion"], opinion=data["opinion"],
                                     rectify_by=data["rectify_by"], acceptance_deadline=data["acceptance_deadline"],
                                     version=data.get("version"))
        except (ValidationError, PermissionDenied) as exc:
            raise_service_error(exc)
        return self._done(review)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def verify(self, request, pk=None):
        """按记录复核本审核的每次成功抽取。"""
        review = self.get_object()
        out = []
        for attempt in review.draws.filter(succeeded=True).order_by("number"):
            try:
                result = drawing.verify(attempt.record)
                out.append({"draw": attempt.number, "same": result.same, "message": result.message})
            except drawing.RecordError as exc:
                out.append({"draw": attempt.number, "same": False, "message": str(exc)})
        return Response(out)

    @extend_schema(responses=OpenApiTypes.BINARY)
    @action(detail=True, methods=["get"], url_path="opinion-pdf")
    def opinion_pdf(self, request, pk=None):
        """下载审核意见（PDF）。"""
        review = self.get_object()
        if review.opinion_file is None:
            raise exceptions.NotFound("尚未出具审核意见。")
        return serve(review.opinion_file, inline=False)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def compare(self, request, pk=None):
        """与上一版申请对比：各表新增、删除、修改的内容。"""
        review = self.get_object()
        previous = (self.get_queryset().filter(project=review.project, stage=review.stage,
                                               application__number__lt=review.application.number)
                    .order_by("-application__number").first())
        if previous is None:
            return Response({"previous": None, "changes": []})
        changes = compare.diff(previous.application.contents or {}, review.application.contents or {})
        return Response({"previous": previous.pk, "changes": [
            {"part": t.part, "table": t.table, "added": t.added, "removed": t.removed,
             "changed": [{"row": label, "fields": [{"field": f, "before": b, "after": a} for f, b, a in fields]}
                         for label, fields in t.changed]} for t in changes]})

    @extend_schema(parameters=[OpenApiParameter("campaign", int), OpenApiParameter("stage", str),
                               OpenApiParameter("category", str, enum=list(handover.CATEGORIES))],
                   responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["get"])
    def handover(self, request):
        """审核结果移交清单：某批次某阶段通过、不通过或逾期未通过的企业。"""
        campaign = Campaign.objects.restrict(request.user).filter(pk=request.query_params.get("campaign")).first()
        if campaign is None:
            raise exceptions.NotFound("清审批次不存在。")
        stage = request.query_params.get("stage", "evaluation")
        category = request.query_params.get("category", "passed")
        if stage not in handover.STAGES or category not in handover.CATEGORIES:
            raise exceptions.ValidationError({"stage": "阶段或类别无效。"})
        return Response([dict(zip(("project_number", "enterprise", "uscc", "county", "industry", "handling_level",
                                   "review_status", "decided_on", "due", "overdue_days", "permit_number"),
                                  [cell if cell != "" else None for cell in handover_cells(line)]))
                         for line in handover.lines(request.user, campaign, stage, category)])


class ScoreItemSerializer(serializers.ModelSerializer):
    stage = serializers.CharField(help_text="evaluation = 评估, acceptance = 验收")

    class Meta:
        model = ScoreItem
        fields = ["id", "campaign", "stage", "order", "title", "max_score"]
        read_only_fields = ["id", "order"]


class ScoreItemViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin,
                       viewsets.GenericViewSet):
    """专家评分表：各批次、各阶段的评分项（省级维护）。"""

    queryset = ScoreItem.objects.all()
    serializer_class = ScoreItemSerializer
    filterset_fields = ["campaign", "stage"]
    required_permissions = {"list": "reviews.view_review", "create": "campaigns.change_campaign",
                            "destroy": "campaigns.change_campaign"}

    def get_queryset(self):
        return ScoreItem.objects.filter(campaign__in=Campaign.objects.restrict(self.request.user)).order_by(
            "campaign", "stage", "order", "pk")

    def perform_create(self, serializer):
        data = serializer.validated_data
        try:
            serializer.instance = services.add_score_item(self.request.user, data["campaign"], stage=data["stage"],
                                                          title=data["title"], max_score=data["max_score"])
        except (ValidationError, PermissionDenied) as exc:
            raise_service_error(exc)

    def perform_destroy(self, instance):
        try:
            services.remove_score_item(self.request.user, instance)
        except (ValidationError, PermissionDenied) as exc:
            raise_service_error(exc)


ROUTES = [("reviews", ReviewViewSet), ("score-items", ScoreItemViewSet)]
