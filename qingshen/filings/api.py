"""工作过程痕迹 in the API, with the pages' rules.

- `/api/phase-filings/`: the phase filings the caller may see (?project=, ?phase=, ?status=),
  each with its status; like the progress overview, the list computes no completeness (that
  costs a query per project). `/api/phase-filings/<id>/` adds the checklist items, each with
  whether it is filled, its current files or its table's row count, and the list of what is
  missing. POST `/api/phase-filings/<id>/submit/` {"version": n} submits (the enterprise only);
  an incomplete phase gets 400 with `missing`.
- `/api/checklist-items/`: the default set (?default=1) or a campaign's set as it applies
  (?campaign=<id>), read by whoever reads filings and by the checklist's keepers; those with
  filings.change_checklist add, change and delete items of a campaign's own set, and
  POST `/api/checklist-items/copy-default/` {"campaign": id} gives a campaign its own set.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from qingshen.campaigns.models import Campaign
from qingshen.core.api import ScopedViewSetMixin
from qingshen.core.api_permissions import RolePermission
from qingshen.filings import checklist, completeness, services, tables
from qingshen.filings.models import PHASE_STAGE, ChecklistItem, ItemKind, Phase, PhaseFiling


def _choice_field(choices, **kwargs):
    """A string documented with its values (not an enum: see campaigns.api.choice_field)."""
    schema = {"type": "string", "description": "可选值：" + "；".join(f"{v}（{label}）" for v, label in choices)}
    field_class = extend_schema_field(schema)(type("InlineChoiceField", (serializers.ChoiceField,), {}))
    return field_class(choices=choices, **kwargs)


def _call(func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except ValidationError as exc:
        raise exceptions.ValidationError(getattr(exc, "message_dict", None) or exc.messages) from exc
    except PermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc) or None) from exc


# --- phase filings ------------------------------------------------------------------------------


class PhaseFilingSerializer(serializers.ModelSerializer):
    project_number = serializers.CharField(source="project.number", read_only=True)
    enterprise_name = serializers.CharField(source="project.enterprise.name", read_only=True)
    phase = _choice_field(Phase.choices, read_only=True)
    phase_display = serializers.CharField(source="get_phase_display", read_only=True)
    stage = serializers.SerializerMethodField(help_text="evaluation = 评估阶段；acceptance = 验收阶段")
    status = _choice_field(PhaseFiling.Status.choices, read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    submitted_by_name = serializers.CharField(source="submitted_by.username", read_only=True, default="")

    class Meta:
        model = PhaseFiling
        fields = ["id", "project", "project_number", "enterprise_name", "phase", "phase_display", "stage", "status",
                  "status_display", "submitted_at", "submitted_by_name", "version", "updated_at",
                  "province_code", "city_code", "county_code"]
        read_only_fields = fields

    def get_stage(self, filing) -> str:
        return PHASE_STAGE[filing.phase]


class ItemStateSerializer(serializers.Serializer):
    code = serializers.CharField(source="item.code")
    title = serializers.CharField(source="item.title")
    kind = _choice_field(ItemKind.choices, source="item.kind")
    required = serializers.BooleanField(source="item.required")
    guidance = serializers.CharField(source="item.guidance")
    table_code = serializers.CharField(source="item.table_code")
    table_label = serializers.SerializerMethodField()
    filled = serializers.BooleanField()
    evidence = serializers.ListField(source="evidence_ids", child=serializers.IntegerField(),
                                     help_text="当前佐证材料编号（提交后为提交时的材料）")
    rows = serializers.IntegerField(allow_null=True, help_text="数据表已填写的行数；数据表尚未提供时为 null")

    def get_table_label(self, state) -> str:
        return state.table_label if state.item.kind == ItemKind.TABLE else ""


class PhaseFilingDetailSerializer(PhaseFilingSerializer):
    items = serializers.SerializerMethodField()
    required_total = serializers.SerializerMethodField()
    required_done = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField(help_text="尚未完成的必填项（中文说明）")

    class Meta(PhaseFilingSerializer.Meta):
        fields = [*PhaseFilingSerializer.Meta.fields, "required_total", "required_done", "missing", "items"]
        read_only_fields = fields

    def _state(self, filing):
        if getattr(filing, "_completeness", None) is None:
            filing._completeness = completeness.for_filing(filing)
        return filing._completeness

    @extend_schema_field(ItemStateSerializer(many=True))
    def get_items(self, filing):
        return ItemStateSerializer(self._state(filing).items, many=True).data

    def get_required_total(self, filing) -> int:
        return self._state(filing).required_total

    def get_required_done(self, filing) -> int:
        return self._state(filing).required_done

    def get_missing(self, filing) -> list[str]:
        return self._state(filing).missing_texts


class PhaseSubmitSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, help_text="读取到的版本号，防止重复提交或页面过期")


class PhaseFilingViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         viewsets.GenericViewSet):
    """阶段痕迹：按辖区列出和读取；读取时给出清单各项的完成情况；submit 提交（仅企业账号）。"""

    queryset = PhaseFiling.objects.all()
    serializer_class = PhaseFilingSerializer
    select_related = ("project__enterprise__region", "project__campaign", "submitted_by")
    required_permissions = {"submit": "filings.submit_phasefiling"}
    filterset_fields = {"project": ["exact"], "phase": ["exact"], "status": ["exact"]}

    def get_serializer_class(self):
        if self.action == "retrieve":
            return PhaseFilingDetailSerializer
        if self.action == "submit":
            return PhaseSubmitSerializer
        return PhaseFilingSerializer

    @extend_schema(request=PhaseSubmitSerializer, responses=PhaseFilingDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """提交本阶段：必填项未完成时 400，missing 列出未完成的项。"""
        filing = self.get_object()
        data = PhaseSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            filing = services.submit(request.user, filing, expected_version=data.validated_data.get("version"))
        except ValidationError as exc:
            # An incomplete phase: the first message says so and the rest list what is missing.
            raise exceptions.ValidationError({"detail": exc.messages[0], "missing": exc.messages[1:]}) from exc
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        return Response(PhaseFilingDetailSerializer(filing, context=self.get_serializer_context()).data)


# --- checklist items -----------------------------------------------------------------------------


class ChecklistPermission(RolePermission):
    """Reading: whoever reads filings, or keeps the checklist (the administrator reads no
    filings); everything else: the viewset's `required_permissions` (filings.change_checklist)."""

    READERS = ("filings.view_phasefiling", "filings.change_checklist")

    def has_permission(self, request, view):
        if getattr(view, "action", None) not in ("list", "retrieve"):
            return super().has_permission(request, view)
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if user.must_change_password:
            self.message = "请先登录系统修改初始密码。"
            return False
        return any(user.has_perm(perm) for perm in self.READERS)


class ChecklistItemSerializer(serializers.ModelSerializer):
    campaign = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.none(), required=False, allow_null=True,
                                                  help_text="清审批次编号；默认清单为 null")
    phase = _choice_field(Phase.choices)
    kind = _choice_field(ItemKind.choices)
    table_code = serializers.CharField(required=False, allow_blank=True,
                                       help_text="类型为数据表时的数据表代码：" + "、".join(tables.DEFAULT_LABELS))
    table_label = serializers.SerializerMethodField()
    version = serializers.IntegerField(required=False, help_text="修改时传入读取到的版本号，防止覆盖他人的修改")

    class Meta:
        model = ChecklistItem
        fields = ["id", "campaign", "phase", "code", "title", "kind", "required", "order", "guidance", "table_code",
                  "table_label", "version"]
        read_only_fields = ["code", "order"]
        extra_kwargs = {"title": {"allow_blank": True}}  # checked by the service, in its words
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["campaign"].queryset = Campaign.objects.restrict(request.user)
        return fields

    def get_table_label(self, item) -> str:
        return tables.label_of(item.table_code) if item.table_code else ""


class ChecklistItemViewSet(viewsets.ModelViewSet):
    """痕迹清单项。?default=1 默认清单；?campaign=<id> 该批次适用的清单（本批次清单或默认清单）；
    ?phase= 按阶段。省级和系统管理员可修改批次自己的清单（默认清单随系统发布，不能在此修改）。"""

    queryset = ChecklistItem.objects.all()
    serializer_class = ChecklistItemSerializer
    permission_classes = [ChecklistPermission]
    required_permissions = {action: "filings.change_checklist" for action in
                            ("create", "update", "partial_update", "destroy", "copy_default")}

    def get_queryset(self):
        campaigns = Campaign.objects.restrict(self.request.user)
        queryset = ChecklistItem.objects.filter(Q(campaign__isnull=True) | Q(campaign__in=campaigns))
        params = self.request.query_params
        if self.action == "list":
            if params.get("campaign"):
                if not params["campaign"].isdigit():
                    raise exceptions.ValidationError({"campaign": ["请填写清审批次编号。"]})
                wanted = int(params["campaign"])
                if not campaigns.filter(pk=wanted).exists():
                    raise exceptions.NotFound("清审批次不存在。")
                queryset = queryset.filter(campaign_id=wanted if checklist.has_own(wanted) else None)
            elif params.get("default"):
                queryset = queryset.filter(campaign__isnull=True)
            if params.get("phase"):
                queryset = queryset.filter(phase=params["phase"])
        return queryset.order_by(F("campaign_id").asc(nulls_first=True), "phase", "order", "pk")

    @extend_schema(parameters=[
        OpenApiParameter("campaign", OpenApiTypes.INT, description="清审批次编号：列出该批次适用的清单"),
        OpenApiParameter("default", OpenApiTypes.BOOL, description="只列出默认清单"),
        OpenApiParameter("phase", OpenApiTypes.STR, description="阶段代码")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = serializer.validated_data
        if data.get("campaign") is None:
            raise exceptions.ValidationError({"campaign": ["默认清单随系统发布，不能在此增加；请指定清审批次。"]})
        serializer.instance = _call(
            services.add_item, self.request.user, data["campaign"], phase=data["phase"], title=data.get("title", ""),
            kind=data["kind"], required=data.get("required", True), guidance=data.get("guidance", ""),
            table_code=data.get("table_code", ""))

    def perform_update(self, serializer):
        item, data = serializer.instance, serializer.validated_data
        if "phase" in data and data["phase"] != item.phase or "campaign" in data and data["campaign"] != item.campaign:
            raise exceptions.ValidationError({"phase": ["清单项的阶段和所属批次创建后不能修改。"]})
        serializer.instance = _call(
            services.update_item, self.request.user, item, expected_version=data.get("version"),
            title=data.get("title", item.title), kind=data.get("kind", item.kind),
            required=data.get("required", item.required), guidance=data.get("guidance", item.guidance),
            table_code=data.get("table_code", item.table_code))

    def perform_destroy(self, instance):
        _call(services.remove_item, self.request.user, instance)

    @extend_schema(request={"application/json": {"type": "object", "properties": {"campaign": {"type": "integer"}}}},
                   responses=ChecklistItemSerializer(many=True))
    @action(detail=False, methods=["post"], url_path="copy-default", pagination_class=None)
    def copy_default(self, request):
        """为清审批次建立本批次清单（复制默认清单），返回复制的清单项。"""
        wanted = request.data.get("campaign")
        if not str(wanted or "").isdigit():
            raise exceptions.ValidationError({"campaign": ["请填写清审批次编号。"]})
        campaign = Campaign.objects.restrict(request.user).filter(pk=int(wanted)).first()
        if campaign is None:
            raise exceptions.NotFound("清审批次不存在。")
        _call(services.copy_default, request.user, campaign)
        items = ChecklistItem.objects.filter(campaign=campaign).order_by("phase", "order", "pk")
        return Response(ChecklistItemSerializer(items, many=True, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


ROUTES = [
    ("phase-filings", PhaseFilingViewSet),
    ("checklist-items", ChecklistItemViewSet),
]
